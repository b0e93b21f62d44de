/**
 * The harness itself: one kernel through the Recorder, checked against the cpu, and the
 * dropout hash in WGSL checked bit for bit against the TypeScript one.
 */
import { DROPOUT_WGSL, dropoutHash } from '../dropoutHash';
import { f32, groupsFor, Recorder, u32 } from '../gpu';
import { gpu, register, result, randomArray, upload } from './harness';

const SCALE = /* wgsl */ `
struct U { n: u32, alpha: f32, xOff: u32, yOff: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = g.x + g.y * n.x * 64u;
  if (i >= u.n) { return; }
  y[u.yOff + i] = u.alpha * x[u.xOff + i];
}`;

const HASH = /* wgsl */ `
${DROPOUT_WGSL}
struct U { n: u32, seed: u32, step: u32, site: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= u.n) { return; }
  out[g.x] = dropout_hash(u.seed, u.step, u.site, g.x);
}`;

register({
  async scale() {
    const ctx = await gpu();
    const n = 1000;
    const x = randomArray(1, n + 3);
    const xb = upload(ctx, 'x', x);
    const yb = ctx.storage('y', n + 5);
    const rec = new Recorder(ctx);
    rec.dispatch(
      'scale',
      ctx.pipeline(SCALE),
      [u32(n), f32(2.5), u32(3), u32(5)],
      [xb, yb],
      groupsFor(n, 64),
    );
    rec.submit();
    const got = await ctx.read(yb, 5, n);
    const want = Array.from(x.subarray(3), (v) => 2.5 * v);
    return [result('y = 2.5 x at offsets', got, want, 1e-7)];
  },
  async hash() {
    const ctx = await gpu();
    const n = 4096;
    const out = ctx.storage('hash', n);
    const rec = new Recorder(ctx);
    rec.dispatch('hash', ctx.pipeline(HASH), [u32(n), u32(0xdeadbeef), u32(17), u32(4)], [out], [n / 64]);
    rec.submit();
    const got = new Uint32Array((await ctx.readInt(out)).buffer);
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (got[i] !== dropoutHash(0xdeadbeef, 17, 4, i)) mismatches++;
    return [{ what: 'WGSL hash values that differ from TypeScript', error: mismatches, bound: 0 }];
  },
});
