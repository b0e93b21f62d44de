import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { microConfig } from '../model/config';
import { createBertTokenizer } from '../tokenizer';
import { parseCorpus } from './corpus';
import { columnMeans, median, rowNormsAbout, stepDrift, tokenDrift } from './drift';
import { defaultOptimizerConfig, type OptimizerKind } from './optimizers';
import { createPretrainingData } from './pretraining-data';
import { centredRowNorm, createTrainState, disposeState, trainStep, type TrainState } from './step';
import { smallCorpusText, smallVocab } from './test/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const vocab = smallVocab();
const V = vocab.length;
const documents = parseCorpus(smallCorpusText());
const tokenizer = createBertTokenizer(vocab);

const states: TrainState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) disposeState(s);
});

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const next = () => rng.float();
  // A common offset per column plus noise per row: the shape the drift has.
  const offset = Array.from({ length: cols }, () => next() * 4 - 2);
  return Float32Array.from({ length: rows * cols }, (_, i) => offset[i % cols]! + next() - 0.5);
}

function makeState(kind: OptimizerKind, tied: boolean): TrainState {
  const state = createTrainState(microConfig(V, { tieOutputEmbeddings: tied }), {
    optimizer: defaultOptimizerConfig(kind),
    schedule: { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 1000 },
    clipNorm: 1,
    seed: 3,
  });
  states.push(state);
  return state;
}

const tokenTable = (state: TrainState) => state.params.embeddings.token.data<'float32'>();

/** Trains `steps` steps on the small corpus; returns E_token at step 0 and after, and the last report. */
async function train(state: TrainState, steps: number) {
  const data = createPretrainingData(documents, tokenizer, { maxSeqLength: 24, maxPredictionsPerSeq: 4 }, 5);
  const start = Float32Array.from(await tokenTable(state));
  let before = start;
  let report = await trainStep(state, data.nextBatch(4));
  for (let i = 1; i < steps; i++) {
    before = Float32Array.from(await tokenTable(state));
    report = await trainStep(state, data.nextBatch(4));
  }
  return { start, before, after: Float32Array.from(await tokenTable(state)), report };
}

describe('centring the rows of a change', () => {
  it('centredRowNorm equals the row norms after subtracting the column means', () => {
    const [rows, cols] = [37, 6];
    const d = randomMatrix(rows, cols, 7);
    const byHand = rowNormsAbout(d, rows, cols, columnMeans(d, rows, cols));
    const t = tf.tensor2d(d, [rows, cols]);
    const centred = centredRowNorm(t);
    const got = centred.dataSync();
    tf.dispose([t, centred]);
    for (let r = 0; r < rows; r++) expect(got[r]).toBeCloseTo(byHand[r]!, 5);
    // And the common offset is what it removed: the plain norms are far larger.
    expect(median(rowNormsAbout(d, rows, cols, null))).toBeGreaterThan(2 * median(byHand));
  });

  it('tokenDrift splits the movement exactly: V‖m‖² + Σ‖Δ − m‖² = Σ‖Δ‖²', () => {
    const [rows, cols] = [50, 4];
    const start = randomMatrix(rows, cols, 1);
    const token = start.map((x, i) => x + randomMatrix(rows, cols, 2)[i]!);
    const drift = tokenDrift(token, start, rows, cols, 9);
    const plain = rowNormsAbout(drift.change, rows, cols, null);
    const own = rowNormsAbout(drift.change, rows, cols, drift.mean);
    const total = plain.reduce((s, n) => s + n * n, 0);
    const ownPart = own.reduce((s, n) => s + n * n, 0);
    expect(drift.commonShare).toBeCloseTo(1 - ownPart / total, 5);
    expect(drift.meanNorm).toBeCloseTo(Math.hypot(...columnMeans(drift.change, rows, cols)), 6);
    expect(drift.step).toBe(9);
  });

  it('a table that moved as one has all its movement in the shared part, and an unmoved one none', () => {
    const start = randomMatrix(10, 3, 4);
    const shifted = start.map((x, i) => x + [0.3, -0.1, 0.2][i % 3]!);
    const one = tokenDrift(shifted, start, 10, 3, 1);
    expect(one.commonShare).toBeCloseTo(1, 5);
    expect(one.medianCentred).toBeLessThan(1e-6);
    expect(one.meanNorm).toBeCloseTo(Math.hypot(0.3, 0.1, 0.2), 5);
    const still = tokenDrift(start, start, 10, 3, 0);
    expect([still.commonShare, still.meanNorm, still.medianChange]).toEqual([0, 0, 0]);
    expect(() => tokenDrift(start, start.subarray(3), 10, 3, 0)).toThrow(RangeError);
  });
});

describe('the step report’s centred change of E_token', () => {
  it('is ‖Δrow − mean Δ‖ of the update the step applied', async () => {
    const { before, after, report } = await train(makeState('adamw', true), 2);
    const H = after.length / V;
    const delta = after.map((x, i) => x - before[i]!);
    const byHand = rowNormsAbout(delta, V, H, columnMeans(delta, V, H));
    const got = report.centredUpdateRowNorm!;
    expect(got).toHaveLength(V);
    for (let r = 0; r < V; r++) expect(got[r]).toBeCloseTo(byHand[r]!, 6);
    // The report's two norms give the step's shared move back (Pythagoras).
    const m = columnMeans(delta, V, H);
    expect(stepDrift(report.updateRowNorm, got).meanNorm).toBeCloseTo(Math.hypot(...m), 5);
  });

  // On this 53-row vocabulary most rows are in every batch; the lab's 30,522 rows show it far
  // more strongly (e2e/drift.spec.ts).
  it('under tied Adam a large part of the movement is shared; under untied SGD little of it is', async () => {
    const tied = await train(makeState('adam', true), 6);
    const untied = await train(makeState('sgd', false), 6);
    const H = tied.after.length / V;
    const shareOf = (t: { start: Float32Array; after: Float32Array }) =>
      tokenDrift(t.after, t.start, V, H, 6).commonShare;
    expect(shareOf(tied)).toBeGreaterThan(0.15);
    expect(shareOf(untied)).toBeLessThan(0.06);
    expect(shareOf(tied)).toBeGreaterThan(5 * shareOf(untied));
  });
});
