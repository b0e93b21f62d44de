/**
 * The end of a post-LN sublayer, as BERT (src/core/model/bert.ts):
 *   s = dropout(x) + residual,   y = (s − μ) · rstd · γ + β,
 * with μ = mean(s) and rstd = 1/√(σ² + ε), σ² the biased variance (mean of (s − μ)²) over the row.
 *
 * Forward: one workgroup per row. Each thread keeps its ≤ 4 elements of s in registers; the mean
 * and then the variance of the centred values (two passes, which keeps σ² accurate when |μ| ≫ σ)
 * come from reductions in workgroup memory (`sum2`). x̂ = (s − μ) · rstd and rstd are saved for the
 * backward.
 *
 * Backward. With g = γ ⊙ dy and W the width, y_c = γ_c x̂_c + β_c and x̂_c = (s_c − μ) · rstd:
 *   ∂x̂_c/∂s_j = rstd (δ_cj − 1/W) − x̂_c · rstd · x̂_j / W
 * (∂μ/∂s_j = 1/W; ∂rstd/∂s_j = −rstd³ (s_j − μ)/W = −rstd² x̂_j / W). Summing g_c ∂x̂_c/∂s_j over c:
 *   ds_j = rstd · (g_j − mean_c(g_c) − x̂_j · mean_c(g_c x̂_c)).
 * So one workgroup per row reduces the two means and writes ds (dL/ds, which is also the
 * residual's gradient). s = mask ⊙ x + residual gives dx = mask ⊙ ds, with the mask recomputed
 * from the counter hash at the same index r · W + c as the forward. With accumulateDs, ds is
 * added to what the buffer holds (the residual's other gradient); dx still uses this LN's ds only.
 * The parameter gradients dγ = Σ_r dy ⊙ x̂ and dβ = Σ_r dy are a column reduction, dispatched
 * first, so that ds may overwrite dy in place (each row workgroup reads all of its dy before its
 * first barrier and writes ds after it). Likewise the forward's out or x̂ may overwrite x or the
 * residual in place.
 */
import { f32, u32, type Recorder, type View } from '../gpu';
import { KEEP_WGSL, perRowMain, rowGroups, workgroupReduce } from './prelude';
import { dropoutUniforms, run, variantKernel, type DropoutArgs } from './program';
import { columnReduce } from './reduce';

/** Dropout of the sublayer output x: unit index = r · width + c. */
export type { DropoutArgs };

export interface LayerNormForwardArgs {
  x: View;
  residual?: View;
  dropout?: DropoutArgs;
  gamma: View;
  beta: View;
  /** y [rows, width]. */
  out: View;
  /** Saved (s − μ) · rstd [rows, width]. */
  xhat: View;
  /** Saved 1/√(σ² + ε) [rows]. */
  rstd: View;
  rows: number;
  width: number;
  eps: number;
}

export interface LayerNormBackwardArgs {
  dy: View;
  xhat: View;
  rstd: View;
  gamma: View;
  /** dL/ds [rows, width] (the residual's gradient); written, or added with accumulateDs. */
  ds: View;
  accumulateDs?: boolean;
  /** With dropout: also write dL/dx = mask ⊙ ds into dx. */
  dropout?: DropoutArgs;
  dx?: View;
  /** Written (=), [width]. */
  dGamma: View;
  dBeta: View;
  rows: number;
  width: number;
}

/** Widest row: 256 threads × 4 registers each. */
const MAX_WIDTH = 1024;

/**
 * Threads per row: the smallest power of two from 32 (a warp, a wave) to 256 that leaves each
 * thread at most 4 elements. Fewer, fuller threads mean fewer partial sums to combine; SwiftShader,
 * which runs a workgroup's threads as CPU fibers, pays for every thread at every barrier.
 */
export function rowThreads(width: number): { threads: number; per: number } {
  if (!(width >= 1 && width <= MAX_WIDTH)) {
    throw new RangeError(`layerNorm: width ${width} is outside 1..${MAX_WIDTH}.`);
  }
  const threads = Math.min(256, Math.max(32, 2 ** Math.ceil(Math.log2(Math.ceil(width / 4)))));
  return { threads, per: Math.ceil(width / threads) };
}

/**
 * One LayerNorm row kernel's WGSL, forward: the header's two-pass statistics over the s values
 * each thread keeps in registers. The sublayer LN (below) and the embeddings' LN (embeddings.ts)
 * differ only in how s is loaded and y stored: `setup` runs once per row, `load` leaves s_c of
 * column c (element `at` = row · W + c) in `var v`, and `store` writes y_c from x̂_c (`xh`).
 */
export interface RowForward {
  readonly threads: number;
  readonly per: number;
  readonly keep: boolean;
  readonly setup: string;
  readonly load: string;
  readonly store: string;
}

/** And backward: `dy` is the expression of dL/dy_c, `store` writes ds_c (`ds`) and anything else. */
export interface RowBackward {
  readonly threads: number;
  readonly per: number;
  readonly keep: boolean;
  readonly dy: string;
  readonly store: string;
}

/**
 * `sum2`: the sum of a vec2 over the workgroup, every thread adding all partial sums in one fixed
 * order after one barrier (see prelude.ts's 'broadcast'), instead of log2(threads) barriers.
 */
function rowPrelude(threads: number, keep: boolean): string {
  return /* wgsl */ `${keep ? KEEP_WGSL : ''}
const WG = ${threads}u;
${workgroupReduce({ name: 'sum2', type: 'vec2f', size: threads, order: 'broadcast', combine: (a, b) => `${a} + ${b}` })}`;
}

