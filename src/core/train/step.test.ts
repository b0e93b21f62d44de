import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nonzeroIndices, uniqueSorted } from '../math/arrays';
import { deriveSeed } from '../math/rng';
import { forward } from '../model/bert';
import { microConfig, type BertConfig } from '../model/config';
import { flattenParams, initialValues } from '../model/params';
import { createBertTokenizer } from '../tokenizer';
import { parseCorpus } from './corpus';
import { defaultOptimizerConfig, type OptimizerKind } from './optimizers';
import { createPretrainingData, padBatch, type PretrainingBatch } from './pretraining-data';
import { createTrainState, disposeState, snapshotRows, trainStep, type TrainState } from './step';
import { smallCorpusText, smallVocab } from './test/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());
const V = vocab.length;
const [PAD, CLS, SEP] = [0, 2, 3];

const states: TrainState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) disposeState(s);
});

function makeState(kind: OptimizerKind, overrides: Partial<BertConfig> = {}, seed = 1): TrainState {
  const state = createTrainState(microConfig(V, overrides), {
    optimizer: defaultOptimizerConfig(kind),
    schedule: { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 1000 },
    clipNorm: 1,
    seed,
  });
  states.push(state);
  return state;
}

function dataBatches(seed: number, batchSize = 4, maxSeqLength = 24) {
  const data = createPretrainingData(documents, tokenizer, { maxSeqLength, maxPredictionsPerSeq: 4 }, seed);
  return () => data.nextBatch(batchSize);
}

/** A batch of [CLS] a [SEP] b [SEP] sequences with no padding, masking the second slot of each. */
function handBatch(pairs: [number[], number[]][]): PretrainingBatch {
  const seqLength = Math.max(...pairs.map(([a, b]) => a.length + b.length + 3));
  return padBatch(
    pairs.map(([a, b]) => {
      const ids = [CLS, ...a, SEP, ...b, SEP];
      return {
        inputIds: ids,
        tokenTypeIds: ids.map((_, i) => (i <= a.length + 1 ? 0 : 1)),
        maskedPositions: [1],
        maskedLabels: [ids[1]!],
        maskedOutcomes: ['keep'],
        isNext: true,
      };
    }),
    seqLength,
    PAD,
  );
}

describe('trainStep accounting of E_token rows', () => {
  it('lists exactly the distinct ids of the batch as lookupRows', async () => {
    const batch = dataBatches(1)();
    const report = await trainStep(makeState('adam'), batch);
    expect(report.lookupRows).toEqual(uniqueSorted(batch.inputIds));
    const looked = new Set<number>(report.lookupRows);
    for (let r = 0; r < V; r++) if (!looked.has(r)) expect(report.lookupGradRowNorm[r]).toBe(0);
  });

  it('with an untied output and SGD, moves exactly the lookupRows', async () => {
    const batch = handBatch([
      [
        [10, 11, 12],
        [13, 14, 10],
      ],
      [
        [15, 16],
        [17, 18, 19, 20],
      ],
    ]);
    const report = await trainStep(makeState('sgd', { tieOutputEmbeddings: false }), batch);
    expect(nonzeroIndices(report.updateRowNorm)).toEqual(report.lookupRows);
    expect(report.outputGradRowNorm.every((x) => x === 0)).toBe(true);
    expect(report.movedWithoutGradient).toEqual([]);
  });

  it('looks up [PAD] for padded slots but gives it no gradient, since they are masked out of attention and loss', async () => {
    const batch = dataBatches(2, 4, 64)();
    expect(batch.attentionMask).toContain(0);
    const report = await trainStep(makeState('sgd', { tieOutputEmbeddings: false }), batch);
    expect(report.lookupRows).toContain(PAD);
    expect(report.lookupGradRowNorm[PAD]).toBe(0);
    expect(nonzeroIndices(report.updateRowNorm)).toEqual(report.lookupRows.filter((r) => r !== PAD));
  });

  it('with the output tied, gives every row of E_token a gradient through the output projection', async () => {
    const report = await trainStep(makeState('sgd'), dataBatches(3)());
    expect(report.outputGradRowNorm).toHaveLength(V);
    expect(report.outputGradRowNorm.every((x) => x > 0)).toBe(true);
    expect(nonzeroIndices(report.updateRowNorm)).toHaveLength(V);
  });

  it('with Adam, moves a row seen at step 1 and absent at step 2, and reports it as moved without gradient', async () => {
    const state = makeState('adam', { tieOutputEmbeddings: false });
    await trainStep(
      state,
      handBatch([
        [
          [10, 11],
          [12, 13],
        ],
      ]),
    );
    const report = await trainStep(
      state,
      handBatch([
        [
          [14, 15],
          [16, 17],
        ],
      ]),
    );
    expect(report.lookupGradRowNorm[10]).toBe(0);
    expect(report.updateRowNorm[10]).toBeGreaterThan(0);
    expect(report.movedWithoutGradient).toEqual([10, 11, 12, 13]);
    // Rows never seen have m = v = 0 and stay put.
    expect(report.updateRowNorm[30]).toBe(0);
  });

  it('with LazyAdam, leaves a row where it is once it stops getting a gradient', async () => {
    const state = makeState('lazyadam', { tieOutputEmbeddings: false });
    await trainStep(
      state,
      handBatch([
        [
          [10, 11],
          [12, 13],
        ],
      ]),
    );
    const before = await snapshotRows(state, [10]);
    const report = await trainStep(
      state,
      handBatch([
        [
          [14, 15],
          [16, 17],
        ],
      ]),
    );
    expect(report.updateRowNorm[10]).toBe(0);
    expect(report.movedWithoutGradient).toEqual([]);
    expect(await snapshotRows(state, [10])).toEqual(before);
  });

  it('with AdamW, weight decay moves every row of the table, seen or not', async () => {
    const report = await trainStep(
      makeState('adamw', { tieOutputEmbeddings: false }),
      handBatch([[[10], [11]]]),
    );
    expect(nonzeroIndices(report.updateRowNorm)).toHaveLength(V);
    const looked = new Set<number>(report.lookupRows);
    expect(report.movedWithoutGradient).toEqual([...Array(V).keys()].filter((r) => !looked.has(r)));
  });

  it('reports per-row position and segment updates, the learning rate, the clipping and the time per phase', async () => {
    const batch = handBatch([[[10, 11], [12]]]);
    const state = makeState('sgd');
    // The logits of the step's own forward pass: the same weights and the same dropout masks.
    const out = forward(state.params, state.config, batch, {
      training: true,
      dropout: { seed: deriveSeed(1, 'dropout'), step: 1 },
    });
    const [mlmLogits, nspLogits] = [out.mlmLogits.arraySync(), out.nspLogits.arraySync()];
    tf.dispose([out.mlmLogits, out.nspLogits]);
    const report = await trainStep(state, batch);
    expect(nonzeroIndices(report.positionUpdateRowNorm)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(nonzeroIndices(report.segmentUpdateRowNorm)).toEqual([0, 1]);
    expect(report.positionGradRowNorm).toHaveLength(64);
    expect(report.learningRate).toBeCloseTo(1e-2 * (999 / 1000), 10);
    expect(report.clipScale).toBeCloseTo(Math.min(1, 1 / report.gradNorm), 6);
    expect(report.step).toBe(1);
    expect(report.batch).toBe(batch);
    for (const ms of Object.values(report.ms)) expect(ms).toBeGreaterThanOrEqual(0);
    // The losses, recomputed from those logits in plain JS: -log softmax at the label, averaged
    // over masked slots (MLM) and over sequences (NSP, where IsNext is class 0).
    const crossEntropy = (rows: number[][], labels: number[]): number =>
      rows.reduce((sum, row, i) => {
        const max = Math.max(...row);
        return sum + max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) - row[labels[i]!]!;
      }, 0) / rows.length;
    const mlm = crossEntropy(mlmLogits, Array.from(batch.maskedLabels));
    const nsp = crossEntropy(
      nspLogits,
      Array.from(batch.isNext, (isNext) => (isNext === 1 ? 0 : 1)),
    );
    expect(report.loss.mlm).toBeCloseTo(mlm, 5);
    expect(report.loss.nsp).toBeCloseTo(nsp, 5);
    expect(report.loss.total).toBeCloseTo(mlm + nsp, 5);
  });
});

