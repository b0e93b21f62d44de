/**
 * Column reductions over the rows of a matrix: the bias gradients (db = Σ_r dy[r]) and
 * LayerNorm's dγ = Σ_r dy ⊙ x̂, dβ = Σ_r dy.
 *
 * Deterministic without atomics: a workgroup owns 16 whole columns. Its 16 × 16 threads are 16
 * column lanes × 16 row lanes; row lane ly sums rows ly, ly + 16, ly + 32, … of its column in
 * order, then the 16 partial sums of a column are added by a fixed tree in workgroup memory. The
 * order of every addition depends only on the shape, so a run gives the same bits every time.
 * Neighbouring threads read neighbouring columns of a row, so the reads are coalesced.
 */
import { u32, type Recorder, type View } from '../gpu';
import { run, variantKernel } from './program';

const LANES = 16; // columns per workgroup, and row lanes per column

export interface ColumnSumArgs {
  /** x [rows, cols] with row stride ldx (default cols). */
  x: View;
  rows: number;
  cols: number;
  ldx?: number;
  /** out[c] (=|+=) Σ_r x[r, c]. */
  out: View;
  accumulate?: boolean;
  batch?: number;
  /** Per-batch element strides; default rows · ldx and cols. */
  strideX?: number;
  strideOut?: number;
}

/**
 * The general form, shared with LayerNorm's backward: out[c] (=|+=) Σ_r x[r, c], and, when
 * `weight` and `outWeighted` are given, outWeighted[c] (=|+=) Σ_r x[r, c] · weight[r, c]
 * (weight has the layout of x).
 */
export interface ColumnReduceArgs extends ColumnSumArgs {
  weight?: View;
  outWeighted?: View;
}

function source({ weighted, accumulate }: { weighted: boolean; accumulate: boolean }) {
  const store = (name: string, at: string, v: string) =>
    accumulate ? `${name}_put(${at}, ${name}(${at}) + ${v});` : `${name}_put(${at}, ${v});`;
  return /* wgsl */ `
const L = ${LANES}u;
var<workgroup> partial: array<f32, ${LANES * LANES}>; // partial[ly * L + lx]
${weighted ? `var<workgroup> partialW: array<f32, ${LANES * LANES}>;` : ''}

@compute @workgroup_size(${LANES}, ${LANES})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let lx = lid.x;
  let ly = lid.y;
  let c = wg.x * L + lx;
  let z = wg.y;
  let xBase = z * u.strideX;
  var s = 0.0;
  ${weighted ? 'var sw = 0.0;' : ''}
  if (c < u.cols) {
    for (var r = ly; r < u.rows; r += L) {
      let at = r * u.ldx + c;
      let v = x(xBase + at);
      s += v;
      ${weighted ? 'sw += v * w(z * u.strideX + at);' : ''}
    }
  }
  partial[ly * L + lx] = s;
  ${weighted ? 'partialW[ly * L + lx] = sw;' : ''}
  workgroupBarrier();
  for (var gap = L / 2u; gap > 0u; gap >>= 1u) {
    if (ly < gap) {
      partial[ly * L + lx] += partial[(ly + gap) * L + lx];
      ${weighted ? 'partialW[ly * L + lx] += partialW[(ly + gap) * L + lx];' : ''}
    }
    workgroupBarrier();
  }
  if (ly == 0u && c < u.cols) {
    ${store('out', 'z * u.strideOut + c', 'partial[lx]')}
    ${weighted ? store('outW', 'z * u.strideOut + c', 'partialW[lx]') : ''}
  }
}`;
}

/** Column sums, and optionally weighted column sums, in one dispatch. */
export function columnReduce(rec: Recorder, args: ColumnReduceArgs): void {
  const { rows, cols } = args;
  const ldx = args.ldx ?? cols;
  const batch = args.batch ?? 1;
  const weighted = args.weight !== undefined && args.outWeighted !== undefined;
  run(
    rec,
    variantKernel('columnReduce', { weighted, accumulate: args.accumulate ?? false }, source),
    {
      x: args.x,
      out: { view: args.out, write: true },
      w: weighted ? args.weight : undefined,
      outW: weighted && args.outWeighted ? { view: args.outWeighted, write: true } : undefined,
    },
    {
      rows: u32(rows),
      cols: u32(cols),
      ldx: u32(ldx),
      strideX: u32(args.strideX ?? rows * ldx),
      strideOut: u32(args.strideOut ?? cols),
    },
    [Math.ceil(cols / LANES), batch],
  );
}

/** out[c] (=|+=) Σ_r x[r, c], per batch: one dispatch, deterministic. */
export function columnSum(rec: Recorder, args: ColumnSumArgs): void {
  columnReduce(rec, args);
}
