/**
 * How every fused kernel binds its tensors: named Views in, WGSL bindings, uniform offsets and
 * accessor functions out, so a kernel body reads `grads(i)` and writes `params_put(i, v)` without
 * caring which GPU buffers its views live in.
 *
 * Why: the fused step keeps every parameter in one `params` buffer and every gradient in one
 * `grads` buffer, so e.g. dE_token, dE_segment, dE_position, dγ and dβ are five Views into ONE
 * GPUBuffer, and activations share scratch buffers. WebGPU rejects a dispatch that binds a buffer
 * twice when one of the bindings is writable, and a bind group cannot start at an arbitrary
 * element. So:
 * - each distinct buffer gets ONE storage binding (1..n, in order of first use), `read_write`
 *   when any view of it is written; this also keeps kernels under the 8 storage buffers a stage
 *   may bind;
 * - each view's element offset is a uniform word `u.<name>_off`, and the accessors add it:
 *   `fn x(i: u32) -> T` and, for a written view, `fn x_put(i: u32, v: T)`, i counted from the
 *   view's start;
 * - views of one buffer may have different element types (an i32 index next to f32 values in a
 *   written scratch buffer): such a buffer is declared `array<u32>` and its accessors bitcast the
 *   32 bits; a buffer whose views agree is declared with that type, no bitcasts.
 * The generated source depends only on the flags and on which views share a buffer, so a kernel
 * has a handful of pipeline variants at most, each compiled once by GpuContext.pipeline.
 *
 * `program` refuses what WebGPU would only reject at dispatch time, or miscompile quietly: a view
 * the body never uses (layout 'auto' drops its binding and the bind group no longer matches), a
 * local `let`/`var` that shadows an accessor, more than 8 buffers, a name that is not a plain
 * WGSL identifier, or a uniform name used twice.
 *
 * Also here, for the kernels that share them: the workgroup reductions and entry points of the
 * one-workgroup-per-row and one-thread-per-element kernels, and the dropout key (DropoutArgs) with
 * its uniform words.
 */
import { f32, u32, type Recorder, type View, type Word } from '../gpu';

export type Element = 'f32' | 'i32' | 'u32';

export interface Arg {
  readonly view: View;
  /** Element type; f32 when absent. */
  readonly type?: Element;
  /** The kernel writes this view (it gets an `X_put` accessor, and its buffer is read_write). */
  readonly write?: boolean;
}

/** A plain View is a read-only f32 argument. */
export type ArgLike = Arg | View;

const asArg = (a: ArgLike): Arg => ('view' in a ? a : { view: a });

export interface Program {
  readonly code: string;
  readonly words: readonly Word[];
  readonly buffers: readonly GPUBuffer[];
}

interface Binding {
  readonly buffer: GPUBuffer;
  readonly types: Set<Element>;
  write: boolean;
}

/** View names have no `_`, so `<view>_put` and `<view>_off` cannot meet another name. */
const WGSL_NAME = /^[a-z][A-Za-z0-9]*$/;
const UNIFORM_NAME = /^[a-z][A-Za-z0-9_]*$/;
const MAX_STORAGE_BUFFERS = 8;

/**
 * Whether some WGSL function of `body` declares a local `name` and then calls `name(...)`, which
 * would call the local, not the accessor (a local of the same name elsewhere is harmless).
 */
function shadowed(name: string, body: string): boolean {
  return body.split(/^(?=fn )/m).some((fn) => {
    const local = new RegExp(`\\b(let|var|const)\\s+${name}\\b`).exec(fn);
    return local !== null && new RegExp(`\\b${name}\\(`).test(fn.slice(local.index));
  });
}

/**
 * Builds the module for `body` (the kernel's entry point and helpers) over `args` (views;
 * undefined entries are left out, for optional inputs) and the scalar `uniforms`.
 */
