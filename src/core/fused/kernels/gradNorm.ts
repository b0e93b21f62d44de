/**
 * The global gradient norm, the non-finite check and the clip factor, on the GPU (what
 * src/core/train/step.ts does on the composite path before it applies an update):
 *
 *   ‖g‖ = √(Σ_i g_i²)   over the whole flat grads buffer (the layout's padding is zero)
 *   nonFinite = some g_i or some loss is NaN or ±Inf (or Σ g_i² overflows, as on the composite path)
 *   clipScale = nonFinite ? 1 : min(1, clipNorm / ‖g‖)      (schedule.ts's clipScale; 1 when ‖g‖ = 0)
 *
 * stats = [‖g‖, nonFinite (0 | 1), clipScale, ‖g‖²]. Pass 1: PARTS workgroups each sum the squares
 * of a strided range into partials[w] and flag a non-finite value in partials[PARTS + w]; pass 2,
 * one workgroup, adds the partials in a fixed tree. No atomics, so the norm is the same bits on
 * every run. Non-finite is tested on the bits (exponent all ones), as WGSL lets a compiler assume
 * that no NaN exists, which can fold `x != x` away.
 */
import { f32, u32, type Recorder, type View } from '../gpu';
import { NON_FINITE_WGSL, WIDE_WG as WG, workgroupReduce } from './prelude';
import { fixedKernel, run } from './program';

/** Workgroups of pass 1; partials holds 2·PARTS floats. */
const PARTS = 256;
export const GRAD_NORM_PARTIALS = 2 * PARTS;

/** (Σ squares, any non-finite as 0 | 1) over the workgroup, by a fixed tree. */
const SUM_AND_FLAG = /* wgsl */ `${NON_FINITE_WGSL}
${workgroupReduce({
  name: 'sum_and_flag',
  type: 'vec2f',
  size: WG,
  order: 'tree',
  combine: (a, b) => `vec2f(${a}.x + ${b}.x, max(${a}.y, ${b}.y))`,
})}`;

const PARTIAL = fixedKernel(
  'gradNorm.partial',
  /* wgsl */ `${SUM_AND_FLAG}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  var b = 0u;
  for (var i = wg.x * ${WG}u + t; i < u.length; i += ${PARTS * WG}u) {
    let g = grads(i);
    s += g * g;
    if (nonFiniteBits(g)) { b = 1u; }
  }
  let total = sum_and_flag(t, vec2f(s, f32(b)));
  if (t == 0u) {
    partials_put(wg.x, total.x);
    partials_put(${PARTS}u + wg.x, total.y);
  }
}`,
);

const FINISH = fixedKernel(
  'gradNorm.finish',
  /* wgsl */ `${SUM_AND_FLAG}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  var l = 0.0;
  for (var i = t; i < u.lossCount; i += ${WG}u) {
    if (nonFiniteBits(losses(i))) { l = 1.0; }
  }
  let total = sum_and_flag(t, vec2f(partials(t), max(partials(${PARTS}u + t), l)));
  if (t == 0u) {
    let sum = total.x;
    let norm = sqrt(sum);
    let nonFinite = total.y > 0.0 || nonFiniteBits(sum);
    var scale = 1.0;
    if (!nonFinite && norm > u.clipNorm) { scale = u.clipNorm / norm; }
    stats_put(0u, norm);
    stats_put(1u, select(0.0, 1.0, nonFinite));
    stats_put(2u, scale);
    stats_put(3u, sum);
  }
}`,
);

export function gradNorm(
  rec: Recorder,
  a: {
    grads: View;
    length: number;
    losses: View;
    lossCount: number;
    clipNorm: number;
    partials: View;
    stats: View;
  },
): void {
  run(
    rec,
    PARTIAL,
    { grads: a.grads, partials: { view: a.partials, write: true } },
    { length: u32(a.length) },
    [PARTS],
  );
  run(
    rec,
    FINISH,
    { partials: a.partials, losses: a.losses, stats: { view: a.stats, write: true } },
    { lossCount: u32(a.lossCount), clipNorm: f32(a.clipNorm) },
    [1],
  );
}
