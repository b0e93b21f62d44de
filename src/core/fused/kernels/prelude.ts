/**
 * The WGSL and the argument checks the fused kernels share, written once: workgroup sizes, entry
 * points, workgroup-wide reductions, the dropout multiplier `keep`, the non-finite test, and the
 * checks of a kernel's sizes.
 */
import { DROPOUT_WGSL } from '../dropoutHash';
import { groupsFor } from '../gpu';

/** Threads of the one-workgroup-per-row kernels (attention, embeddings) and of rowNorms. */
export const WG = 64;
/** Threads of the one-thread-per-element kernels and of the single-workgroup reductions. */
export const WIDE_WG = 256;

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

/**
 * Entry point of a kernel that gives one workgroup of `threads` threads to each of `u.rows`
 * items, dispatched as rowGroups(rows). `body` sees `row`, the item, and `lid`, the thread. The
 * early return depends only on the workgroup, so barriers after it stay in uniform control flow.
 */
export const perRowMain = (body: string, threads = WG): string => /* wgsl */ `
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= u.rows) { return; }
${body}
}`;

/** Row groups of a perRowMain kernel: one workgroup per row, spread over y past the x limit. */
export const rowGroups = (rows: number): [number, number] => groupsFor(rows, 1);

/**
 * `fn name(lid: u32, v: type) -> type`: the reduction of one value per thread over a workgroup of
 * `size` threads with `combine(a, b)` (a WGSL expression), in an order fixed by the shape alone,
 * so the same bits every run. Every thread gets the result. Call it in uniform control flow.
 *
 * - 'tree': log2(size) halving steps, thread t combining t and t + s (size a power of two);
 * - 'broadcast': one barrier, then every thread combines all `size` values itself, in order
 *   (same-address reads of workgroup memory are broadcasts). Fewer barriers: the better choice
 *   where barriers are dear, as on SwiftShader, which runs a workgroup's threads as fibers.
 */
export function workgroupReduce(o: {
  name: string;
  type: string;
  size: number;
  combine: (a: string, b: string) => string;
  order: 'tree' | 'broadcast';
}): string {
  const red = `${o.name}_red`;
  const steps =
    o.order === 'tree'
      ? /* wgsl */ `
  for (var s = ${o.size / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { ${red}[lid] = ${o.combine(`${red}[lid]`, `${red}[lid + s]`)}; }
    workgroupBarrier();
  }
  let total = ${red}[0];`
      : /* wgsl */ `
  var total = ${red}[0];
  for (var t = 1u; t < ${o.size}u; t++) { total = ${o.combine('total', `${red}[t]`)}; }`;
  return /* wgsl */ `
var<workgroup> ${red}: array<${o.type}, ${o.size}>;
fn ${o.name}(lid: u32, v: ${o.type}) -> ${o.type} {
  ${red}[lid] = v;
  workgroupBarrier();${steps}
  workgroupBarrier(); // before ${red} is written again
  return total;
}`;
}

/** `workgroup_sum` and `workgroup_max` of one f32 per thread, over the WG threads of a row. */
export const ROW_REDUCTIONS =
  workgroupReduce({
    name: 'workgroup_sum',
    type: 'f32',
    size: WG,
    order: 'tree',
    combine: (a, b) => `${a} + ${b}`,
  }) +
  workgroupReduce({
    name: 'workgroup_max',
    type: 'f32',
    size: WG,
    order: 'tree',
    combine: (a, b) => `max(${a}, ${b})`,
  });

/**
 * `keep(index)`: the dropout multiplier (0 or 1 / (1 − rate)) of unit `index` at the site that the
 * uniforms seed, step, site and rate name (program.ts's dropoutUniforms); 1 when rate is 0.
 */
export const KEEP_WGSL = /* wgsl */ `
${DROPOUT_WGSL}
fn keep(index: u32) -> f32 { return dropout_scale(u.seed, u.step, u.site, index, u.rate); }
`;

/**
 * NaN or ±Inf, tested on the bits (exponent all ones): WGSL lets a compiler assume that no NaN
 * exists, which can fold `x != x` away.
 */
export const NON_FINITE_WGSL = /* wgsl */ `
fn nonFiniteBits(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u; }`;

/** Throws a RangeError naming the first of `sizes` that is not a positive integer. */
export function checkSizes(label: string, sizes: Readonly<Record<string, number>>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`${label}: ${name} must be a positive integer, not ${v}.`);
  }
}
