/**
 * Two elementwise kernels the trainer needs between the bigger ones: the backward of GELU where
 * no matmul precedes it (the MLM head's transform, whose gradient comes out of a LayerNorm), and
 * an in-place add (E_token's two gradient paths into the one the optimizer applies).
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';

/**
 * GELU'(x) = Φ(x) + x·φ(x), with Φ(x) = ½(1 + erf(x/√2)) and φ the standard normal density.
 * erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, below f32's resolution around 1).
 */
export const GELU_GRAD_WGSL = /* wgsl */ `
fn erf_as(x: f32) -> f32 {
  let s = sign(x);
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return s * y;
}
fn gelu_grad(x: f32) -> f32 {
  let cdf = 0.5 * (1.0 + erf_as(x * 0.70710678118654752));
  let pdf = 0.39894228040143268 * exp(-0.5 * x * x);
  return cdf + x * pdf;
}
`;

const GELU_BACKWARD = /* wgsl */ `
${GELU_GRAD_WGSL}
struct U { n: u32, dy: u32, pre: u32, dx: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> pre: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * 256u;
  if (i >= u.n) { return; }
  dx[u.dx + i] = dy[u.dy + i] * gelu_grad(pre[u.pre + i]);
}`;

const ADD_INTO = /* wgsl */ `
struct U { n: u32, x: u32, y: u32, pad: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * 256u;
  if (i >= u.n) { return; }
  x[u.x + i] = x[u.x + i] + y[u.y + i];
}`;

/** dx = dy ⊙ GELU'(pre), n elements. dx must not be dy's or pre's buffer. */
export function geluBackward(rec: Recorder, a: { dy: View; pre: View; dx: View; n: number }): void {
  const p = rec.ctx.pipeline(GELU_BACKWARD);
  rec.dispatch(
    'gelu backward',
    p,
    [u32(a.n), u32(a.dy.offset), u32(a.pre.offset), u32(a.dx.offset)],
    [a.dy.buffer, a.pre.buffer, a.dx.buffer],
    groupsFor(a.n, 256),
  );
}

/** x += y, n elements, in different buffers. */
export function addInto(rec: Recorder, a: { x: View; y: View; n: number }): void {
  const p = rec.ctx.pipeline(ADD_INTO);
  rec.dispatch(
    'add',
    p,
    [u32(a.n), u32(a.x.offset), u32(a.y.offset), u32(0)],
    [a.x.buffer, a.y.buffer],
    groupsFor(a.n, 256),
  );
}
