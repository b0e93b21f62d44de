/**
 * Cases of `columnSum`, `layerNormForward` and `layerNormBackward` against the composite tfjs ops
 * on the cpu backend: tf.sum for the column sums, bert.ts's LayerNorm formula for the forward, and
 * tf.grads of that formula (with the dropout mask of src/core/fused/dropoutHash.ts multiplied in)
 * for the backward. bert-tiny's shapes (N = 512 rows, H = 128) and odd ones (H = 36, 3 × 13 rows,
 * widths past 256 that give each thread several elements).
 */
import * as tf from '@tensorflow/tfjs';
import { DROPOUT_SITE, dropoutMask } from '../dropoutHash';
import { Recorder, type View } from '../gpu';
import { layerNormBackward, layerNormForward, type DropoutArgs } from '../kernels/layerNorm';
import { columnSum } from '../kernels/reduce';
import { FORWARD_BOUND, GRADIENT_BOUND, gpu, randomArray, result, type CaseResult } from './harness';
import type { NORM_CASES } from './denseCases';
import { layerNormRef, place, placeMany, readView, strided, unstride } from './denseUtil';

const EPS = 1e-12; // BERT's layer_norm_eps

interface ColumnSpec {
  rows: number;
  cols: number;
  pad?: number;
  accumulate?: boolean;
  batch?: number;
}

async function runColumnSum(spec: ColumnSpec): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { rows, cols } = spec;
  const ldx = cols + (spec.pad ?? 0);
  const batch = spec.batch ?? 1;
  const strideX = rows * ldx + 5;
  const strideOut = cols + 3;
  const x = randomArray(21, (batch - 1) * strideX + rows * ldx);
  const out0 = randomArray(22, (batch - 1) * strideOut + cols);
  const xv = place(ctx, 'x', x, 4);
  const outs = [place(ctx, 'out', out0, 2), place(ctx, 'again', out0, 2)];
  const rec = new Recorder(ctx);
  for (const out of outs) {
    columnSum(rec, {
      x: xv,
      rows,
      cols,
      ldx,
      out,
      accumulate: spec.accumulate ?? false,
      batch,
      strideX,
      strideOut,
    });
  }
  if (rec.submit() !== 2) throw new Error('columnSum recorded more than one dispatch');
  const [got, again] = [
    await readView(ctx, outs[0]!, out0.length),
    await readView(ctx, outs[1]!, out0.length),
  ];
  const gotDense = new Float32Array(batch * cols);
  const want = new Float32Array(batch * cols);
  let differ = 0;
  for (let z = 0; z < batch; z++) {
    const slice = unstride(x.subarray(z * strideX, z * strideX + rows * ldx), rows, cols, ldx);
    const sums = tf.tidy(() => {
      const s = tf.sum(tf.tensor2d(slice, [rows, cols]), 0);
      const prior = tf.tensor1d(out0.subarray(z * strideOut, z * strideOut + cols));
      return new Float32Array((spec.accumulate ? s.add(prior) : s).dataSync());
    });
    want.set(sums, z * cols);
    gotDense.set(got.subarray(z * strideOut, z * strideOut + cols), z * cols);
  }
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], again[i])) differ++;
  return [
    result('column sums', gotDense, want, FORWARD_BOUND),
    { what: 'elements that differ between two identical runs', error: differ, bound: 0 },
  ];
}

interface NormSpec {
  rows: number;
  width: number;
  residual?: boolean;
  dropout?: boolean;
}

const DROPOUT: DropoutArgs = { seed: 0x5eed1234, step: 7, site: DROPOUT_SITE.attentionOutput(1), rate: 0.1 };

/** The inputs of one case: x, residual, γ, β (γ around 1, β around 0, as trained LayerNorms). */
function normInputs(spec: NormSpec) {
  const { rows, width } = spec;
  const x = strided(31, rows, width, width, 2).dense;
  for (let i = 0; i < x.length; i++) x[i]! += 0.5; // a nonzero mean to subtract
  const residual = randomArray(32, rows * width);
  const gamma = randomArray(33, width, 0.2).map((g) => 1 + g);
  const beta = randomArray(34, width, 0.2);
  const mask = spec.dropout
    ? dropoutMask(DROPOUT.seed, DROPOUT.step, DROPOUT.site, rows * width, DROPOUT.rate)
    : new Float32Array(rows * width).fill(1);
  return { x, residual, gamma, beta, mask };
}

/** s = x ⊙ mask (+ residual) as tensors, inside a tidy. */
function sumRef(spec: NormSpec, x: tf.Tensor2D, residual: tf.Tensor2D, mask: Float32Array): tf.Tensor2D {
  const dropped = spec.dropout ? x.mul(tf.tensor2d(mask, x.shape)) : x;
  return (spec.residual ? dropped.add(residual) : dropped) as tf.Tensor2D;
}

