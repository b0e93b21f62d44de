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
import { perThreadMain, program, record } from './program';

const WG = 256;

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
function rowsKernel(rec: Recorder, label: string, a: RowsArgs, move: string): void {
  const p = program(
    { src: a.src, index: { view: a.index, type: 'i32' }, out: { view: a.out, write: true } },
    { rows: u32(a.rows), width: u32(a.width) },
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
  record(rec, label, p, groupsFor(a.rows * a.width, WG));
}

export function gatherRows(rec: Recorder, a: RowsArgs): void {
  rowsKernel(rec, 'gatherRows', a, 'out_put(i, src(picked));');
}

/** Each index appears once, so no two threads add into one element: no atomics needed. */
export function scatterAddRows(rec: Recorder, a: RowsArgs): void {
  rowsKernel(rec, 'scatterAddRows', a, 'out_put(picked, out(picked) + src(i));');
}

/**
 * Pass 1, one workgroup per row. Each thread owns the classes j ≡ t (mod 256) in all three loops,
 * so reading x_j and overwriting it with its gradient never races with another thread. The label's
 * slot temporarily holds the row's loss instead of its gradient: pass 2 needs every row's loss for
 * a deterministic mean and has no other place to find it, and recovers the gradient there from it,
 * softmax_y = e^(−loss_m).
 */
const CE_ROWS = /* wgsl */ `
var<workgroup> best: array<f32, ${WG}>;
var<workgroup> bestAt: array<u32, ${WG}>;
var<workgroup> total: array<f32, ${WG}>;
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
  best[t] = mx;
  bestAt[t] = at;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (t < s) {
      let b = best[t + s];
      let ba = bestAt[t + s];
      if (b > best[t] || (b == best[t] && ba < bestAt[t])) { best[t] = b; bestAt[t] = ba; }
    }
    workgroupBarrier();
  }
  let mu = best[0];
  // Σ_j e^(x_j − μ), a fixed tree over the threads' partial sums: the same bits every run.
  var s1 = 0.0;
  for (var j = t; j < u.classes; j += ${WG}u) { s1 += exp(logits(base + j) - mu); }
  total[t] = s1;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (t < s) { total[t] += total[t + s]; }
    workgroupBarrier();
  }
  let sum = total[0];
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
  if (t == 0u) { predictions_put(row, i32(bestAt[0])); }
}`;

/** Pass 2, one workgroup: the mean of the row losses (fixed tree), and the labels' gradients. */
const CE_MEAN = /* wgsl */ `
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  for (var r = t; r < u.rows; r += ${WG}u) {
    let at = r * u.classes + u32(labels(r));
    let l = logits(at);
    s += l;
    logits_put(at, (exp(-l) - 1.0) / f32(u.rows)); // (softmax_y − 1) / M
  }
  part[t] = s;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k >>= 1u) {
    if (t < k) { part[t] += part[t + k]; }
    workgroupBarrier();
  }
  if (t == 0u) { loss_put(0u, select(0.0, part[0] / f32(u.rows), u.rows > 0u)); }
}`;

export function softmaxCrossEntropy(
  rec: Recorder,
  a: { logits: View; labels: View; loss: View; predictions: View; rows: number; classes: number },
): void {
  const maxRows = rec.ctx.device.limits.maxComputeWorkgroupsPerDimension;
  if (a.rows > maxRows) throw new RangeError(`${a.rows} rows; one workgroup each allows ${maxRows}.`);
  const uniforms = { rows: u32(a.rows), classes: u32(a.classes) };
  const logits = { view: a.logits, write: true };
  const labels = { view: a.labels, type: 'i32' } as const;
  const rows = program(
    { logits, labels, predictions: { view: a.predictions, type: 'i32', write: true } },
    uniforms,
    CE_ROWS,
  );
  // With M = 0 the Recorder drops this dispatch (no workgroups): the logits are not touched.
  record(rec, 'crossEntropy.rows', rows, [a.rows]);
  const mean = program({ logits, labels, loss: { view: a.loss, write: true } }, uniforms, CE_MEAN);
  record(rec, 'crossEntropy.mean', mean, [1]);
}
