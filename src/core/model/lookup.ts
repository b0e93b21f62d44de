/**
 * Row lookup `table[ids]` with a gradient written for embedding tables.
 *
 * tfjs's own `gather` gradient is UnsortedSegmentSum, which the wasm backend does not have and
 * whose cpu kernel took about 70 s per step for a 30,522-row table. The gradient of a lookup is
 * simple enough to write down: row r of dL/dtable is the sum of the upstream rows dy[n] over the
 * slots n that looked up id r, and zero for every id that was not looked up. With the U distinct
 * ids of the batch known in TypeScript (the ids are plain data), that is
 *
 *   rowSums[U, H] = onehot(slot -> distinct id)ᵀ[U, N] · dy[N, H]   (one matMul)
 *   grad[V, H]    = scatterND(rowSums at the U distinct ids)        (each id once, no collisions)
 *
 * Both are kernels every tfjs backend has (cpu, wasm, webgl, webgpu), and the cost grows with
 * N·U·H and U·H, not with V·N·H.
 */
import * as tf from '@tensorflow/tfjs-core';
import { uniqueSorted } from '../math/arrays';

/** The distinct ids (ascending) and, for each slot, the index of its id among them. */
export interface LookupIndex {
  readonly unique: Int32Array; // [U]
  readonly slotToUnique: Int32Array; // [N]
}

export function lookupIndex(ids: ArrayLike<number>): LookupIndex {
  const unique = Int32Array.from(uniqueSorted(ids));
  const where = new Map<number, number>();
  unique.forEach((id, u) => where.set(id, u));
  const slotToUnique = new Int32Array(ids.length);
  for (let n = 0; n < ids.length; n++) slotToUnique[n] = where.get(ids[n]!)!;
  return { unique, slotToUnique };
}

/**
 * `table[ids]`: [rows, H] -> [N, H], differentiable in `table` through the scatter above.
 * `ids` are plain integers (not a tensor): they are data, never differentiated.
 */
export function gatherRows(table: tf.Tensor2D, ids: ArrayLike<number>): tf.Tensor2D {
  const rows = table.shape[0];
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    if (!Number.isInteger(id) || id < 0 || id >= rows) {
      throw new RangeError(`Lookup id ${id} at slot ${n} is outside the table's ${rows} rows.`);
    }
  }
  const index = lookupIndex(ids);
  const lookup = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
    const t = input as tf.Tensor2D;
    const value = tf.tidy(() => tf.gather(t, tf.tensor1d(Int32Array.from(ids), 'int32'))); // [N, H]
    const gradFunc = (dy: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        const U = index.unique.length;
        const H = t.shape[1];
        // Sum the upstream rows of the slots that share an id. The one-hot matrix is built here
        // rather than with tf.oneHot: tfjs-backend-wasm 4.22's OneHot ignores the float32 dtype
        // and writes integer bit patterns (1 reads back as 1.4e-45), which zeroed the gradient.
        // It is built already transposed, [U, N], since a transposed operand is slow on wasm too.
        const N = index.slotToUnique.length;
        const oneHotT = new Float32Array(U * N);
        index.slotToUnique.forEach((u, n) => (oneHotT[u * N + n] = 1));
        const rowSums = tf.matMul(tf.tensor2d(oneHotT, [U, N]), dy as tf.Tensor2D); // [U, N]·[N, H] = [U, H]
        const at = tf.tensor2d(index.unique, [U, 1], 'int32'); // [U, 1]
        return tf.scatterND(at, rowSums, [rows, H]); // [rows, H]
      });
    return { value, gradFunc };
  });
  return lookup(table) as tf.Tensor2D;
}
