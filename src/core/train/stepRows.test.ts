/**
 * The row classification on real training steps: its 'momentum' rows are exactly the step's
 * movedWithoutGradient, [PAD] is classed by the gradient it really gets, and at a learning rate of
 * 0 nothing moves, whatever the optimizer.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { microConfig } from '../model/config';
import { createBertTokenizer } from '../tokenizer';
import { parseCorpus } from './corpus';
import { defaultOptimizerConfig, type OptimizerKind } from './optimizers';
import { createPretrainingData } from './pretraining-data';
import { CAUSE_INDEX, classifyRows, gradientRows, movedRows } from './rowCauses';
import type { Schedule } from './schedule';
import { createTrainState, disposeState, trainStep, type TrainState } from './step';
import { smallCorpusText, smallVocab } from './test/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());
const V = vocab.length;
const PAD = 0;

const states: TrainState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) disposeState(s);
});

/** 'momentum' is SGD with momentum 0.9, as the lab offers it. */
type Kind = OptimizerKind | 'momentum';

function makeState(kind: Kind, tied: boolean, schedule: Schedule): TrainState {
  const state = createTrainState(microConfig(V, { tieOutputEmbeddings: tied }), {
    optimizer: kind === 'momentum' ? { kind: 'sgd', momentum: 0.9 } : defaultOptimizerConfig(kind),
    schedule,
    clipNorm: 1,
    seed: 3,
  });
  states.push(state);
  return state;
}

/** Batches of 64-token slots: short documents leave padding in every batch. */
function paddedBatches(seed: number) {
  const data = createPretrainingData(
    documents,
    tokenizer,
    { maxSeqLength: 64, maxPredictionsPerSeq: 4 },
    seed,
  );
  return () => {
    const batch = data.nextBatch(4);
    expect(batch.attentionMask).toContain(0);
    return batch;
  };
}

const steady: Schedule = { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 1000 };

describe('the row classification of real steps', () => {
  const movers: [Kind, boolean][] = [
    ['adam', true],
    ['adam', false],
    ['adamw', true],
    // Weight decay moves [PAD], looked up but without a gradient, which the old classification called 'lookup'.
    ['adamw', false],
    ['momentum', false],
  ];
  for (const [kind, tied] of movers)
    it(`counts exactly movedWithoutGradient as moved with no gradient on padded batches (${kind}, ${tied ? 'tied' : 'untied'})`, async () => {
      const state = makeState(kind, tied, steady);
      const next = paddedBatches(4);
      let moved = 0;
      for (let i = 0; i < 2; i++) {
        const report = await trainStep(state, next());
        const { causes, counts } = classifyRows(report);
        const momentumRows = [...causes.keys()].filter((r) => causes[r] === CAUSE_INDEX.momentum);
        expect(momentumRows).toEqual(report.movedWithoutGradient);
        expect(counts.momentum).toBe(report.movedWithoutGradient.length);
        moved += counts.momentum;
      }
      // Untied, the check is not empty: step 2 moves step 1's rows that are absent now. Tied, every
      // row has an output gradient, so none moves without one.
      if (tied) expect(moved).toBe(0);
      else expect(moved).toBeGreaterThan(0);
    });

  it('classes [PAD] by what really happens to it: output softmax when tied, unchanged untied, decayed by AdamW', async () => {
    const tied = await trainStep(makeState('sgd', true, steady), paddedBatches(5)());
    expect(tied.lookupRows).toContain(PAD);
    expect(tied.lookupGradRowNorm[PAD]).toBe(0);
    expect(classifyRows(tied).causes[PAD]).toBe(CAUSE_INDEX.output);
    const untied = await trainStep(makeState('sgd', false, steady), paddedBatches(5)());
    expect(classifyRows(untied).causes[PAD]).toBe(CAUSE_INDEX.unchanged);
    // Every other id of the batch moved through the lookup.
    expect(classifyRows(untied).counts.lookup).toBe(untied.lookupRows.length - 1);
    // AdamW's weight decay moves it with no gradient at all.
    const decayed = await trainStep(makeState('adamw', false, steady), paddedBatches(5)());
    expect(decayed.movedWithoutGradient).toContain(PAD);
    expect(classifyRows(decayed).causes[PAD]).toBe(CAUSE_INDEX.momentum);
  });

  for (const kind of ['sgd', 'momentum', 'adam', 'adamw', 'lazyadam'] as const)
    it(`moves no row at the end of the linear decay, where the learning rate is 0 (${kind})`, async () => {
      // Step 1 at half the peak fills the optimizer's state; step 2 is the last, at rate 0.
      const state = makeState(kind, true, { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 2 });
      const next = paddedBatches(6);
      const first = await trainStep(state, next());
      expect(movedRows(classifyRows(first).counts)).toBeGreaterThan(0);
      const last = await trainStep(state, next());
      expect(last.learningRate).toBe(0);
      const { counts } = classifyRows(last);
      expect(movedRows(counts)).toBe(0);
      expect(last.movedWithoutGradient).toEqual([]);
      const g = gradientRows(last);
      expect(g.lookup).toBeGreaterThan(0);
      expect(counts.stalled).toBe(g.lookup + g.outputOnly);
      expect(counts.unchanged).toBe(V - counts.stalled);
    });
});