export function rowForwardSource(o: RowForward): string {
  return /* wgsl */ `${rowPrelude(o.threads, o.keep)}
${perRowMain(
  /* wgsl */ `
  let W = u.width;
  let Wf = f32(W);
  ${o.setup}
  var sv: array<f32, ${o.per}>;
  var sum = 0.0;
  for (var p = 0u; p < ${o.per}u; p++) {
    let c = lid + p * WG;
    if (c < W) {
      let at = row * W + c;
      ${o.load}
      sv[p] = v;
      sum += v;
    }
  }
  let mean = sum2(lid, vec2f(sum, 0.0)).x / Wf;
  var sq = 0.0;
  for (var p = 0u; p < ${o.per}u; p++) {
    if (lid + p * WG < W) { let d = sv[p] - mean; sq += d * d; }
  }
  let variance = sum2(lid, vec2f(sq, 0.0)).x / Wf;
  let rstd = inverseSqrt(variance + u.eps);
  for (var p = 0u; p < ${o.per}u; p++) {
    let c = lid + p * WG;
    if (c < W) {
      let at = row * W + c;
      let xh = (sv[p] - mean) * rstd;
      xhat_put(at, xh);
      ${o.store}
    }
  }
  if (lid == 0u) { rstdOut_put(row, rstd); }`,
  o.threads,
)}`;
}

export function rowBackwardSource(o: RowBackward): string {
  return /* wgsl */ `${rowPrelude(o.threads, o.keep)}
${perRowMain(
  /* wgsl */ `
  let W = u.width;
  let Wf = f32(W);
  var gv: array<f32, ${o.per}>;
  var xv: array<f32, ${o.per}>;
  var sums = vec2f(0.0);
  for (var p = 0u; p < ${o.per}u; p++) {
    let c = lid + p * WG;
    if (c < W) {
      let at = row * W + c;
      let g = gamma(c) * ${o.dy};
      let xh = xhat(at);
      gv[p] = g;
      xv[p] = xh;
      sums += vec2f(g, g * xh);
    }
  }
  let means = sum2(lid, sums) / Wf; // (mean(g), mean(g ⊙ x̂))
  let rstd = rstdIn(row);
  for (var p = 0u; p < ${o.per}u; p++) {
    let c = lid + p * WG;
    if (c < W) {
      let at = row * W + c;
      let ds = rstd * (gv[p] - means.x - xv[p] * means.y);
      ${o.store}
    }
  }`,
  o.threads,
)}`;
}

/** The sublayer LN's variants: with or without a residual and dropout on x. */
const forwardKernel = (threads: number, per: number, residual: boolean, dropout: boolean) =>
  variantKernel('layerNormForward', { threads, per, residual, dropout }, (f) =>
    rowForwardSource({
      threads: f.threads,
      per: f.per,
      keep: f.dropout,
      setup: '',
      load: ['var v = x(at);', f.dropout ? 'v *= keep(at);' : '', f.residual ? 'v += residual(at);' : '']
        .filter((l) => l !== '')
        .join('\n      '),
      store: 'out_put(at, xh * gamma(c) + beta(c));',
    }),
  );

const backwardKernel = (threads: number, per: number, accumulate: boolean, dropout: boolean) =>
  variantKernel('layerNormBackward', { threads, per, accumulate, dropout }, (f) =>
    rowBackwardSource({
      threads: f.threads,
      per: f.per,
      keep: f.dropout,
      dy: 'dy(at)',
      store: [
        f.accumulate ? 'dsOut_put(at, dsOut(at) + ds);' : 'dsOut_put(at, ds);',
        f.dropout ? 'dx_put(at, keep(at) * ds);' : '',
      ].join('\n      '),
    }),
  );

/** y = LN(dropout(x) + residual), saving x̂ and rstd: one dispatch. */
export function layerNormForward(rec: Recorder, args: LayerNormForwardArgs): void {
  const { threads, per } = rowThreads(args.width);
  const dropout = args.dropout !== undefined;
  const written = (view: View) => ({ view, write: true });
  run(
    rec,
    forwardKernel(threads, per, args.residual !== undefined, dropout),
    {
      x: args.x,
      residual: args.residual,
      gamma: args.gamma,
      beta: args.beta,
      out: written(args.out),
      xhat: written(args.xhat),
      rstdOut: written(args.rstd),
    },
    { rows: u32(args.rows), width: u32(args.width), eps: f32(args.eps), ...dropoutUniforms(args.dropout) },
    rowGroups(args.rows),
  );
}

/** dγ and dβ, then ds (and dx with dropout): two dispatches. */
export function layerNormBackward(rec: Recorder, args: LayerNormBackwardArgs): void {
  const { threads, per } = rowThreads(args.width);
  if ((args.dropout === undefined) !== (args.dx === undefined)) {
    throw new TypeError('layerNormBackward: dropout and dx go together.');
  }
  const dropout = args.dropout !== undefined && args.dx !== undefined;
  // dβ = Σ_r dy, dγ = Σ_r dy ⊙ x̂, before ds (which may be dy's storage) is written.
  columnReduce(rec, {
    x: args.dy,
    weight: args.xhat,
    rows: args.rows,
    cols: args.width,
    out: args.dBeta,
    outWeighted: args.dGamma,
  });
  run(
    rec,
    backwardKernel(threads, per, args.accumulateDs ?? false, dropout),
    {
      dy: args.dy,
      xhat: args.xhat,
      rstdIn: args.rstd,
      gamma: args.gamma,
      dsOut: { view: args.ds, write: true },
      dx: dropout && args.dx ? { view: args.dx, write: true } : undefined,
    },
    { rows: u32(args.rows), width: u32(args.width), ...dropoutUniforms(args.dropout) },
    rowGroups(args.rows),
  );
}
