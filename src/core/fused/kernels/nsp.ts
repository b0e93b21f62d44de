/**
 * The next-sentence head, forward and backward in three dispatches (src/core/model/bert.ts):
 *
 *   z_b = h_b W_p + b_p          h_b = hidden row b·T (the final [CLS] state)      [B, H]
 *   p_b = tanh(z_b)                                                                [B, H]
 *   l_b = p_b W_c + b_c                                                            [B, 2]
 *   loss = (1/B) Σ_b −log softmax(l_b)[y_b]      y_b = 0 for IsNext, 1 for NotNext (loss.ts's nspLabel)
 *
 * and back:  dl_b = (softmax(l_b) − onehot(y_b)) / B,  dW_c = Σ_b p_bᵀ dl_b,  db_c = Σ_b dl_b,
 *            dz_b = (dl_b W_cᵀ) ⊙ (1 − p_b²),  dW_p = Σ_b h_bᵀ dz_b,  db_p = Σ_b dz_b,
 *            dh_b += dz_b W_pᵀ.
 *
 * scratch holds p (then dz, in place) at [0, B·H); the rest of its B·(H + 2) + 16 floats is spare.
 * `labels` are the class indices y_b (0 = IsNext), not isNext. The size H is `hiddenSize`, because
 * `hidden` is the hidden-state View.
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';
import { WIDE_WG as WG, perThreadMain } from './prelude';
import { fixedKernel, run } from './program';

/** The classifier's two logits per sequence share one workgroup: 2·B ≤ 256. */
const NSP_MAX_BATCH = WG / 2;

const POOL = fixedKernel(
  'nsp.pool',
  perThreadMain(
    WG,
    /* wgsl */ `
  if (i >= u.batch * u.hidden) { return; }
  let b = i / u.hidden;
  let j = i - b * u.hidden;
  let h = b * u.seq * u.hidden; // row b·T
  var z = poolerBias(j);
  for (var k = 0u; k < u.hidden; k++) { z += hidden(h + k) * poolerKernel(k * u.hidden + j); }
  // tanh saturates to ±1 in f32 well before |z| = 20; the clamp keeps exp-based tanh finite.
  scratch_put(i, tanh(clamp(z, -20.0, 20.0)));
`,
  ),
);

/**
 * One workgroup: logits, loss, predictions and dl; then thread k owns row k of W_c: it reads
 * p[·, k] for dW_c[k, ·] and only then overwrites p[·, k] with dz[·, k], so no other thread reads
 * what it replaces.
 */
const HEAD = fixedKernel(
  'nsp.head',
  /* wgsl */ `
var<workgroup> lg: array<f32, ${WG}>;
var<workgroup> dl: array<f32, ${WG}>;
var<workgroup> rowLoss: array<f32, ${WG / 2}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  let B = u.batch;
  let H = u.hidden;
  if (t < 2u * B) {
    let b = t / 2u;
    let c = t - 2u * b;
    var l = classifierBias(c);
    for (var k = 0u; k < H; k++) { l += scratch(b * H + k) * classifierKernel(k * 2u + c); }
    lg[t] = l;
  }
  workgroupBarrier();
  if (t < B) {
    let l0 = lg[2u * t];
    let l1 = lg[2u * t + 1u];
    let mu = max(l0, l1);
    let lse = log(exp(l0 - mu) + exp(l1 - mu)) + mu;
    let y = u32(labels(t));
    rowLoss[t] = lse - select(l0, l1, y == 1u);
    let invB = 1.0 / f32(B);
    dl[2u * t] = (exp(l0 - lse) - select(0.0, 1.0, y == 0u)) * invB;
    dl[2u * t + 1u] = (exp(l1 - lse) - select(0.0, 1.0, y == 1u)) * invB;
    predictions_put(t, select(0, 1, l1 > l0)); // first max on ties: class 0
  }
  workgroupBarrier();
  if (t == 0u) {
    var s = 0.0;
    var d0 = 0.0;
    var d1 = 0.0;
    for (var b = 0u; b < B; b++) { s += rowLoss[b]; d0 += dl[2u * b]; d1 += dl[2u * b + 1u]; }
    loss_put(0u, s / f32(B));
    dClassifierBias_put(0u, d0);
    dClassifierBias_put(1u, d1);
  }
  for (var k = t; k < H; k += ${WG}u) {
    let w0 = classifierKernel(k * 2u);
    let w1 = classifierKernel(k * 2u + 1u);
    var g0 = 0.0;
    var g1 = 0.0;
    for (var b = 0u; b < B; b++) {
      let p = scratch(b * H + k);
      g0 += p * dl[2u * b];
      g1 += p * dl[2u * b + 1u];
      scratch_put(b * H + k, (dl[2u * b] * w0 + dl[2u * b + 1u] * w1) * (1.0 - p * p));
    }
    dClassifierKernel_put(k * 2u, g0);
    dClassifierKernel_put(k * 2u + 1u, g1);
  }
}`,
);

