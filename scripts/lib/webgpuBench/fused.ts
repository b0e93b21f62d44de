/**
 * The fused WebGPU training step (src/core/fused/trainer.ts, being written as this bench is), loaded
 * on demand so the bench runs, and says "fused path not available", while the module is missing or
 * throws. The API it is written against (docs: /work/notes/FUSED.md and issue 11):
 *   createFusedTrainer(state: TrainState, device: GPUDevice): FusedTrainer
 *   FusedTrainer { ctx: GpuContext; step(batch): Promise<StepReport>; dispose(): void }
 */
import type { GpuContext } from '../../../src/core/fused/gpu';
import type { PretrainingBatch, StepReport, TrainState } from '../../../src/core/train';

export interface FusedTrainer {
  readonly ctx: Pick<GpuContext, 'counts'>;
  step(batch: PretrainingBatch): Promise<StepReport>;
  dispose(): void;
}

export type CreateFusedTrainer = (state: TrainState, device: GPUDevice) => FusedTrainer;

/** The factory, or why there is none. */
export async function loadFusedTrainer(): Promise<CreateFusedTrainer | { reason: string }> {
  let module: unknown;
  try {
    // The module may not exist yet: esbuild's plugin (bundle.ts) then stands in a module that
    // throws, and tsx's import rejects. Once it exists this comment pair can go.
    // eslint-disable-next-line @typescript-eslint/ban-ts-comment
    // @ts-ignore -- src/core/fused/trainer.ts is not on every branch yet
    module = await import('../../../src/core/fused/trainer');
  } catch (error) {
    return { reason: `fused path not available: ${firstLine(error)}` };
  }
  const create = (module as { createFusedTrainer?: unknown }).createFusedTrainer;
  if (typeof create !== 'function') {
    return { reason: 'fused path not available: src/core/fused/trainer.ts exports no createFusedTrainer' };
  }
  return create as CreateFusedTrainer;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}
