/**
 * The fused WebGPU training step (src/core/fused/trainer.ts) as the bench uses it:
 *   createFusedTrainer(state: TrainState, device: GPUDevice): FusedTrainer
 *   FusedTrainer { ctx: GpuContext; step(batch): Promise<StepReport>; dispose(): void }
 */
import type { GpuContext } from '../../../src/core/fused/gpu';
import { createFusedTrainer } from '../../../src/core/fused/trainer';
import type { PretrainingBatch, StepReport, TrainState } from '../../../src/core/train';

export interface FusedTrainer {
  readonly ctx: Pick<GpuContext, 'counts'>;
  step(batch: PretrainingBatch): Promise<StepReport>;
  dispose(): void;
}

export type CreateFusedTrainer = (state: TrainState, device: GPUDevice) => FusedTrainer;

/** The factory, or why there is none. */
export async function loadFusedTrainer(): Promise<CreateFusedTrainer | { reason: string }> {
  if (typeof createFusedTrainer !== 'function') {
    return { reason: 'fused path not available: src/core/fused/trainer.ts exports no createFusedTrainer' };
  }
  return createFusedTrainer;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}
