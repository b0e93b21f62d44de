/**
 * Browser-side helpers for the fused kernels' tests (run by e2e/fusedHarness.ts in Chromium on
 * its WebGPU adapter). The reference for every kernel is the composite tfjs ops on the cpu
 * backend, in the same page; the kernels run on the webgpu backend's own device.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { GpuContext } from '../gpu';
import { Rng } from '../../math/rng';

/** One comparison: what was compared, the relative L2 error measured, and the bound it must meet. */
export interface CaseResult {
  readonly what: string;
  readonly error: number;
  readonly bound: number;
}

/**
 * A suite's named cases. A case may take one JSON value from the spec (`runCase`'s `input`): data
 * the page cannot read itself, such as a vocabulary file.
 */
export type FusedSuite = Record<string, (input?: unknown) => Promise<CaseResult[]>>;

/** The forward bound (1e-5 relative L2) and the gradient bound (1e-4) the issue sets. */
export const FORWARD_BOUND = 1e-5;
export const GRADIENT_BOUND = 1e-4;

let context: GpuContext | null = null;

/**
 * The GpuContext on tfjs-backend-webgpu's device. The webgpu backend is started once, then cpu is
 * made the active backend so that every tf op of a test (the reference) runs on the cpu.
 */
export async function gpu(): Promise<GpuContext> {
  if (context === null) {
    if (!(await tf.setBackend('webgpu'))) throw new Error('No WebGPU backend in this browser.');
    await tf.ready();
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    context = new GpuContext(device);
    await tf.setBackend('cpu');
    await tf.ready();
  }
  return context;
}

/** ‖a − b‖ / max(‖b‖, tiny): relative L2 error of `a` against the reference `b`. */
function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  if (!Number.isFinite(num)) return Infinity;
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

export function result(
  what: string,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  bound: number,
): CaseResult {
  return { what, error: relL2(got, want), bound };
}

/** `n` normal(0, std) values from a seeded stream. */
export function randomArray(seed: number, n: number, std = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

/** A storage buffer holding `data`. */
export function upload(ctx: GpuContext, label: string, data: Float32Array | Int32Array | Uint32Array) {
  const buffer = ctx.storage(label, data.length);
  ctx.write(buffer, data);
  return buffer;
}

/**
 * Counts the buffers `device` creates (and those not yet destroyed) until `restore`, by wrapping
 * createBuffer and each new buffer's destroy.
 */
export function countBuffers(device: GPUDevice): { live(): number; created(): number; restore(): void } {
  const create = device.createBuffer.bind(device);
  let live = 0;
  let created = 0;
  device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    const buffer = create(descriptor);
    live++;
    created++;
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) live--;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
  return { live: () => live, created: () => created, restore: () => (device.createBuffer = create) };
}

/**
 * Makes `device` hand out one compute pipeline per WGSL source and entry point (layout 'auto'),
 * however many GpuContexts ask: each fused trainer has its own context, whose cache would
 * otherwise compile all ~50 kernels again, which costs SwiftShader tens of seconds per trainer.
 * A pipeline is immutable, so sharing it changes nothing a trainer computes. Returns the number of
 * pipelines compiled so far.
 */
export function sharePipelines(device: GPUDevice): () => number {
  const modules = new Map<string, GPUShaderModule>();
  const pipelines = new WeakMap<GPUShaderModule, Map<string, GPUComputePipeline>>();
  const createModule = device.createShaderModule.bind(device);
  const createPipeline = device.createComputePipeline.bind(device);
  let compiled = 0;
  device.createShaderModule = (descriptor: GPUShaderModuleDescriptor) => {
    let m = modules.get(descriptor.code);
    if (m === undefined) modules.set(descriptor.code, (m = createModule(descriptor)));
    return m;
  };
  device.createComputePipeline = (descriptor: GPUComputePipelineDescriptor) => {
    if (descriptor.layout !== 'auto') return createPipeline(descriptor);
    const { module, entryPoint = '' } = descriptor.compute;
    let byEntry = pipelines.get(module);
    if (byEntry === undefined) pipelines.set(module, (byEntry = new Map()));
    let p = byEntry.get(entryPoint);
    if (p === undefined) {
      byEntry.set(entryPoint, (p = createPipeline(descriptor)));
      compiled++;
    }
    return p;
  };
  return () => compiled;
}

/** Registers the suite for the spec to run. */
export function register(suite: FusedSuite): void {
  (window as unknown as { fusedSuite: FusedSuite }).fusedSuite = suite;
}
