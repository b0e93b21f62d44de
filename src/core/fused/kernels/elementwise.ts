/**
 * Two elementwise kernels the trainer needs between the bigger ones: the backward of GELU where
 * no matmul precedes it (the MLM head's transform, whose gradient comes out of a LayerNorm), and
 * an in-place add (E_token's two gradient paths into the one the optimizer applies).
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';
import { GELU_WGSL } from './gelu';

const GELU_BACKWARD = /* wgsl */ `
${GELU_WGSL}
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

/** dx = dy ⊙ GELU'(pre), n elements, GELU' = Φ(x) + x·φ(x) as in gelu.ts. dx must not be dy's or pre's buffer. */
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