describe('trainStep runs', () => {
  it('are deterministic: the same seeds give the same batches, masks, losses and weights', async () => {
    const run = async () => {
      const state = makeState('adamw', {}, 5);
      const next = dataBatches(6);
      const reports = [];
      for (let i = 0; i < 3; i++) reports.push(await trainStep(state, next()));
      const weights = flattenParams(state.config, state.params).map((p) => Array.from(p.dataSync()));
      return { batches: reports.map((r) => r.batch), losses: reports.map((r) => r.loss), weights };
    };
    const [a, b] = [await run(), await run()];
    expect(a.batches).toEqual(b.batches);
    expect(a.losses).toEqual(b.losses);
    expect(a.weights).toEqual(b.weights);
  });

  it('leak no tensors over 50 steps', async () => {
    const state = makeState('lazyadam');
    const next = dataBatches(7, 2, 16);
    await trainStep(state, next());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await trainStep(state, next());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lower the loss on a repeated batch', async () => {
    const state = makeState('adam');
    const batch = dataBatches(8)();
    const first = await trainStep(state, batch);
    let last = first;
    for (let i = 0; i < 15; i++) last = await trainStep(state, batch);
    expect(last.loss.total).toBeLessThan(first.loss.total);
  });

  it('do not apply a step whose loss is not finite, and leave the weights untouched', async () => {
    const state = makeState('adam');
    const next = dataBatches(9);
    await trainStep(state, next());
    // An infinite output bias makes the MLM softmax NaN.
    const bias = state.params.mlm.outputBias;
    const saved = bias.dataSync().slice();
    const poisoned = saved.slice();
    poisoned[5] = Infinity;
    bias.assign(tf.tensor(poisoned));
    const weightsBefore = flattenParams(state.config, state.params).map((p) => Array.from(p.dataSync()));
    const report = await trainStep(state, next());
    expect(report.nonFinite).toBe(true);
    expect(Number.isFinite(report.loss.total)).toBe(false);
    expect(report.updateRowNorm.every((x) => x === 0)).toBe(true);
    expect(flattenParams(state.config, state.params).map((p) => Array.from(p.dataSync()))).toEqual(
      weightsBefore,
    );
    expect([state.step, state.optimizer.updates, report.step]).toEqual([1, 1, 2]);
    // Once the weights are restored, training goes on from step 2.
    bias.assign(tf.tensor(saved));
    const resumed = await trainStep(state, next());
    expect([resumed.nonFinite, resumed.step]).toEqual([false, 2]);
  });

  it('snapshot E_token rows as plain arrays', async () => {
    const state = makeState('sgd');
    const rows = await snapshotRows(state, [3, 7]);
    const init = initialValues(state.config, 1).embeddings.token;
    const H = state.config.hidden;
    expect(rows).toEqual([init.slice(3 * H, 4 * H), init.slice(7 * H, 8 * H)]);
  });
});
