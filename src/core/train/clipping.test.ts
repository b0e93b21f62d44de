/**
 * Gradient clipping as applied by trainStep, checked on the update itself: with plain SGD at a
 * learning rate of exactly 1, the update is minus the applied gradient, so ‖Δθ‖ over every
 * parameter is the norm of the gradient after clipping.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { microConfig } from '../model/config';
import { flattenParams } from '../model/params';
import { createBertTokenizer } from '../tokenizer';
import { parseCorpus } from './corpus';
import { createPretrainingData, type PretrainingBatch } from './pretraining-data';
import { createTrainState, disposeState, trainStep, type TrainState } from './step';
import { smallCorpusText, smallVocab } from './test/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());

const states: TrainState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) disposeState(s);
});

/** Plain SGD whose first update has rate exactly 1 (the end of a one-step warm-up). */
function sgdAtRateOne(clipNorm: number): TrainState {
  const state = createTrainState(microConfig(vocab.length), {
    optimizer: { kind: 'sgd', momentum: 0 },
    schedule: { peakLearningRate: 1, warmupSteps: 1, totalSteps: 2 },
    clipNorm,
    seed: 11,
  });
  states.push(state);
  return state;
}

function batch(): PretrainingBatch {
  const data = createPretrainingData(documents, tokenizer, { maxSeqLength: 32, maxPredictionsPerSeq: 4 }, 12);
  return data.nextBatch(4);
}

const weights = (state: TrainState) =>
  flattenParams(state.config, state.params).map((p) => p.dataSync().slice());

/** One step; returns the report, ‖Δθ‖ over all parameters and Δθ itself, flattened. */
async function stepAndMeasure(state: TrainState) {
  const before = weights(state);
  const report = await trainStep(state, batch());
  const delta = weights(state).flatMap((after, i) => Array.from(after, (x, j) => x - before[i]![j]!));
  const norm = Math.sqrt(delta.reduce((sum, d) => sum + d * d, 0));
  return { report, norm, delta };
}

describe('gradient clipping in trainStep', () => {
  it('applies a gradient under the cap unscaled', async () => {
    const { report, norm } = await stepAndMeasure(sgdAtRateOne(1e6));
    expect(report.learningRate).toBe(1);
    expect(report.clipScale).toBe(1);
    expect(norm).toBeCloseTo(report.gradNorm, 3);
  });

  it('scales a gradient over the cap to norm 1.0, keeping its direction', async () => {
    const free = await stepAndMeasure(sgdAtRateOne(1e6));
    const { report, norm, delta } = await stepAndMeasure(sgdAtRateOne(1.0));
    expect(report.gradNorm).toBeGreaterThan(2);
    expect(report.clipScale).toBeCloseTo(1 / report.gradNorm, 6);
    expect(norm).toBeCloseTo(1.0, 3);
    // The clipped update is the free one times 1 / ‖g‖, entry by entry.
    const scale = 1 / free.report.gradNorm;
    delta.forEach((d, i) => expect(d).toBeCloseTo(free.delta[i]! * scale, 5));
  });
});
