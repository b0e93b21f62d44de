/**
 * Counts the WebGPU calls a training step makes, by wrapping the methods on the prototypes of
 * GPUComputePassEncoder, GPUQueue and GPUBuffer: every object of those classes (tfjs's, the fused
 * trainer's) goes through the wrapper, so nothing has to cooperate. Installed in the page before
 * tfjs starts (see page.ts), or on Dawn's classes in Node (bench-webgpu-node.ts).
 *
 * Pure over the prototypes it is given, so a test can hand it fakes.
 */

/** Running totals; a step's counts are the difference of two snapshots (see `diffCounts`). */
export interface GpuCounts {
  /** `dispatchWorkgroups` and `dispatchWorkgroupsIndirect` calls: one compute shader run each. */
  dispatches: number;
  /** `queue.submit` calls. */
  submits: number;
  /** Command buffers handed to those submits. */
  commandBuffers: number;
  /** `queue.writeBuffer` calls (uniforms, uploads) and the bytes they wrote. */
  writeBuffers: number;
  writeBufferBytes: number;
  /** `buffer.mapAsync` calls: a readback to the CPU each (the step waits on it). */
  readbacks: number;
}

export const COUNT_FIELDS = [
  'dispatches',
  'submits',
  'commandBuffers',
  'writeBuffers',
  'writeBufferBytes',
  'readbacks',
] as const satisfies readonly (keyof GpuCounts)[];

export const zeroCounts = (): GpuCounts => ({
  dispatches: 0,
  submits: 0,
  commandBuffers: 0,
  writeBuffers: 0,
  writeBufferBytes: 0,
  readbacks: 0,
});

/** after − before, field by field. */
export function diffCounts(after: GpuCounts, before: GpuCounts): GpuCounts {
  const out = zeroCounts();
  for (const f of COUNT_FIELDS) out[f] = after[f] - before[f];
  return out;
}

/** The prototypes to wrap; any may be missing (then nothing of it is counted). */
export interface CounterTargets {
  readonly computePass?: object | undefined; // GPUComputePassEncoder.prototype
  readonly queue?: object | undefined; // GPUQueue.prototype
  readonly buffer?: object | undefined; // GPUBuffer.prototype
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Marks a wrapper, so a second install on the same prototype is caught. */
const WRAPPED = Symbol.for('bertLab.gpuCounter');

/** Bytes a writeBuffer call writes: its `size` argument, else the data from `dataOffset` on. */
export function writeBufferBytes(args: readonly unknown[]): number {
  const [, , data, dataOffset = 0, size] = args;
  if (typeof size === 'number') return size * elementBytes(data);
  const bytes = ArrayBuffer.isView(data)
    ? data.byteLength
    : data instanceof ArrayBuffer
      ? data.byteLength
      : 0;
  return Math.max(0, bytes - (typeof dataOffset === 'number' ? dataOffset * elementBytes(data) : 0));
}

/** writeBuffer counts dataOffset and size in elements of a typed array, in bytes of an ArrayBuffer. */
function elementBytes(data: unknown): number {
  return ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? (data.BYTES_PER_ELEMENT as number) : 1;
}

/**
 * Wraps the counted methods of `targets` so that each call adds to `counts` and then runs the
 * original. Returns the counts and a function that puts the originals back. Wrapping the same
 * prototype twice would count twice, so a second install on a wrapped prototype throws.
 */
export function installCounters(
  targets: CounterTargets,
  counts: GpuCounts = zeroCounts(),
): { counts: GpuCounts; uninstall: () => void } {
  const restore: (() => void)[] = [];
  const wrap = (proto: object | undefined, name: string, count: (args: unknown[]) => void) => {
    if (proto === undefined) return;
    const record = proto as Record<string, unknown>;
    const original = record[name];
    if (typeof original !== 'function') return;
    if ((original as { [WRAPPED]?: true })[WRAPPED]) throw new Error(`${name} is already counted.`);
    const wrapped: Method = function (this: unknown, ...args: unknown[]) {
      count(args);
      return (original as Method).apply(this, args);
    };
    Object.defineProperty(wrapped, WRAPPED, { value: true });
    record[name] = wrapped;
    restore.push(() => {
      record[name] = original;
    });
  };
  wrap(targets.computePass, 'dispatchWorkgroups', () => counts.dispatches++);
  wrap(targets.computePass, 'dispatchWorkgroupsIndirect', () => counts.dispatches++);
  wrap(targets.queue, 'submit', (args) => {
    counts.submits++;
    const buffers = args[0];
    counts.commandBuffers += Array.isArray(buffers) ? buffers.length : 0;
  });
  wrap(targets.queue, 'writeBuffer', (args) => {
    counts.writeBuffers++;
    counts.writeBufferBytes += writeBufferBytes(args);
  });
  wrap(targets.buffer, 'mapAsync', () => counts.readbacks++);
  return { counts, uninstall: () => restore.reverse().forEach((r) => r()) };
}

/** The prototypes of a scope's WebGPU classes (`globalThis` in a page, Dawn's `globals` in Node). */
export function counterTargets(scope: Record<string, unknown>): CounterTargets {
  const proto = (name: string) => (scope[name] as { prototype?: object } | undefined)?.prototype;
  return {
    computePass: proto('GPUComputePassEncoder'),
    queue: proto('GPUQueue'),
    buffer: proto('GPUBuffer'),
  };
}
