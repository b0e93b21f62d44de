/**
 * Turns a kernel's named tensor arguments (Views) into WGSL bindings, uniform offsets and
 * accessor functions, so the kernel body reads `grads(i)` and writes `params_put(i, v)` without
 * caring which GPU buffers the views live in.
 *
 * Why: the fused step keeps every parameter in one `params` buffer and every gradient in one
 * `grads` buffer, so a kernel that writes dW and db writes two views of ONE buffer. WebGPU
 * rejects a dispatch that binds a buffer twice when one binding is writable, so views that share
 * a buffer written by the dispatch are bound once (read_write), and each view keeps its own
 * element offset as a uniform. Read-only views of one buffer share a binding too, which keeps
 * kernels under the 8 storage buffers a stage may use. Views of one written buffer must agree on
 * the element type (an i32 and an f32 view of one written buffer would need bitcasts).
 *
 * The generated module: `struct U { <view>_off: u32 ..., <uniform words> }` at binding 0, then
 * bindings 1..n, then for each view X `fn X(i: u32) -> T` and, if written, `fn X_put(i: u32, v: T)`,
 * where i counts elements from the view's start.
 */
import type { Recorder, View, Word } from '../gpu';
import { u32 } from '../gpu';

export type Element = 'f32' | 'i32' | 'u32';

export interface Arg {
  readonly view: View;
  /** Element type; f32 when absent. */
  readonly type?: Element;
  /** The kernel writes this view (it gets an `X_put` accessor). */
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
  readonly type: Element;
  write: boolean;
}

const WGSL_NAME = /^[a-z][A-Za-z0-9]*$/;

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
  const bindingOf = new Map<string, number>();
  const present = Object.entries(args).flatMap(([name, a]): [string, Arg][] =>
    a === undefined ? [] : [[name, asArg(a)]],
  );
  // Written buffers first decide their binding, so a later read of the same buffer joins it.
  const writes = new Set(present.filter(([, a]) => a.write === true).map(([, a]) => a.view.buffer));
  for (const [name, a] of present) {
    if (!WGSL_NAME.test(name)) throw new Error(`Bad view name ${name}.`);
    const type = a.type ?? 'f32';
    const shared = writes.has(a.view.buffer);
    let k = bindings.findIndex((b) => b.buffer === a.view.buffer && (shared || b.type === type));
    if (k >= 0 && bindings[k]!.type !== type) {
      throw new Error(`${name}: a ${type} view of a buffer this kernel also uses as ${bindings[k]!.type}.`);
    }
    if (k < 0) {
      k = bindings.length;
      bindings.push({ buffer: a.view.buffer, type, write: false });
    }
    if (shared) bindings[k]!.write = true;
    bindingOf.set(name, k);
    // Every declared binding must be statically used, or layout 'auto' drops it.
    if (!new RegExp(`\\b${name}(_put)?\\(`).test(body)) throw new Error(`The kernel never uses ${name}.`);
  }
  if (bindings.length > 8) throw new Error(`${bindings.length} storage buffers; a kernel may bind 8.`);

  const fields = [
    ...present.map(([name]) => `${name}_off: u32`),
    ...Object.entries(uniforms).map(([name, w]) => `${name}: ${w.type}`),
  ];
  const decls = bindings.map(
    (b, k) =>
      `@group(0) @binding(${k + 1}) var<storage, ${b.write ? 'read_write' : 'read'}> b${k}: array<${b.type}>;`,
  );
  const accessors = present.map(([name, a]) => {
    const k = bindingOf.get(name)!;
    const t = a.type ?? 'f32';
    const get = `fn ${name}(i: u32) -> ${t} { return b${k}[u.${name}_off + i]; }`;
    return a.write === true
      ? `${get}\nfn ${name}_put(i: u32, v: ${t}) { b${k}[u.${name}_off + i] = v; }`
      : get;
  });
  const code = [
    `struct U { ${fields.join(', ')} }`,
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

/** The flat element index of an elementwise kernel of `wg` threads per group on a 2-D grid. */
export const flatIndex = (wg: number): string => `let i = gid.x + gid.y * nwg.x * ${wg}u;`;

/** Entry point header for elementwise kernels: `gid` and `nwg` in scope. */
export const elementwise = (wg: number): string =>
  `@compute @workgroup_size(${wg})\nfn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {\n  ${flatIndex(wg)}`;