export function program(
  args: Readonly<Record<string, ArgLike | undefined>>,
  uniforms: Readonly<Record<string, Word>>,
  body: string,
): Program {
  const bindings: Binding[] = [];
  const present = Object.entries(args).flatMap(([name, a]): [string, Arg, number][] => {
    if (a === undefined) return [];
    const arg = asArg(a);
    let k = bindings.findIndex((b) => b.buffer === arg.view.buffer);
    if (k < 0) k = bindings.push({ buffer: arg.view.buffer, types: new Set(), write: false }) - 1;
    bindings[k]!.types.add(arg.type ?? 'f32');
    if (arg.write === true) bindings[k]!.write = true;
    return [[name, arg, k]];
  });
  for (const [name] of present) {
    if (!WGSL_NAME.test(name)) throw new Error(`Bad view name ${name}.`);
    // Every declared binding must be statically used, or layout 'auto' drops it.
    if (!new RegExp(`\\b${name}(_put)?\\(`).test(body)) throw new Error(`The kernel never uses ${name}.`);
    if (shadowed(name, body)) throw new Error(`A local ${name} shadows the accessor of the view ${name}.`);
  }
  if (bindings.length > MAX_STORAGE_BUFFERS) {
    throw new Error(`${bindings.length} storage buffers; a kernel may bind ${MAX_STORAGE_BUFFERS}.`);
  }

  const fields = [
    ...present.map(([name]) => `${name}_off`),
    ...Object.keys(uniforms).filter((name) => {
      if (!UNIFORM_NAME.test(name)) throw new Error(`Bad uniform name ${name}.`);
      return true;
    }),
  ];
  const repeated = fields.find((f, i) => fields.indexOf(f) !== i);
  if (repeated !== undefined) throw new Error(`The uniform ${repeated} is declared twice.`);
  const types = Object.values(uniforms).map((w) => w.type);
  const struct = fields.map((f, i) => `${f}: ${i < present.length ? 'u32' : types[i - present.length]!}`);

  // A buffer whose views disagree on the element type holds raw bits, read through bitcasts.
  const stored = (b: Binding): Element => (b.types.size === 1 ? [...b.types][0]! : 'u32');
  const decls = bindings.map(
    (b, k) =>
      `@group(0) @binding(${k + 1}) var<storage, ${b.write ? 'read_write' : 'read'}> b${k}: array<${stored(b)}>;`,
  );
  const accessors = present.map(([name, a, k]) => {
    const t = a.type ?? 'f32';
    const raw = stored(bindings[k]!) !== t;
    const at = `b${k}[u.${name}_off + i]`;
    const get = `fn ${name}(i: u32) -> ${t} { return ${raw ? `bitcast<${t}>(${at})` : at}; }`;
    if (a.write !== true) return get;
    return `${get}\nfn ${name}_put(i: u32, v: ${t}) { ${at} = ${raw ? 'bitcast<u32>(v)' : 'v'}; }`;
  });
  const code = [
    `struct U { ${struct.join(', ')} }`,
    '@group(0) @binding(0) var<uniform> u: U;',
    ...decls,
    ...accessors,
    body,
  ].join('\n');
  const words = [...present.map(([, a]) => u32(a.view.offset)), ...Object.values(uniforms)];
  return { code, words, buffers: bindings.map((b) => b.buffer) };
}

/** Records one dispatch of `p`. */
export function record(
  rec: Recorder,
  label: string,
  p: Program,
  groups: readonly [number, number?, number?],
): void {
  rec.dispatch(label, rec.ctx.pipeline(p.code), p.words, p.buffers, groups);
}

/**
 * Entry point of a kernel with one thread per element, `wg` threads a workgroup, dispatched as
 * groupsFor(count, wg) (a 2-D grid past 65,535 workgroups): `i` is the element, `body` checks
 * its own bound.
 */
export const perThreadMain = (wg: number, body: string): string => /* wgsl */ `
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${wg}u;
${body}
}`;

/** Threads of the one-workgroup-per-row kernels (attention, embeddings). */
export const WG = 64;

/**
 * Workgroup-wide sum and max of one f32 per thread over `red`, for kernels of WG threads: a fixed
 * tree, so the same bits every run. Every thread gets the total. Call in uniform control flow.
 */
const REDUCE_WGSL = /* wgsl */ `
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
 * Entry point of a kernel that gives one workgroup of WG threads to each of `u.rows` items,
 * dispatched as groupsFor(rows, 1). `body` sees `row`, the item, and `lid`, the thread, and may
 * call workgroup_sum / workgroup_max. The early return depends only on the workgroup, so the
 * barriers after it stay in uniform control flow.
 */
export const perRowMain = (body: string): string => /* wgsl */ `
${REDUCE_WGSL}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= u.rows) { return; }
${body}
}`;

/** A dropout site's key (dropoutHash.ts); which element index a kernel hashes is its own doc's. */
export interface DropoutArgs {
  seed: number;
  step: number;
  site: number;
  rate: number;
}

/** The uniforms `seed`, `step`, `site`, `rate` of dropout_scale; zeros (keep all) without dropout. */
export const dropoutUniforms = (d: DropoutArgs | undefined): Record<string, Word> => ({
  seed: u32(d?.seed ?? 0),
  step: u32(d?.step ?? 0),
  site: u32(d?.site ?? 0),
  rate: f32(d?.rate ?? 0),
});
