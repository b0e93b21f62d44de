/**
 * Makes every buffer of a fused trainer, or fails before the trainer exists: the sizes are checked
 * against the device's limits first (nothing is created when one is over), then the buffers are
 * created inside error scopes, and all of them are destroyed again if the device refused one.
 */
import type { BertConfig } from '../model/config';
import {
  checkBufferLimits,
  fusedBufferPlan,
  trainerSizes,
  type BufferLimits,
  type TrainerBuffer,
} from './bufferPlan';
import { FusedStepError } from './errors';
import { GpuContext, scoped } from './gpu';
import { segmentTable } from './kernels/optimizer';
import type { FlatLayout } from './layout';
import { allocateActivations, type Activations, type BatchShape } from './stepBuffers';

export interface TrainerBuffers {
  readonly ctx: GpuContext;
  readonly own: Record<TrainerBuffer, GPUBuffer>;
  readonly acts: Activations;
}

/** `device`'s limits, lowered to `cap` where given (test hooks). */
function effectiveLimits(device: GPUDevice, cap: Partial<BufferLimits> = {}): BufferLimits {
  return {
    maxStorageBufferBindingSize: Math.min(
      device.limits.maxStorageBufferBindingSize,
      cap.maxStorageBufferBindingSize ?? Infinity,
    ),
    maxBufferSize: Math.min(device.limits.maxBufferSize, cap.maxBufferSize ?? Infinity),
  };
}

export async function makeTrainerBuffers(
  device: GPUDevice,
  config: BertConfig,
  layout: FlatLayout,
  slots: number,
  shape: BatchShape,
  cap?: Partial<BufferLimits>,
): Promise<TrainerBuffers> {
  const plan = fusedBufferPlan(config, layout, slots, shape);
  checkBufferLimits(plan, effectiveLimits(device, cap), shape);

  const ctx = new GpuContext(device);
  const segmentInfo = segmentTable(
    layout.leaves.map((leaf) => ({
      offset: leaf.offset,
      length: leaf.length,
      kind: leaf.kind,
      rowWidth: leaf.kind === 'embedding' ? (leaf.shape[1] ?? 1) : 1,
    })),
  );
  const made = scoped(device, () => {
    const sizes = trainerSizes(config, layout, slots, shape);
    const own = Object.fromEntries(
      Object.entries(sizes).map(([name, n]) => [name, ctx.storage(name, n)]),
    ) as Record<TrainerBuffer, GPUBuffer>;
    ctx.write(own.segments, segmentInfo);
    return { own, acts: allocateActivations(ctx, config, shape) };
  });
  const fault = await made.fault;
  if (fault === null) return { ctx, ...made.value };
  ctx.destroy();
  const total = plan.reduce((n, b) => n + b.bytes, 0);
  throw new FusedStepError(
    fault.kind,
    `The fused WebGPU step could not make its buffers (${(total / 1e6).toFixed(1)} MB in all for a batch of ${shape.batchSize} × ${shape.seqLength}): ${fault.message}. Choose a smaller batch size or sequence length.`,
    true,
  );
}
