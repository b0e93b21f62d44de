/**
 * Dropout masks from a counter-based hash, the same function in TypeScript and in WGSL, so the
 * composite tfjs path (cpu, wasm, webgl, stock webgpu) and the fused WebGPU kernels drop exactly
 * the same units. A counter-based generator needs no state: unit `index` of dropout `site` at
 * training step `step` is kept or dropped by hash(seed, step, site, index) alone, so any thread
 * can draw its own unit in any order, forward and again in the backward pass.
 *
 * The mixer is Chris Wellons' "lowbias32" (hash-prospector; bias ≈ 0.17, among the best
 * two-multiply 32-bit mixers), chained over the four counters: h = mix(mix(mix(mix(seed) ^ step)
 * ^ site) ^ index). Multiplications wrap modulo 2³², Math.imul in TypeScript, u32 `*` in WGSL.
 *
 * A unit is kept when the top 24 bits, read as u ∈ [0, 1) with 2⁻²⁴ resolution, satisfy u ≥ rate:
 * it survives with probability 1 − rate (to within 2⁻²⁴), and kept units are scaled by
 * 1 / (1 − rate) (inverted dropout), so the expected activation is unchanged.
 *
 * Sites: 0 is the embeddings' output; layer l uses 1 + 3l (attention probabilities), 2 + 3l
 * (attention output, before the residual) and 3 + 3l (feed-forward output, before the residual).
 * `index` is the element's row-major index in the tensor dropped: [B, T, H] for hidden states,
 * [B, A, T, T] for attention probabilities.
 */

export const DROPOUT_SITE = {
  embeddings: 0,
  attentionProbs: (layer: number) => 1 + 3 * layer,
  attentionOutput: (layer: number) => 2 + 3 * layer,
  ffnOutput: (layer: number) => 3 + 3 * layer,
} as const;

/** lowbias32: x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16. */
function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export function dropoutHash(seed: number, step: number, site: number, index: number): number {
  return mix32((mix32((mix32((mix32(seed >>> 0) ^ step) >>> 0) ^ site) >>> 0) ^ index) >>> 0);
}

/** The mask of `size` units of one site, as the composite path multiplies it in: 0 or 1 / (1 − rate). */
export function dropoutMask(
  seed: number,
  step: number,
  site: number,
  size: number,
  rate: number,
): Float32Array {
  const mask = new Float32Array(size);
  const scale = 1 / (1 - rate);
  const base = (mix32((mix32(seed >>> 0) ^ step) >>> 0) ^ site) >>> 0;
  for (let i = 0; i < size; i++) {
    const u = (mix32((mix32(base) ^ i) >>> 0) >>> 8) / 16777216;
    mask[i] = u < rate ? 0 : scale;
  }
  return mask;
}

/**
 * mix32 and dropoutHash in WGSL, to paste into a kernel's source. `dropout_scale` returns the
 * multiplier of unit `index`, as dropoutMask does per unit; `rate` 0 keeps everything with multiplier 1.
 */
export const DROPOUT_WGSL = /* wgsl */ `
fn mix32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  return x ^ (x >> 16u);
}
fn dropout_hash(seed: u32, step: u32, site: u32, index: u32) -> u32 {
  return mix32(mix32(mix32(mix32(seed) ^ step) ^ site) ^ index);
}
fn dropout_scale(seed: u32, step: u32, site: u32, index: u32, rate: f32) -> f32 {
  if (rate == 0.0) { return 1.0; }
  let u = f32(dropout_hash(seed, step, site, index) >> 8u) / 16777216.0;
  if (u < rate) { return 0.0; }
  return 1.0 / (1.0 - rate);
}
`;