async function runForward(spec: NormSpec): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { rows, width } = spec;
  const { x, residual, gamma, beta, mask } = normInputs(spec);
  const [gammaV, betaV] = placeMany(ctx, 'params', [gamma, beta]) as [View, View];
  const [out, xhat, rstd] = placeMany(ctx, 'acts', [
    new Float32Array(rows * width),
    new Float32Array(rows * width),
    new Float32Array(rows),
  ]) as [View, View, View];
  const rec = new Recorder(ctx);
  layerNormForward(rec, {
    x: place(ctx, 'x', x, 3),
    ...(spec.residual ? { residual: place(ctx, 'residual', residual, 6) } : {}),
    ...(spec.dropout ? { dropout: DROPOUT } : {}),
    gamma: gammaV,
    beta: betaV,
    out,
    xhat,
    rstd,
    rows,
    width,
    eps: EPS,
  });
  if (rec.submit() !== 1) throw new Error('layerNormForward recorded more than one dispatch');
  const want = tf.tidy(() => {
    const s = sumRef(spec, tf.tensor2d(x, [rows, width]), tf.tensor2d(residual, [rows, width]), mask);
    const r = layerNormRef(s, tf.tensor1d(gamma), tf.tensor1d(beta), EPS);
    return {
      y: r.output.dataSync().slice(),
      xhat: r.xhat.dataSync().slice(),
      rstd: r.rstd.dataSync().slice(),
    };
  });
  return [
    result('y', await readView(ctx, out, rows * width), want.y, FORWARD_BOUND),
    result('x̂', await readView(ctx, xhat, rows * width), want.xhat, FORWARD_BOUND),
    result('rstd', await readView(ctx, rstd, rows), want.rstd, FORWARD_BOUND),
  ];
}

async function runBackward(
  backward: Omit<NormSpec, 'residual'> & { accumulateDs?: boolean; inPlace?: boolean },
): Promise<CaseResult[]> {
  const ctx = await gpu();
  // The backward does not know whether s had a residual; with one, its gradient is ds itself.
  const spec = { ...backward, residual: true };
  const { rows, width } = spec;
  const { x, residual, gamma, beta, mask } = normInputs(spec);
  const dy = randomArray(35, rows * width);
  const ds0 = randomArray(36, rows * width);
  // x̂ and rstd as the forward saves them, from the reference, so this checks the backward alone.
  const ref = tf.tidy(() => {
    const [xt, rt, gt, bt] = [
      tf.tensor2d(x, [rows, width]),
      tf.tensor2d(residual, [rows, width]),
      tf.tensor1d(gamma),
      tf.tensor1d(beta),
    ];
    const saved = layerNormRef(sumRef(spec, xt, rt, mask), gt, bt, EPS);
    const f = (a: tf.Tensor, r: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      layerNormRef(
        sumRef(spec, a as tf.Tensor2D, r as tf.Tensor2D, mask),
        g as tf.Tensor1D,
        b as tf.Tensor1D,
        EPS,
      ).output;
    const [dx, ds, dGamma, dBeta] = tf.grads(f)(
      [xt, rt, gt, bt],
      tf.tensor2d(dy, [rows, width]),
    ) as tf.Tensor[];
    const data = (t: tf.Tensor) => t.dataSync().slice() as Float32Array;
    const dsTotal = spec.accumulateDs ? ds!.add(tf.tensor2d(ds0, [rows, width])) : ds!;
    return {
      xhat: data(saved.xhat),
      rstd: data(saved.rstd),
      dx: data(dx!),
      ds: data(dsTotal),
      dGamma: data(dGamma!),
      dBeta: data(dBeta!),
    };
  });
  const [dsFresh, dxV] = placeMany(ctx, 'scratch', [ds0, new Float32Array(rows * width).fill(9)]) as [
    View,
    View,
  ];
  const dyV = place(ctx, 'dy', dy, 2);
  const dsV = spec.inPlace ? dyV : dsFresh; // in place: ds overwrites dy
  const [dGammaV, dBetaV] = placeMany(ctx, 'grads', [
    new Float32Array(width).fill(5),
    new Float32Array(width).fill(5),
  ]) as [View, View];
  const rec = new Recorder(ctx);
  layerNormBackward(rec, {
    dy: dyV,
    xhat: place(ctx, 'xhat', ref.xhat, 4),
    rstd: place(ctx, 'rstd', ref.rstd, 1),
    gamma: placeMany(ctx, 'params', [beta, gamma])[1]!,
    ds: dsV,
    ...(spec.accumulateDs ? { accumulateDs: true } : {}),
    ...(spec.dropout ? { dropout: DROPOUT, dx: dxV } : {}),
    dGamma: dGammaV,
    dBeta: dBetaV,
    rows,
    width,
  });
  if (rec.submit() > 2) throw new Error('layerNormBackward recorded more than two dispatches');
  const out = [
    result(
      'ds (dL/ds, the residual gradient)',
      await readView(ctx, dsV, rows * width),
      ref.ds,
      GRADIENT_BOUND,
    ),
    result('dγ', await readView(ctx, dGammaV, width), ref.dGamma, GRADIENT_BOUND),
    result('dβ', await readView(ctx, dBetaV, width), ref.dBeta, GRADIENT_BOUND),
  ];
  if (spec.dropout)
    out.push(result('dx = mask ⊙ ds', await readView(ctx, dxV, rows * width), ref.dx, GRADIENT_BOUND));
  return out;
}

export const normCases: Record<keyof typeof NORM_CASES, () => Promise<CaseResult[]>> = {
  biasGrad: () => runColumnSum({ rows: 512, cols: 384 }),
  columnOdd: () => runColumnSum({ rows: 37, cols: 29, pad: 3, accumulate: true, batch: 3 }),
  lnForward: () => runForward({ rows: 512, width: 128, residual: true }),
  lnForwardDropout: () => runForward({ rows: 39, width: 36, residual: true, dropout: true }),
  lnForwardWide: () => runForward({ rows: 7, width: 1000 }),
  lnBackward: () => runBackward({ rows: 512, width: 128 }),
  lnBackwardDropout: () => runBackward({ rows: 39, width: 36, dropout: true, accumulateDs: true }),
  lnBackwardInPlace: () => runBackward({ rows: 39, width: 36, inPlace: true }),
  lnBackwardWide: () => runBackward({ rows: 9, width: 700, dropout: true }),
};
