/**
 * Matrix products whose gradients are written out with explicit transposes.
 *
 * The math is exactly tf.matMul and its autodiff. The reason is speed: tfjs-backend-wasm 4.22
 * runs a matMul with a transposed operand about 10x slower than a plain one (measured: 338 ms
 * against 31 ms for [80,128]·[30522,128]ᵀ, plus 16 ms for the explicit transpose; 66 ms against
 * about 8 ms for a [512,512]ᵀ·[512,128] weight gradient), and autodiff of y = a · b computes
 * both gradients with transposed operands: da = dy · bᵀ, db = aᵀ · dy. On bert-tiny those made
 * most of a wasm training step. WebGL and WebGPU transpose cheaply either way.
 */
import * as tf from '@tensorflow/tfjs-core';

/** a · b: [N, K] · [K, M] -> [N, M], with da = dy · transpose(b) and db = transpose(a) · dy. */
export function matMulPlain(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, w]);
    const value = tf.matMul(x, w); // [N, K] · [K, M] = [N, M]
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)); // [N, M] · [M, K] = [N, K]
      const dw = tf.matMul(tf.transpose(xs), dy as tf.Tensor2D); // [K, N] · [N, M] = [K, M]
      return [dx, dw];
    };
    return { value, gradFunc };
  });
  return product(a, b) as tf.Tensor2D;
}

/**
 * The tied MLM output projection h · tableᵀ: [M, H] · [V, H]ᵀ -> [M, V], with
 * dh = dy · table ([M, V] · [V, H]) and dtable = transpose(dy) · h ([V, M] · [M, H]).
 */
export function projectOntoRows(h: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const project = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, t, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, t]);
    const value = tf.matMul(x, tf.transpose(t)); // [M, H] · [H, V] = [M, V]
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ts] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = tf.matMul(dy as tf.Tensor2D, ts); // [M, V] · [V, H] = [M, H]
      const dt = tf.matMul(tf.transpose(dy as tf.Tensor2D), xs); // [V, M] · [M, H] = [V, H]
      return [dx, dt];
    };
    return { value, gradFunc };
  });
  return project(h, table) as tf.Tensor2D;
}
