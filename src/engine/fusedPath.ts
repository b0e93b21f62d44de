/**
 * A session's fused WebGPU path (src/core/fused): the trainer that keeps the weights in its own
 * buffers, whether those buffers are ahead of the tf.Variables, and the way back to the composite
 * tfjs path when a fused step fails. The session asks it to step, to sync and to switch device.
 */
import { FusedStepError } from '../core/fused/errors';
import type { BatchShape } from '../core/fused/stepBuffers';
import { createFusedTrainer, type FusedTrainer } from '../core/fused/trainer';
import type { PretrainingBatch, StepReport, TrainState } from '../core/train';

/**
 * Faults for the tests of the fused path's failures: 'invalid-step' makes the next fused step's
 * submission one WebGPU rejects; 'limit' checks the next trainer's buffers against `bytes`
 * instead of the device's larger limits.
 */
export type FusedFault =
  { readonly type: 'invalid-step' } | { readonly type: 'limit'; readonly bytes: number };

export class FusedPath {
  private trainer: FusedTrainer | null = null;
  /** True while the fused buffers hold steps the variables have not seen. */
  private stale = false;
  /** Test hooks: a cap on the limits the next fused trainer checks its buffers against. */
  private limitCap: number | null = null;

  constructor(
    private readonly state: () => TrainState,
    private readonly shape: BatchShape,
  ) {}

  /** Whether steps run on the fused path. */
  get on(): boolean {
    return this.trainer !== null;
  }

  /** Makes the state's tf.Variables current. */
  async sync(): Promise<void> {
    if (this.trainer === null || !this.stale) return;
    await this.trainer.syncToState();
    this.stale = false;
  }

  /** One fused step; on a FusedStepError the path is left first (see `leave`). */
  async step(batch: PretrainingBatch): Promise<StepReport> {
    const trainer = this.trainer!;
    const wasStale = this.stale;
    this.stale = true;
    try {
      return await trainer.step(batch);
    } catch (error) {
      if (!(error instanceof FusedStepError)) throw error;
      throw await this.leave(error, wasStale);
    }
  }

  /** Trains on `device` from now on, or on the composite path when null. */
  async use(device: GPUDevice | null, options: { readonly deviceLost?: boolean } = {}): Promise<void> {
    // A lost device cannot be read: the caller restores the variables from a snapshot instead.
    if (options.deviceLost !== true) await this.sync();
    this.drop();
    if (device === null) return;
    const cap = this.limitCap;
    const limits = cap === null ? {} : { maxStorageBufferBindingSize: cap, maxBufferSize: cap };
    // On a FusedStepError nothing was made (or it was destroyed): the composite path stays.
    this.trainer = await createFusedTrainer(this.state, device, this.shape, { limits });
  }

  injectFault(fault: FusedFault): boolean {
    if (fault.type === 'limit') {
      this.limitCap = fault.bytes;
      return true;
    }
    this.trainer?.breakNextStep();
    return this.trainer !== null;
  }

  /** After the variables were assigned from outside (a restore), reloads the buffers from them. */
  async reload(): Promise<void> {
    this.stale = false;
    await this.trainer?.loadFromState();
  }

  drop(): void {
    this.trainer?.dispose();
    this.trainer = null;
    this.stale = false;
  }

  /**
   * Back to the composite path after a fused step failed, keeping the last good step when it can:
   * a refused submission ('validation', 'out-of-memory') ran nothing, so the buffers still hold
   * the last good step and are synced into the variables first; after an 'impossible-report' the
   * buffers are not trusted, and the variables are the last good step only if they were current
   * before the failed step (`wasStale` false). Returns the error to reject with.
   */
  private async leave(error: FusedStepError, wasStale: boolean): Promise<FusedStepError> {
    let kept = !wasStale;
    if (error.kind !== 'impossible-report' && this.trainer !== null) {
      try {
        await this.trainer.syncToState();
        kept = true;
      } catch {
        // The read failed too: the variables keep what they held, current only if nothing was stale.
      }
    }
    this.drop();
    const step = this.state().step;
    const outcome = kept
      ? `The weights and optimizer state of step ${step} are kept.`
      : `The weights since the last sync are lost; step ${step} must be restored from a snapshot.`;
    return new FusedStepError(error.kind, `${error.message} ${outcome}`, kept);
  }
}
