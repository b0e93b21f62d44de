/**
 * The small WebGPU layer the fused training step is written on: one `GpuContext` over a
 * `GPUDevice` (tfjs-backend-webgpu's own, so tensors and our buffers live on the same device),
 * and a `Recorder` that collects a step's dispatches and sends them in one compute pass and one
 * `queue.submit`.
 *
 * Conventions every kernel follows (src/core/fused/kernels/*):
 * - binding 0 is a uniform struct of 32-bit words (u32, i32 or f32; `u32` and `f32`
 *   below write the common ones); bindings 1..n are storage buffers, in the order the kernel's encode function
 *   passes them. At most 8 storage buffers per kernel (WebGPU's default limit, which tfjs keeps).
 * - every buffer holds 4-byte elements (f32, or i32/u32 for ids); offsets and sizes are counted
 *   in elements, never bytes, and are passed to the shader as uniforms (a `View`), because a
 *   bind group of the flat parameter buffer cannot start at an arbitrary element.
 * - a kernel must use every binding it declares (layout 'auto' drops unused ones).
 * - a buffer may be bound several times in one dispatch only if every binding is read-only.
 */

/** A place in a buffer: the buffer and the element (not byte) offset where a tensor starts. */
export interface View {
  readonly buffer: GPUBuffer;
  readonly offset: number;
}

export const view = (buffer: GPUBuffer, offset = 0): View => ({ buffer, offset });

/** One 32-bit uniform word. f32 words are stored by their bit pattern. */
export type Word = { readonly type: 'u32' | 'i32' | 'f32'; readonly value: number };
export const u32 = (value: number): Word => ({ type: 'u32', value });
export const f32 = (value: number): Word => ({ type: 'f32', value });

/** Storage usage of every buffer the context makes: read and written by shaders, copied both ways. */
const STORAGE = 0x80 | 0x04 | 0x08; // GPUBufferUsage.STORAGE | COPY_SRC | COPY_DST, numeric for Node
const UNIFORM = 0x40 | 0x08; // GPUBufferUsage.UNIFORM | COPY_DST
const MAP_READ = 0x01 | 0x08; // GPUBufferUsage.MAP_READ | COPY_DST
/** Uniform bindings must start at multiples of minUniformBufferOffsetAlignment (256 at most). */
const UNIFORM_ALIGN = 256;

export class GpuContext {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly owned = new Set<GPUBuffer>();
  /** Every dispatch and submit this context made, for the benchmarks and the budget tests. */
  readonly counts = { dispatches: 0, submits: 0 };

  constructor(readonly device: GPUDevice) {}

  /** Pipelines by module key (kernels/program.ts's `run`): their source was built once each. */
  private readonly kernels = new Map<string, GPUComputePipeline>();
  private built = 0;

  /**
   * The pipeline of the module `key` names, building its WGSL with `build` (and compiling it) only
   * the first time this context sees `key`.
   */
  kernel(key: string, build: () => string): GPUComputePipeline {
    let p = this.kernels.get(key);
    if (p === undefined) {
      this.built++;
      p = this.pipeline(build());
      this.kernels.set(key, p);
    }
    return p;
  }

  /** How many kernel sources this context has generated: one per module key, not per dispatch. */
  get sourceBuilds(): number {
    return this.built;
  }

