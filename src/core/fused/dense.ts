/**
 * A dense layer of the fused step, forward and backward, each one helper called per layer (as
 * llm.c's matmul_forward / matmul_backward), so the step reads like the model.
 *
 *   forward:  y = x W + b          x [rows, in], W [in, out], b [out], y [rows, out]
 *             (optionally GELU'd, saving the pre-activation for the backward)
 *   backward: dW = xᵀ dy,  db = Σ_rows dy,  dx (=|+=) dy Wᵀ  (optionally ⊙ GELU'(pre) of the
 *             layer below, whose output x is)
 *
 * A kernel stored [out, in] (the tied output embedding E [V, H]: logits = z Eᵀ + b) is `transposed`:
 * y = x Wᵀ + b, dW = dyᵀ x, dx = dy W. With `batch`, `count` layers read the same x (q, k and v):
 * layer j's W_j and b_j lie `stride` elements after layer 0's, and its y_j and dy_j one
 * rows · out block after the first; one dispatch does all of them where the kernels allow.
 */
import type { DenseParams } from '../model/params';
import { view, type Recorder, type View } from './gpu';
import { matmul } from './kernels/matmul';
import { columnSum } from './kernels/reduce';

export interface DenseShape {
  /** The layer's input [rows, inputs]. */
  readonly x: View;
  /** W (and b) in the flat parameters. */
  readonly w: DenseParams<View>;
  readonly rows: number;
  readonly inputs: number;
  readonly outputs: number;
  /** W stored [outputs, inputs]. */
  readonly transposed?: boolean;
  readonly batch?: { readonly count: number; readonly stride: number };
}

/** y = x W + b, or GELU(x W + b) saving x W + b in `gelu.pre`: one dispatch. */
export function denseForward(
  rec: Recorder,
  d: DenseShape & { readonly y: View; readonly gelu?: { readonly pre: View } },
): void {
  matmul(rec, {
    a: d.x,
    b: d.w.kernel,
    bias: d.w.bias,
    c: d.y,
    m: d.rows,
    n: d.outputs,
    k: d.inputs,
    transB: d.transposed ?? false,
    ...(d.gelu === undefined ? {} : { epilogue: 'gelu' as const, preActivation: d.gelu.pre }),
    ...(d.batch === undefined
      ? {}
      : {
          batch: d.batch.count,
          strideA: 0,
          strideB: d.batch.stride,
          strideBias: d.batch.stride,
          strideC: d.rows * d.outputs,
        }),
  });
}

export interface DenseBackward extends DenseShape {
  /** dL/dy [rows, outputs] (per layer of the batch, one rows · outputs block apart). */
  readonly dy: View;
  /** Where dW and db go (written, not added): the layer's Views into the flat gradients. */
  readonly grad: DenseParams<View>;
  /** dL/dx [rows, inputs], written; or added to with accumulateDx. Absent: not computed. */
  readonly dx?: View;
  readonly accumulateDx?: boolean;
  /** dx ⊙= GELU'(pre) [rows, inputs]: x was GELU(pre). */
  readonly geluGradOf?: View;
}

/**
 * dW, db, then dx, in that order (a caller may let dx overwrite storage dy shares only after the
 * parameter gradients have read it): 2 + (count, or 1) dispatches.
 */
export function denseBackward(rec: Recorder, d: DenseBackward): void {
  const { rows, inputs, outputs } = d;
  const count = d.batch?.count ?? 1;
  const stride = d.batch?.stride ?? 0;
  if (d.transposed === true && count > 1)
    throw new TypeError('denseBackward: no batch of transposed kernels.');
  const block = rows * outputs;
  if (d.transposed === true) {
    // dW [out, in] = dyᵀ x.
    matmul(rec, { a: d.dy, transA: true, b: d.x, c: d.grad.kernel, m: outputs, n: inputs, k: rows });
  } else {
    // dW_j [in, out] = xᵀ dy_j, for every j in one dispatch.
    const batched = count > 1 ? { batch: count, strideA: 0, strideB: block, strideC: stride } : {};
    matmul(rec, {
      a: d.x,
      transA: true,
      b: d.dy,
      c: d.grad.kernel,
      m: inputs,
      n: outputs,
      k: rows,
      ...batched,
    });
  }
  const batchedSum = count > 1 ? { batch: count, strideX: block, strideOut: stride } : {};
  columnSum(rec, { x: d.dy, rows, cols: outputs, out: d.grad.bias, ...batchedSum });
  if (d.dx === undefined) return;
  for (let j = 0; j < count; j++) {
    // dx (=|+=) dy_j W_jᵀ; the layers after the first add into what the first wrote.
    matmul(rec, {
      a: view(d.dy.buffer, d.dy.offset + j * block),
      b: view(d.w.kernel.buffer, d.w.kernel.offset + j * stride),
      transB: d.transposed !== true,
      c: d.dx,
      m: rows,
      n: inputs,
      k: outputs,
      ...(j > 0 || d.accumulateDx === true ? { accumulate: true } : {}),
      ...(d.geluGradOf === undefined ? {} : { geluGradOf: d.geluGradOf }),
    });
  }
}
