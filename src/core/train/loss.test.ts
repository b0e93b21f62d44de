import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nspLabel, pretrainingLoss } from './loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** -log softmax(row)[label], in float64 with the max subtracted, written without tfjs. */
function negLogSoftmax(row: readonly number[], label: number): number {
  const max = Math.max(...row);
  const logSumExp = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
  return logSumExp - row[label]!;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function lossOf(mlmRows: number[][], labels: number[], nspRows: number[][], isNext: number[], V = 4) {
  return tf.tidy(() => {
    const mlmLogits = mlmRows.length === 0 ? tf.zeros<tf.Rank.R2>([0, V]) : tf.tensor2d(mlmRows);
    const loss = pretrainingLoss(mlmLogits, tf.tensor2d(nspRows), {
      maskedLabels: Int32Array.from(labels),
      isNext: Uint8Array.from(isNext),
    });
    return { mlm: loss.mlm.arraySync(), nsp: loss.nsp.arraySync(), total: loss.total.arraySync() };
  });
}

describe('pretrainingLoss', () => {
  it('labels IsNext as class 0 and NotNext as class 1, as Google does', () => {
    expect([nspLabel(1), nspLabel(0)]).toEqual([0, 1]);
  });

  it('is the mean MLM cross-entropy over masked slots plus the mean NSP cross-entropy over sequences', () => {
    // Three masked slots over a vocabulary of 4, and three sequences (IsNext, NotNext, IsNext).
    const mlmRows = [
      [1, 2, 0.5, -1],
      [0, -1, 3, 0.25],
      [2, 2, 2, 2],
    ];
    const labels = [1, 2, 0];
    const nspRows = [
      [0.3, -0.2],
      [1, 1.5],
      [-2, 0],
    ];
    const isNext = [1, 0, 1];
    const mlm = mean(labels.map((label, m) => negLogSoftmax(mlmRows[m]!, label)));
    // IsNext = 1 -> class 0; NotNext = 0 -> class 1.
    const nsp = mean([
      negLogSoftmax(nspRows[0]!, 0),
      negLogSoftmax(nspRows[1]!, 1),
      negLogSoftmax(nspRows[2]!, 0),
    ]);
    // The helper itself, checked: row 3 is uniform over 4 words, so its loss is ln 4; and the two
    // means, pinned.
    expect(negLogSoftmax(mlmRows[2]!, 0)).toBeCloseTo(Math.log(4), 12);
    expect(mlm).toBeCloseTo(0.668496, 6);
    expect(nsp).toBeCloseTo(1.025027, 6);

    const loss = lossOf(mlmRows, labels, nspRows, isNext);
    expect(loss.mlm).toBeCloseTo(mlm, 5);
    expect(loss.nsp).toBeCloseTo(nsp, 5);
    expect(loss.total).toBeCloseTo(mlm + nsp, 5);
  });

  it('counts no MLM loss when nothing is masked, and stays finite for large logits', () => {
    const loss = lossOf([], [], [[1000, -1000]], [0]);
    expect(loss.mlm).toBe(0);
    expect(loss.nsp).toBeCloseTo(2000, 2); // NotNext is class 1: -log softmax = 2000
    expect(loss.total).toBeCloseTo(2000, 2);
  });

  it('differentiates the MLM cross-entropy as (softmax − onehot(label)) / M, in float64 terms', () => {
    const rows = [
      [1, 2, 0.5, -1, 0],
      [0, -1, 3, 0.25, 2],
      [40, -40, 0, 1, 1], // a peaked row: its softmax is one-hot up to float32
    ];
    const labels = [1, 2, 0];
    const grad = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) =>
          pretrainingLoss(x as tf.Tensor2D, tf.tensor2d([[0, 0]]), {
            maskedLabels: Int32Array.from(labels),
            isNext: Uint8Array.from([1]),
          }).total.mul(2),
        )(tf.tensor2d(rows))
        .arraySync(),
    ) as number[][];
    rows.forEach((row, m) => {
      const max = Math.max(...row);
      const z = row.reduce((s, x) => s + Math.exp(x - max), 0);
      row.forEach((x, v) => {
        // The upstream gradient (2) scales it, as a chain rule must.
        const want = (2 * (Math.exp(x - max) / z - (v === labels[m] ? 1 : 0))) / rows.length;
        expect(grad[m]![v]).toBeCloseTo(want, 6);
      });
    });
  });

  it('refuses a label outside the vocabulary', () => {
    expect(() => lossOf([[1, 2, 3, 4]], [4], [[0, 0]], [1])).toThrow(/outside the 4 classes/);
  });
});
