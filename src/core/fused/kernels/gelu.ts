/**
 * Exact GELU in WGSL, as BERT and src/core/model/bert.ts: gelu(x) = x · Φ(x) with
 * Φ(x) = ½ (1 + erf(x / √2)), and its derivative gelu'(x) = Φ(x) + x · φ(x), φ(x) = e^(−x²/2) / √(2π).
 *
 * WGSL has no erf. We use Abramowitz & Stegun 7.1.26, the same approximation tfjs's cpu, webgl
 * and webgpu backends use for tf.erf, so the fused kernels and the composite path agree to f32
 * rounding: for z ≥ 0, erfc(z) ≈ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) e^(−z²), t = 1 / (1 + p z),
 * absolute error |ε(z)| ≤ 1.5e-7 over all z ≥ 0 (A&S), below f32's resolution near erf = ±1.
 * Φ is evaluated from erfc(|x|/√2) on the side it is small (Φ(x) = ½ erfc(−x/√2)), so the left
 * tail is not the difference of two numbers near 1; its absolute error stays ≤ 0.75e-7.
 */
export const GELU_WGSL = /* wgsl */ `
fn std_normal_cdf(x: f32) -> f32 {
  let z = abs(x) * 0.70710678118654752;
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let half_erfc = 0.5 * poly * exp(-z * z); // ½ erfc(|x| / √2) = Φ(−|x|)
  return select(half_erfc, 1.0 - half_erfc, x >= 0.0);
}
fn gelu(x: f32) -> f32 {
  return x * std_normal_cdf(x);
}
fn gelu_grad(x: f32) -> f32 {
  // d/dx [x Φ(x)] = Φ(x) + x φ(x); 0.3989422804 = 1/√(2π)
  return std_normal_cdf(x) + x * 0.3989422804014327 * exp(-0.5 * x * x);
}
`;