  /** The compute pipeline of `code`, compiled once and cached by its source. */
  pipeline(code: string, entry = 'main'): GPUComputePipeline {
    const key = `${entry}\n${code}`;
    let p = this.pipelines.get(key);
    if (p === undefined) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** A storage buffer of `elements` 4-byte elements, zero-filled (WebGPU zeroes new buffers). */
  storage(label: string, elements: number): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(4, elements * 4), usage: STORAGE });
    this.owned.add(buffer);
    return buffer;
  }

  write(buffer: GPUBuffer, data: Float32Array | Int32Array | Uint32Array, elementOffset = 0): void {
    this.device.queue.writeBuffer(buffer, elementOffset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Copies `elements` elements from `buffer` into a mapped staging buffer and returns their bytes. */
  async readBytes(buffer: GPUBuffer, elementOffset: number, elements: number): Promise<ArrayBuffer> {
    const size = Math.max(4, elements * 4);
    // In error scopes: a refused copy still maps its staging buffer, full of zeros, which a
    // sync must never write into the weights.
    const { value: staging, fault } = scoped(this.device, () => {
      const out = this.device.createBuffer({ label: `read ${buffer.label}`, size, usage: MAP_READ });
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(buffer, elementOffset * 4, out, 0, elements * 4);
      this.device.queue.submit([encoder.finish()]);
      return out;
    });
    this.counts.submits++;
    const read = await mapScoped(staging, fault);
    if ('fault' in read) throw new Error(`Reading "${buffer.label}" failed: ${read.fault.message}`);
    return read.bytes;
  }

  async read(buffer: GPUBuffer, elementOffset = 0, elements = buffer.size / 4 - elementOffset) {
    return new Float32Array(await this.readBytes(buffer, elementOffset, elements));
  }

  async readInt(buffer: GPUBuffer, elementOffset = 0, elements = buffer.size / 4 - elementOffset) {
    return new Int32Array(await this.readBytes(buffer, elementOffset, elements));
  }

  /** Destroys the buffers this context made (pipelines are garbage collected). */
  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.clear();
  }

  release(buffer: GPUBuffer): void {
    if (this.owned.delete(buffer)) buffer.destroy();
  }
}

interface Dispatch {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly words: readonly Word[];
  readonly buffers: readonly GPUBuffer[];
  readonly groups: readonly [number, number, number];
}

/**
 * Collects dispatches, then encodes them in order in one compute pass. Storage writes of one
 * dispatch are visible to the next in the same pass (WebGPU orders dispatches within a pass and
 * synchronizes their storage accesses), so a whole step is one pass.
 */
export class Recorder {
  private readonly list: Dispatch[] = [];
  private readonly copies: ((encoder: GPUCommandEncoder) => void)[] = [];

  constructor(readonly ctx: GpuContext) {}

  get length(): number {
    return this.list.length;
  }

  /**
   * Records one dispatch. `words` fill binding 0 (pad it to the struct in WGSL; 16-byte
   * multiples are added here), `buffers` are bindings 1..n, `groups` the workgroup counts.
   */
  dispatch(
    label: string,
    pipeline: GPUComputePipeline,
    words: readonly Word[],
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number?, number?],
  ): void {
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return; // nothing to do (e.g. no masked token)
    const max = this.ctx.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > max || y > max || z > max) {
      throw new RangeError(`${label}: ${x}×${y}×${z} workgroups exceed the device's ${max} per dimension.`);
    }
    this.list.push({ label, pipeline, words, buffers, groups: [x, y, z] });
  }

  /** A copy or clear to run after the dispatches recorded so far (ends and reopens the pass). */
  encoderCommand(command: (encoder: GPUCommandEncoder) => void): void {
    this.list.push({ label: '#copy', pipeline: null as never, words: [], buffers: [], groups: [0, 0, 0] });
    this.copies.push(command);
  }

  /** Encodes everything in one command buffer and submits it once. Returns the dispatch count. */
  submit(): number {
    const { device } = this.ctx;
    // All uniforms of the step in one buffer, each struct at an aligned offset.
    const stride = (d: Dispatch) =>
      Math.ceil(Math.max(16, d.words.length * 4) / UNIFORM_ALIGN) * UNIFORM_ALIGN;
    const total = this.list.reduce((n, d) => n + (d.label === '#copy' ? 0 : stride(d)), 0);
    const data = new ArrayBuffer(Math.max(total, UNIFORM_ALIGN));
    const dv = new DataView(data);
    const uniform = device.createBuffer({ size: data.byteLength, usage: UNIFORM });
    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    let at = 0;
    let dispatches = 0;
    let copy = 0;
    for (const d of this.list) {
      if (d.label === '#copy') {
        pass?.end();
        pass = null;
        this.copies[copy++]!(encoder);
        continue;
      }
      d.words.forEach((w, i) => {
        if (w.type === 'f32') dv.setFloat32(at + i * 4, w.value, true);
        else if (w.type === 'i32') dv.setInt32(at + i * 4, w.value, true);
        else dv.setUint32(at + i * 4, w.value, true);
      });
      const size = Math.ceil(Math.max(16, d.words.length * 4) / 16) * 16;
      const bindGroup = device.createBindGroup({
        layout: d.pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniform, offset: at, size } },
          ...d.buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
      at += stride(d);
      pass ??= encoder.beginComputePass();
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(...d.groups);
      dispatches++;
    }
    pass?.end();
    device.queue.writeBuffer(uniform, 0, data);
    device.queue.submit([encoder.finish()]);
    uniform.destroy(); // freed once the submitted work is done
    this.ctx.counts.dispatches += dispatches;
    this.ctx.counts.submits++;
    this.list.length = 0;
    this.copies.length = 0;
    return dispatches;
  }
}