/** dW_p (H·H threads), db_p (H) and dh (B·H) all read only dz: one dispatch. */
const BACK = fixedKernel(
  'nsp.back',
  perThreadMain(
    WG,
    /* wgsl */ `
  let B = u.batch;
  let H = u.hidden;
  if (i < H * H) {
    let k = i / H;
    let j = i - k * H;
    var g = 0.0;
    for (var b = 0u; b < B; b++) { g += hidden(b * u.seq * H + k) * scratch(b * H + j); }
    dPoolerKernel_put(i, g);
  } else if (i < H * H + H) {
    let j = i - H * H;
    var g = 0.0;
    for (var b = 0u; b < B; b++) { g += scratch(b * H + j); }
    dPoolerBias_put(j, g);
  } else if (i < H * H + H + B * H) {
    let r = i - H * H - H;
    let b = r / H;
    let k = r - b * H;
    var g = 0.0;
    for (var j = 0u; j < H; j++) { g += scratch(b * H + j) * poolerKernel(k * H + j); }
    let at = b * u.seq * H + k;
    dHidden_put(at, dHidden(at) + g);
  }
`,
  ),
);

export function nspForwardBackward(
  rec: Recorder,
  a: {
    hidden: View;
    poolerKernel: View;
    poolerBias: View;
    classifierKernel: View;
    classifierBias: View;
    labels: View;
    loss: View;
    predictions: View;
    dHidden: View;
    dPoolerKernel: View;
    dPoolerBias: View;
    dClassifierKernel: View;
    dClassifierBias: View;
    scratch: View;
    batch: number;
    seq: number;
    /** H (not `hidden`, which is the hidden-state View above). */
    hiddenSize: number;
  },
): void {
  const { batch: B, hiddenSize: H } = a;
  if (B < 1 || B > NSP_MAX_BATCH) throw new RangeError(`NSP batch ${B} not in [1, ${NSP_MAX_BATCH}].`);
  const uniforms = { batch: u32(B), seq: u32(a.seq), hidden: u32(H) };
  const scratchWrite = { view: a.scratch, write: true };
  run(
    rec,
    POOL,
    { hidden: a.hidden, poolerKernel: a.poolerKernel, poolerBias: a.poolerBias, scratch: scratchWrite },
    uniforms,
    groupsFor(B * H, WG),
  );
  run(
    rec,
    HEAD,
    {
      scratch: scratchWrite,
      classifierKernel: a.classifierKernel,
      classifierBias: a.classifierBias,
      labels: { view: a.labels, type: 'i32' },
      loss: { view: a.loss, write: true },
      predictions: { view: a.predictions, type: 'i32', write: true },
      dClassifierKernel: { view: a.dClassifierKernel, write: true },
      dClassifierBias: { view: a.dClassifierBias, write: true },
    },
    uniforms,
    [1],
  );
  run(
    rec,
    BACK,
    {
      hidden: a.hidden,
      scratch: a.scratch,
      poolerKernel: a.poolerKernel,
      dPoolerKernel: { view: a.dPoolerKernel, write: true },
      dPoolerBias: { view: a.dPoolerBias, write: true },
      dHidden: { view: a.dHidden, write: true },
    },
    uniforms,
    groupsFor(H * H + H + B * H, WG),
  );
}
