/**
 * BERT-Tiny at full size (V = 30,522): one training step on the cpu backend, to prove the
 * embedding path is fast. On a 2-core machine, the gradient of a 32-id lookup into the
 * 30,522 x 128 table took 19.8 s with tfjs's own gather gradient (UnsortedSegmentSum) and 41 ms
 * with the scatter gradient of model/lookup.ts; the whole step takes a few seconds, most of it
 * dense Adam arithmetic over the 3.9 million entries of E_token.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertTinyConfig } from '../model/config';
import { createBertTokenizer } from '../tokenizer';
import { loadBertVocab } from '../tokenizer/test/load-vocab';
import { parseCorpus } from './corpus';
import { defaultOptimizerConfig } from './optimizers';
import { createPretrainingData } from './pretraining-data';
import { createTrainState, disposeState, trainStep } from './step';
import { smallCorpusText } from './test/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('BERT-Tiny smoke test', () => {
  it('builds BERT-Tiny and runs one Adam step on a 2 x 16 batch within seconds', async () => {
    const tokenizer = createBertTokenizer(loadBertVocab());
    const data = createPretrainingData(parseCorpus(smallCorpusText()), tokenizer, { maxSeqLength: 16 }, 1);
    const before = tf.memory().numTensors;
    const state = createTrainState(bertTinyConfig(), {
      optimizer: defaultOptimizerConfig('adam'),
      schedule: { peakLearningRate: 1e-4, warmupSteps: 0, totalSteps: 10 },
      clipNorm: 1,
      seed: 1,
    });
    const batch = data.nextBatch(2);
    const start = performance.now();
    const report = await trainStep(state, batch);
    const ms = performance.now() - start;
    disposeState(state);

    expect(report.nonFinite).toBe(false);
    // An untrained model is close to uniform over the vocabulary: MLM loss ≈ ln 30,522 ≈ 10.3.
    expect(report.loss.mlm).toBeGreaterThan(9);
    expect(report.loss.mlm).toBeLessThan(12);
    expect(report.outputGradRowNorm).toHaveLength(30522);
    expect(report.outputGradRowNorm.every((x) => x > 0)).toBe(true);
    expect(report.lookupRows.length).toBeGreaterThan(5);
    expect(ms).toBeLessThan(20_000);
    expect(tf.memory().numTensors).toBe(before);
  });
});