/** Workgroups of `size` threads needed to cover `n` items, spread over x and y past the x limit. */
export function groupsFor(n: number, size: number, maxPerDim = 65535): [number, number] {
  const groups = Math.ceil(n / size);
  if (groups <= maxPerDim) return [groups, 1];
  return [maxPerDim, Math.ceil(groups / maxPerDim)];
}

/** An error a WebGPU error scope caught. */
export interface GpuFault {
  readonly kind: 'out-of-memory' | 'validation';
  readonly message: string;
}

/**
 * Runs `work` (synchronous, so nothing else can use the device in between: tfjs shares it) inside
 * an 'out-of-memory' and a 'validation' error scope, and pops both before returning. `fault`
 * settles once the device has checked every call `work` made: with the first error, or null.
 * An invalid call does not throw in WebGPU; without a scope it only makes later work invalid (a
 * submission that runs nothing) and logs a warning, so this is how the fused step notices it.
 */
export function scoped<T>(device: GPUDevice, work: () => T): { value: T; fault: Promise<GpuFault | null> } {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let value: T;
  try {
    value = work();
  } catch (error) {
    popFaults(device).catch(() => undefined);
    throw error;
  }
  return { value, fault: popFaults(device) };
}

/** Pops the two scopes `scoped` pushed (now, in reverse order) and merges what they caught. */
function popFaults(device: GPUDevice): Promise<GpuFault | null> {
  const validation = device.popErrorScope();
  const memory = device.popErrorScope();
  return Promise.all([memory, validation]).then(([m, v]) => {
    if (m !== null) return { kind: 'out-of-memory', message: m.message };
    if (v !== null) return { kind: 'validation', message: v.message };
    return null;
  });
}

/**
 * The bytes of `staging` (a MAP_READ buffer its submission copied into), or the fault its
 * submission's scopes caught: an invalid submission ran nothing, yet its staging buffer still
 * maps, full of zeros, so the scope and not the map says whether the bytes mean anything. A map
 * error without a fault (a lost device) is rethrown. `staging` is destroyed either way.
 */
export async function mapScoped(
  staging: GPUBuffer,
  fault: Promise<GpuFault | null>,
): Promise<{ readonly bytes: ArrayBuffer } | { readonly fault: GpuFault }> {
  const mapped = staging.mapAsync(1 /* GPUMapMode.READ */).then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const [refused, mapError] = await Promise.all([fault, mapped]);
  try {
    if (refused !== null) return { fault: refused };
    if (mapError !== null) throw mapError.error;
    return { bytes: staging.getMappedRange().slice(0) };
  } finally {
    staging.destroy();
  }
}
