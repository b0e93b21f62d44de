/**
 * Chapters 4 and 5 at full size: the lab preset's 30,522 rows with the chapters' own settings
 * (seed 42, learning rate 0.1, no warm-up), one real step each on the cpu backend (a few seconds
 * each), so the claims are checked on the very batches and sizes the page shows. The other
 * chapters' full-size runs are in scripts/lesson-lab.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lessonChapter, type EngineRunPlan } from './chapters';
import { onlyBatchRowsResult, tiedOutputResult } from './rowChapters';
import { BERT_VOCAB, labRun } from './test/labRun';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function onlyRun(id: 'only-batch-rows' | 'tied-output'): EngineRunPlan {
  const plan = lessonChapter(id).plan;
  if (plan.kind !== 'engine') throw new Error(`${id} runs the engine`);
  return plan.runs[0]!;
}

describe('the row chapters on the lab preset', () => {
  it('only-batch-rows: one untied SGD step moves exactly the batch non-[PAD] ids of 30,522 rows', async () => {
    const run = onlyRun('only-batch-rows');
    const [report] = await labRun(run);
    const result = onlyBatchRowsResult(report!, run.settings);
    expect(result.claim.vocabSize).toBe(30522);
    expect(result.claim.holds).toBe(true);
    expect(result.claim.padIds).toEqual([BERT_VOCAB.indexOf('[PAD]')]);
    expect(result.answer).toBe('batch');
  }, 60_000);

  it('tied-output: one tied SGD step gives all 30,522 rows an output gradient, and all of them move', async () => {
    const run = onlyRun('tied-output');
    const [report] = await labRun(run);
    const result = tiedOutputResult(report!, run.settings);
    expect(result.claim).toMatchObject({
      vocabSize: 30522,
      withOutputGradient: 30522,
      moved: 30522,
      holds: true,
    });
    expect(result.answer).toBe('all');
  }, 60_000);
});
