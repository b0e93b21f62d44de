/**
 * Binds a kernel's tensors to storage bindings when several of them may live in one buffer.
 *
 * The orchestrator keeps every parameter in one flat buffer and every gradient in another, so
 * e.g. dE_token, dE_segment, dE_position, dγ and dβ are five Views into the same GPUBuffer. WebGPU
 * forbids binding a buffer twice in one dispatch when one of the bindings is writable, so the
 * WGSL cannot declare one binding per tensor. Instead each distinct buffer gets one binding,
 * declared `array<u32>` (read_write if any tensor in it is written), and every tensor gets small
 * accessor functions that add its element offset (a uniform word) and bitcast the 32 bits to
 * f32 or i32. The generated source depends only on which tensors share a buffer, so a kernel has
 * a handful of pipeline variants at most, each compiled once by GpuContext.pipeline.
 *
 * For a tensor `x` the generated WGSL has `x_f(i) -> f32`, `x_i(i) -> i32` and, when written,
 * `x_set(i, v: f32)` (i counted from the tensor's start), and the uniform word `u.o_x`.
 */
import { u32, type GpuContext, type Recorder, type View, type Word } from '../gpu';

/**
 * A dropout site's key, index = row-major element index (structurally the same as layerNorm.ts's
 * DropoutArgs in FUSED.md, declared here so these kernels do not depend on that module).
 */
export interface DropoutArgs {
  seed: number;
  step: number;
  site: number;
  rate: number;
}

export interface Tensor {
  readonly name: string;
  readonly view: View;
  readonly written?: boolean;
}

/** One uniform word of the kernel's own: its WGSL name and value. */
export type Field = readonly [name: string, word: Word];

export interface KernelSpec {
  readonly label: string;
  /** The kernel's uniform words (sizes, scales, dropout keys), before the tensor offsets. */
  readonly fields: readonly Field[];
  readonly tensors: readonly Tensor[];
  /**
   * WGSL after the declarations: helper functions and the `main` entry point. It must read or
   * write every tensor: layout 'auto' drops a binding no code uses, and the bind group then fails.
   */
  readonly body: string;
  readonly groups: readonly [number, number?, number?];
}

const MAX_STORAGE_BINDINGS = 8;

/** The WGSL declarations of `spec` (uniform struct, bindings, accessors) and the buffers to bind. */
export function declarations(spec: KernelSpec): { code: string; buffers: GPUBuffer[] } {
  const buffers: GPUBuffer[] = [];
  const writable: boolean[] = [];
  const slotOf = spec.tensors.map((t) => {
    let slot = buffers.indexOf(t.view.buffer);
    if (slot < 0) {
      slot = buffers.push(t.view.buffer) - 1;
      writable.push(false);
    }
    if (t.written === true) writable[slot] = true;
    return slot;
  });
  if (buffers.length > MAX_STORAGE_BINDINGS) {
    throw new RangeError(
      `${spec.label}: ${buffers.length} storage buffers, over the ${MAX_STORAGE_BINDINGS} a kernel may bind.`,
    );
  }
  const fieldDecls = [
    ...spec.fields.map(([name, w]) => `${name}: ${w.type}`),
    ...spec.tensors.map((t) => `o_${t.name}: u32`),
  ];
  const lines = [`struct U { ${fieldDecls.join(', ')} }`, '@group(0) @binding(0) var<uniform> u: U;'];
  buffers.forEach((_, s) => {
    const access = writable[s] === true ? 'read_write' : 'read';
    lines.push(`@group(0) @binding(${s + 1}) var<storage, ${access}> buf${s}: array<u32>;`);
  });
  spec.tensors.forEach((t, i) => {
    const b = `buf${slotOf[i]!}`;
    lines.push(`fn ${t.name}_f(i: u32) -> f32 { return bitcast<f32>(${b}[u.o_${t.name} + i]); }`);
    lines.push(`fn ${t.name}_i(i: u32) -> i32 { return bitcast<i32>(${b}[u.o_${t.name} + i]); }`);
    if (t.written === true) {
      lines.push(`fn ${t.name}_set(i: u32, v: f32) { ${b}[u.o_${t.name} + i] = bitcast<u32>(v); }`);
    }
  });
  return { code: lines.join('\n'), buffers };
}

/** Builds (or finds cached) the kernel's pipeline and records one dispatch of it. */
export function recordKernel(rec: Recorder, spec: KernelSpec): void {
  const ctx: GpuContext = rec.ctx;
  const { code, buffers } = declarations(spec);
  const words: Word[] = [...spec.fields.map(([, w]) => w), ...spec.tensors.map((t) => u32(t.view.offset))];
  rec.dispatch(spec.label, ctx.pipeline(`${code}\n${spec.body}`), words, buffers, spec.groups);
}

/**
 * Workgroup-wide sum of one f32 per thread over `red` (a workgroup array of WG floats), for
 * kernels whose workgroup is WG = 64 threads. Every thread gets the total. Must be called in
 * uniform control flow.
 */
export const WG = 64;
export const REDUCE_WGSL = /* wgsl */ `
var<workgroup> red: array<f32, ${WG}>;
fn workgroup_sum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
fn workgroup_max(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
`;

/**
 * The entry point of a kernel that gives one workgroup of WG threads to each of `u.rows` items,
 * dispatched as groupsFor(rows, 1) (a 2-D grid past 65,535 workgroups). `body` sees `row`, the
 * item, and `lid`, the thread, and may call the workgroup reductions. The early return depends
 * only on the workgroup, so the barriers after it stay in uniform control flow.
 */
export function perRowMain(body: string): string {
  return /* wgsl */ `
${REDUCE_WGSL}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= u.rows) { return; }
${body}
}`;
}

/** The entry point of a kernel with one thread per item i < `u.count`, dispatched as groupsFor(count, WG). */
export function perThreadMain(body: string): string {
  return /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WG}u;
  if (i >= u.count) { return; }
${body}
}`;
}
