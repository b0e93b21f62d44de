import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueSorted } from '../math/arrays';
import { adamResult, lazyClaim, momentumClaim, tiedAdamClaim } from './adam';
import { lessonChapter } from './chapters';
import { onlyBatchRowsResult, tiedOutputResult } from './rowChapters';
import { trainRun, VOCAB } from './test/trainRun';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const V = VOCAB.length;
const PAD = VOCAB.indexOf('[PAD]');

/** The distinct ids of the batch's inputIds, [PAD] aside, computed here from scratch. */
function nonPadIds(inputIds: Int32Array): number[] {
  return uniqueSorted(inputIds).filter((id) => id !== PAD);
}

describe('only-batch-rows on a real SGD step with an untied output', () => {
  it('finds the moved rows equal to the batch non-[PAD] ids and says so with the run numbers', async () => {
    const [report] = await trainRun({ optimizer: 'sgd', tied: false, steps: 1 });
    const result = onlyBatchRowsResult(report!, { optimizer: 'sgd', tieOutputEmbeddings: false });
    expect(result.claim.holds).toBe(true);
    expect(result.claim.batchIds).toEqual(nonPadIds(report!.batch.inputIds));
    expect(result.claim.moved).toEqual(result.claim.batchIds);
    expect(result.claim.padIds).toEqual([PAD]);
    expect(result.answer).toBe(lessonChapter('only-batch-rows').question.correct);
    const moved = result.claim.moved.length;
    expect(result.sentences[0]).toContain(`moved ${moved} of the ${V} rows`);
    expect(result.sentences[0]).toContain('untied output and plain SGD');
    expect(result.sentences.join(' ')).toContain(
      '[PAD]: its row was looked up but got a gradient of 0 and did not move',
    );
  });

  it('does not hold under a tied output, where every row moves, and says which choice the run supports', async () => {
    const [report] = await trainRun({ optimizer: 'sgd', tied: true, steps: 1 });
    const result = onlyBatchRowsResult(report!, { optimizer: 'sgd', tieOutputEmbeddings: true });
    expect(result.claim.holds).toBe(false);
    expect(result.claim.moved).toHaveLength(V);
    expect(result.answer).toBe('all');
    expect(result.sentences[1]).toContain('not exactly');
  });
});

describe('tied-output on a real SGD step', () => {
  it('finds every row with an output gradient and every row moved', async () => {
    const [report] = await trainRun({ optimizer: 'sgd', tied: true, steps: 1 });
    const result = tiedOutputResult(report!, { optimizer: 'sgd', tieOutputEmbeddings: true });
    expect(report!.outputGradRowNorm.every((x) => x > 0)).toBe(true);
    expect(result.claim).toMatchObject({ vocabSize: V, withOutputGradient: V, moved: V, holds: true });
    expect(result.claim.withLookupGradient).toBe(nonPadIds(report!.batch.inputIds).length);
    expect(result.answer).toBe('all');
    expect(result.sentences[0]).toContain(`${V} of the ${V} rows got a gradient through the output softmax`);
  });

  it('does not hold with an untied output, where no row has an output gradient', async () => {
    const [report] = await trainRun({ optimizer: 'sgd', tied: false, steps: 1 });
    const result = tiedOutputResult(report!, { optimizer: 'sgd', tieOutputEmbeddings: false });
    expect(result.claim.withOutputGradient).toBe(0);
    expect(result.claim.holds).toBe(false);
    expect(result.answer).toBe('batch');
  });
});

describe('adam on real steps', () => {
  it('untied Adam step 2 moves exactly the rows of batch 1 that are not in batch 2', async () => {
    const reports = await trainRun({ optimizer: 'adam', tied: false, steps: 2 });
    const [first, second] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const inSecond = new Set(nonPadIds(second.batch.inputIds));
    const expected = nonPadIds(first.batch.inputIds).filter((id) => !inSecond.has(id));
    const claim = momentumClaim(reports);
    expect(expected.length).toBeGreaterThan(0);
    expect(claim.movedWithoutGradient).toEqual(expected);
    expect(claim.holds).toBe(true);
  });

  it('untied SGD moves no row without a gradient, so the momentum claim fails', async () => {
    const claim = momentumClaim(await trainRun({ optimizer: 'sgd', tied: false, steps: 2 }));
    expect(claim.movedWithoutGradient).toEqual([]);
    expect(claim.holds).toBe(false);
  });

  it('LazyAdam moves exactly the batch rows at step 2; plain Adam does not', async () => {
    const lazy = lazyClaim(await trainRun({ optimizer: 'lazyadam', tied: false, steps: 2 }));
    expect(lazy.holds).toBe(true);
    expect(lazy.moved.length).toBeGreaterThan(0);
    expect(lazyClaim(await trainRun({ optimizer: 'adam', tied: false, steps: 2 })).holds).toBe(false);
  });

  it('tied AdamW moves softmax-only rows about as far as batch rows although their gradients differ', async () => {
    const reports = await trainRun({ optimizer: 'adamw', tied: true, steps: 2, learningRate: 1e-3 });
    const tied = tiedAdamClaim(reports);
    expect(tied.lookup.rows + tied.output.rows).toBe(V);
    expect(tied.updateRatio).toBeGreaterThan(0.5);
    expect(tied.updateRatio).toBeLessThan(2);
    // On this 53-row vocabulary each wrong row takes a large share of p: the softmax gradient is the larger.
    expect(tied.gradRatio).toBeLessThan(1 / 3);
    expect(Math.log(tied.updateSpread)).toBeLessThanOrEqual(Math.log(tied.gradSpread) / 2);
    expect(tied.holds).toBe(true);
    // SGD's step is −η·c·g: among softmax-only rows the steps spread exactly as the gradients.
    const sgd = tiedAdamClaim(await trainRun({ optimizer: 'sgd', tied: true, steps: 2, learningRate: 1e-3 }));
    expect(sgd.updateSpread).toBeCloseTo(sgd.gradSpread, 3);
    expect(sgd.holds).toBe(false);
  });

  it('puts the three runs together with the run numbers in the sentences', async () => {
    const runs = {
      'untied-adam': await trainRun({ optimizer: 'adam', tied: false, steps: 2 }),
      'tied-adamw': await trainRun({ optimizer: 'adamw', tied: true, steps: 2, learningRate: 1e-3 }),
      'untied-lazyadam': await trainRun({ optimizer: 'lazyadam', tied: false, steps: 2 }),
    };
    const result = adamResult(runs);
    expect(result.claim.holds).toBe(true);
    expect(result.answer).toBe(lessonChapter('adam').question.correct);
    const n = result.claim.momentum.movedWithoutGradient.length;
    expect(result.sentences[0]).toContain(`step 2 moved ${n} rows that got no gradient`);
    expect(result.sentences[1]).toContain('times larger');
    expect(result.sentences[2]).toContain(
      `exactly the ${result.claim.lazy.batchIds.length} rows of its batch`,
    );
  });
});
