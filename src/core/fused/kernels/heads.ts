/**
 * The masked-LM head's row plumbing and loss (src/core/train/loss.ts's crossEntropy, fused):
 *
 *   gatherRows       out[m] = src[index[m]]            (the M masked slots out of the N rows)
 *   scatterAddRows   out[index[m]] += src[m]           (their gradient back; indices distinct)
 *   softmaxCrossEntropy over V classes:
 *     loss      = (1/M) Σ_m −log softmax(x_m)[y_m] = (1/M) Σ_m (log Σ_j e^(x_mj − μ_m) − (x_my − μ_m))
 *     dL/dx_mj  = (softmax(x_m)_j − [j = y_m]) / M
 *   with μ_m = max_j x_mj so that no exponent overflows.
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';
import { WIDE_WG as WG, perThreadMain, workgroupReduce } from './prelude';
import { fixedKernel, run, type Kernel } from './program';

export interface RowsArgs {
  src: View;
  /** i32 [rows]. */
  index: View;
  out: View;
  rows: number;
  width: number;
}

/**
 * One thread per element (m, c) of the picked rows; `move` sees `picked` = index[m]·width + c,
 * the element of the full [N, width] matrix, and i = m·width + c, that of the [rows, width] one.
 */
const rowsKernel = (name: string, move: string): Kernel =>
  fixedKernel(
    name,
    perThreadMain(
      WG,
      /* wgsl */ `
  if (i >= u.rows * u.width) { return; }
  let m = i / u.width;
  let picked = u32(index(m)) * u.width + (i - m * u.width);
  ${move}
`,
    ),
  );

const GATHER = rowsKernel('gatherRows', 'out_put(i, src(picked));');
/** Each index appears once, so no two threads add into one element: no atomics needed. */
const SCATTER_ADD = rowsKernel('scatterAddRows', 'out_put(picked, out(picked) + src(i));');

function runRows(rec: Recorder, kernel: Kernel, a: RowsArgs): void {
  const views = {
    src: a.src,
    index: { view: a.index, type: 'i32' },
    out: { view: a.out, write: true },
  } as const;
  run(rec, kernel, views, { rows: u32(a.rows), width: u32(a.width) }, groupsFor(a.rows * a.width, WG));
}

export function gatherRows(rec: Recorder, a: RowsArgs): void {
  runRows(rec, GATHER, a);
}

export function scatterAddRows(rec: Recorder, a: RowsArgs): void {
  runRows(rec, SCATTER_ADD, a);
}

/** Σ over the workgroup's 256 threads by a fixed tree: the same bits every run. */
const SUM = workgroupReduce({
  name: 'workgroup_sum',
  type: 'f32',
  size: WG,
  order: 'tree',
  combine: (a, b) => `${a} + ${b}`,
});

/**
 * Pass 1, one workgroup per row. Each thread owns the classes j ≡ t (mod 256) in all three loops,
 * so reading x_j and overwriting it with its gradient never races with another thread. The label's
 * slot temporarily holds the row's loss instead of its gradient: pass 2 needs every row's loss for
 * a deterministic mean and has no other place to find it, and recovers the gradient there from it,
 * softmax_y = e^(−loss_m).
 */
const CE_ROWS = fixedKernel(
  'crossEntropy.rows',
  /* wgsl */ `
struct Best { v: f32, at: u32 }
fn better(a: Best, b: Best) -> Best {
  if (b.v > a.v || (b.v == a.v && b.at < a.at)) { return b; }
  return a;
}
${workgroupReduce({ name: 'arg_max', type: 'Best', size: WG, order: 'tree', combine: (a, b) => `better(${a}, ${b})` })}
${SUM}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let row = wg.x;
  let base = row * u.classes;
  // max and its first index: strict > within a thread's ascending classes, then the lower index on ties.
  // Threads past the last class start from class 0, a real candidate, so no −∞ is needed.
  var at = select(0u, t, t < u.classes);
  var mx = logits(base + at);
  for (var j = t; j < u.classes; j += ${WG}u) {
    let x = logits(base + j);
    if (x > mx) { mx = x; at = j; }
  }
  let best = arg_max(t, Best(mx, at));
  let mu = best.v;
  // Σ_j e^(x_j − μ), a fixed tree over the threads' partial sums: the same bits every run.
  var s1 = 0.0;
  for (var j = t; j < u.classes; j += ${WG}u) { s1 += exp(logits(base + j) - mu); }
  let sum = workgroup_sum(t, s1);
  let label = u32(labels(row));
  let invM = 1.0 / f32(u.rows);
  for (var j = t; j < u.classes; j += ${WG}u) {
    let x = logits(base + j);
    if (j == label) {
      logits_put(base + j, log(sum) - (x - mu)); // −log softmax_y, replaced in pass 2
    } else {
      logits_put(base + j, exp(x - mu) / sum * invM);
    }
  }
  if (t == 0u) { predictions_put(row, i32(best.at)); }
}`,
);

/** Pass 2, one workgroup: the mean of the row losses (fixed tree), and the labels' gradients. */
const CE_MEAN = fixedKernel(
  'crossEntropy.mean',
  /* wgsl */ `
${SUM}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  for (var r = t; r < u.rows; r += ${WG}u) {
    let at = r * u.classes + u32(labels(r));
    let l = logits(at);
    s += l;
    logits_put(at, (exp(-l) - 1.0) / f32(u.rows)); // (softmax_y − 1) / M
  }
  let total = workgroup_sum(t, s);
  if (t == 0u) { loss_put(0u, select(0.0, total / f32(u.rows), u.rows > 0u)); }
}`,
);

export function softmaxCrossEntropy(
  rec: Recorder,
  a: { logits: View; labels: View; loss: View; predictions: View; rows: number; classes: number },
): void {
  const maxRows = rec.ctx.device.limits.maxComputeWorkgroupsPerDimension;
  if (a.rows > maxRows) throw new RangeError(`${a.rows} rows; one workgroup each allows ${maxRows}.`);
  const uniforms = { rows: u32(a.rows), classes: u32(a.classes) };
  const logits = { view: a.logits, write: true };
  const labels = { view: a.labels, type: 'i32' } as const;
  const predictions = { view: a.predictions, type: 'i32', write: true } as const;
  // With M = 0 the Recorder drops this dispatch (no workgroups): the logits are not touched.
  run(rec, CE_ROWS, { logits, labels, predictions }, uniforms, [a.rows]);
  run(rec, CE_MEAN, { logits, labels, loss: { view: a.loss, write: true } }, uniforms, [1]);
}
