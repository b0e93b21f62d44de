import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { gatherRows, lookupIndex } from './lookup';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const V = 7;
const H = 3;
const ids = [1, 3, 1, 6, 1, 3];
const rng = new Rng(11);
const tableValues = Float32Array.from({ length: V * H }, () => rng.normal());
const weights = Float32Array.from({ length: ids.length * H }, () => rng.normal());

/** A loss that is not linear in the looked-up rows: Σ w ⊙ rows². */
function lossOf(table: tf.Tensor2D, lookup: (t: tf.Tensor2D) => tf.Tensor2D): tf.Scalar {
  return tf.tidy(() =>
    lookup(table)
      .square()
      .mul(tf.tensor2d(weights, [ids.length, H]))
      .sum(),
  );
}

function lossAt(values: Float32Array): number {
  return tf.tidy(() => lossOf(tf.tensor2d(values, [V, H]), (t) => gatherRows(t, ids)).dataSync()[0]!);
}

describe('gatherRows, the embedding lookup with a scatter gradient', () => {
  it('looks up the same rows as tf.gather', () => {
    const got = tf.tidy(() => gatherRows(tf.tensor2d(tableValues, [V, H]), ids).arraySync());
    const want = tf.tidy(() => tf.gather(tf.tensor2d(tableValues, [V, H]), ids).arraySync());
    expect(got).toEqual(want);
  });

  it('has the gradient that central finite differences measure, summing repeated ids', () => {
    const grad = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => lossOf(t as tf.Tensor2D, (x) => gatherRows(x, ids)))(
          tf.tensor2d(tableValues, [V, H]),
        )
        .dataSync(),
    );
    // The loss is quadratic in each entry, so a central difference is exact up to rounding.
    const h = 1e-2;
    for (let i = 0; i < V * H; i++) {
      const plus = Float32Array.from(tableValues);
      const minus = Float32Array.from(tableValues);
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(grad[i]).toBeCloseTo(numeric, 3);
    }
  });

  it('gives exactly zero gradient to rows no slot looked up', () => {
    const grad = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => lossOf(t as tf.Tensor2D, (x) => gatherRows(x, ids)))(
          tf.tensor2d(tableValues, [V, H]),
        )
        .arraySync(),
    ) as number[][];
    for (const row of [0, 2, 4, 5]) expect(grad[row]).toEqual([0, 0, 0]);
    for (const row of [1, 3, 6]) expect(grad[row]!.some((g) => g !== 0)).toBe(true);
  });

  it('indexes each slot to its distinct id', () => {
    const index = lookupIndex(ids);
    expect(Array.from(index.unique)).toEqual([1, 3, 6]);
    expect(Array.from(index.slotToUnique)).toEqual([0, 1, 0, 2, 0, 1]);
  });

  it('rejects an id outside the table', () => {
    expect(() => tf.tidy(() => gatherRows(tf.zeros([3, 2]), [0, 3]))).toThrow(/outside the table/);
  });
});

describe('gatherRows with a single distinct id', () => {
  it('sums every slot into that row', () => {
    const grad = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => gatherRows(t as tf.Tensor2D, [2, 2, 2]).sum())(tf.zeros([4, 2]))
        .arraySync(),
    );
    expect(grad).toEqual([
      [0, 0],
      [0, 0],
      [3, 3],
      [0, 0],
    ]);
  });
});
