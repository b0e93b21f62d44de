/**
 * Helpers of the dense kernels' tests: operands placed at odd element offsets of their buffers
 * (so a kernel that ignores an offset reads the wrong numbers), matrices stored with a row stride
 * wider than their width (with loud garbage in the gap, so a wrong stride shows), and the
 * composite tfjs formulas of src/core/model/bert.ts the kernels are checked against.
 */
import * as tf from '@tensorflow/tfjs';
import type { GpuContext, View } from '../gpu';
import { randomArray } from './harness';

/** A buffer holding `data` at element `offset` (with `offset` and 7 elements of filler around it). */
export function place(ctx: GpuContext, label: string, data: Float32Array, offset = 5): View {
  const buffer = ctx.storage(label, offset + data.length + 7);
  const filled = new Float32Array(offset + data.length + 7).fill(-777);
  filled.set(data, offset);
  ctx.write(buffer, filled);
  return { buffer, offset };
}

/** Several arrays in one buffer, each at its own offset (the flat `params` / `grads` layout). */
export function placeMany(ctx: GpuContext, label: string, parts: readonly Float32Array[]): View[] {
  let at = 3;
  const offsets = parts.map((p) => {
    const o = at;
    at += p.length + 61; // not a multiple of anything in particular
    return o;
  });
  const all = new Float32Array(at).fill(-777);
  parts.forEach((p, i) => all.set(p, offsets[i]!));
  const buffer = ctx.storage(label, at);
  ctx.write(buffer, all);
  return offsets.map((offset) => ({ buffer, offset }));
}

export function readView(ctx: GpuContext, v: View, elements: number): Promise<Float32Array> {
  return ctx.read(v.buffer, v.offset, elements);
}

/** A [rows, cols] matrix, and the same matrix stored with row stride ld (garbage in the gap). */
export function strided(seed: number, rows: number, cols: number, ld = cols, std = 1) {
  const dense = randomArray(seed, rows * cols, std);
  const stored = new Float32Array(rows * ld).fill(1e3);
  for (let r = 0; r < rows; r++) stored.set(dense.subarray(r * cols, r * cols + cols), r * ld);
  return { dense, stored };
}

/** Strips the row stride: the [rows, cols] part of a matrix stored with stride ld. */
export function unstride(stored: Float32Array, rows: number, cols: number, ld: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(stored.subarray(r * ld, r * ld + cols), r * cols);
  return out;
}

/** GELU exactly as bert.ts: x · ½ (1 + erf(x / √2)). */
export function geluRef<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
  return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5));
}

/** LayerNorm exactly as bert.ts: (x − μ) · rsqrt(σ² + ε) · γ + β, σ² the biased variance. */
export function layerNormRef(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number) {
  const mean = tf.mean(x, -1, true);
  const centered = x.sub(mean);
  const variance = tf.mean(centered.square(), -1, true);
  const rstd = tf.rsqrt(variance.add(eps));
  const xhat = centered.mul(rstd) as tf.Tensor2D;
  return { xhat, rstd: rstd.reshape([-1]) as tf.Tensor1D, output: xhat.mul(gamma).add(beta) as tf.Tensor2D };
}

/** The data of a tensor computed inside tf.tidy, as a Float32Array. */
export function tidyData(f: () => tf.Tensor): Float32Array {
  return tf.tidy(() => new Float32Array(f().dataSync()));
}
