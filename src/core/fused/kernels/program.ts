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
 *
 * The generated source depends only on the kernel's flags (its shape key) and on which views
 * share a buffer, so `run` keys a small cache by exactly those: a kernel's source is generated,
 * checked and compiled once per key (GpuContext.kernel), and every later dispatch of that key only
 * fills its uniform words and buffer list. (tfjs-backend-webgpu's `shaderKey` does the same.)
 *
 * `program` refuses what WebGPU would only reject at dispatch time, or miscompile quietly: a view
 * the body never uses (layout 'auto' drops its binding and the bind group no longer matches), a
 * local `let`/`var` that shadows an accessor, more than 8 buffers, a name that is not a plain
 * WGSL identifier, or a uniform name used twice.
 *
 * The WGSL the kernels share (reductions, entry points, dropout's keep) is in prelude.ts.
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

/** A kernel's views by name; undefined entries are left out (optional inputs). */
export type Args = Readonly<Record<string, ArgLike | undefined>>;
export type Uniforms = Readonly<Record<string, Word>>;

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

/** The distinct buffers (bindings 1..n, in order of first use), and each present view's binding. */
interface Bound {
  readonly bindings: readonly Binding[];
  readonly present: readonly (readonly [name: string, arg: Arg, binding: number])[];
}

function bind(args: Args): Bound {
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
  return { bindings, present };
}

/** Binding 0's words: every present view's element offset, then the scalar uniforms. */
const wordsOf = (bound: Bound, uniforms: Uniforms): Word[] => [
  ...bound.present.map(([, a]) => u32(a.view.offset)),
  ...Object.values(uniforms),
];

/** The checks of the header: what WebGPU would reject late or a shadowed accessor would break. */
function checkViews(bound: Bound, body: string): void {
  for (const [name] of bound.present) {
    if (!WGSL_NAME.test(name)) throw new Error(`Bad view name ${name}.`);
    // Every declared binding must be statically used, or layout 'auto' drops it.
    if (!new RegExp(`\\b${name}(_put)?\\(`).test(body)) throw new Error(`The kernel never uses ${name}.`);
    if (shadowed(name, body)) throw new Error(`A local ${name} shadows the accessor of the view ${name}.`);
  }
  if (bound.bindings.length > MAX_STORAGE_BUFFERS) {
    throw new Error(`${bound.bindings.length} storage buffers; a kernel may bind ${MAX_STORAGE_BUFFERS}.`);
  }
}

/** `struct U`: the views' offsets (u32), then the uniforms with their own types. */
function uniformStruct(bound: Bound, uniforms: Uniforms): string {
  const fields = [
    ...bound.present.map(([name]) => `${name}_off`),
    ...Object.keys(uniforms).filter((name) => {
      if (!UNIFORM_NAME.test(name)) throw new Error(`Bad uniform name ${name}.`);
      return true;
    }),
  ];
  const repeated = fields.find((f, i) => fields.indexOf(f) !== i);
  if (repeated !== undefined) throw new Error(`The uniform ${repeated} is declared twice.`);
  const types = Object.values(uniforms).map((w) => w.type);
  const n = bound.present.length;
  return `struct U { ${fields.map((f, i) => `${f}: ${i < n ? 'u32' : types[i - n]!}`).join(', ')} }`;
}

/**
 * Builds the module for `body` (the kernel's entry point and helpers) over `args` (views;
 * undefined entries are left out, for optional inputs) and the scalar `uniforms`.
 */
export function program(args: Args, uniforms: Uniforms, body: string): Program {
  const bound = bind(args);
  checkViews(bound, body);
  const { bindings, present } = bound;
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
    uniformStruct(bound, uniforms),
    '@group(0) @binding(0) var<uniform> u: U;',
    ...decls,
    ...accessors,
    body,
  ].join('\n');
  return { code, words: wordsOf(bound, uniforms), buffers: bindings.map((b) => b.buffer) };
}

/**
 * A kernel as its dispatches name it: `name` labels the dispatch, and `name` with `variant` (the
 * flags and sizes its WGSL depends on; '' for none) is its shape key, like tfjs-backend-webgpu's
 * `shaderKey`. `source` builds the WGSL body, once per key.
 */
export interface Kernel {
  readonly name: string;
  readonly variant: string;
  readonly source: () => string;
}

/** A kernel whose WGSL is one fixed text. */
export const fixedKernel = (name: string, source: string): Kernel => ({
  name,
  variant: '',
  source: () => source,
});

/** A kernel whose WGSL is a function of a few flags and sizes; the flags' JSON is its variant. */
export function variantKernel<F>(name: string, flags: F, source: (flags: F) => string): Kernel {
  return { name, variant: JSON.stringify(flags), source: () => source(flags) };
}

/**
 * The module's whole key: the kernel's shape key, then the rest of what the generated header
 * depends on: which views are present, the binding each is in (which views share a buffer), their
 * types and access, and the uniforms' names and types. A few short strings per dispatch.
 */
function moduleKey(kernel: Kernel, bound: Bound, uniforms: Uniforms): string {
  const views = bound.present.map(
    ([name, a, k]) => `${name}:${k}${a.type ?? 'f32'}${a.write === true ? 'w' : ''}`,
  );
  const words = Object.entries(uniforms).map(([name, w]) => `${name}:${w.type}`);
  return `${kernel.name}|${kernel.variant}|${views.join(',')}|${words.join(',')}`;
}

/**
 * Records one dispatch of `kernel` over `args` and `uniforms`. Its source is generated, checked
 * (`program`) and compiled once per module key on this GpuContext; every later dispatch with that
 * key only computes its words and buffers.
 */
export function run(
  rec: Recorder,
  kernel: Kernel,
  args: Args,
  uniforms: Uniforms,
  groups: readonly [number, number?, number?],
): void {
  const bound = bind(args);
  const pipeline = rec.ctx.kernel(
    moduleKey(kernel, bound, uniforms),
    () => program(args, uniforms, kernel.source()).code,
  );
  const buffers = bound.bindings.map((b) => b.buffer);
  rec.dispatch(kernel.name, pipeline, wordsOf(bound, uniforms), buffers, groups);
}

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
