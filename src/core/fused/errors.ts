/**
 * How the fused WebGPU step fails: loudly, with a kind the engine can act on, never as a step that
 * "succeeds" with a report of zeros.
 *
 * - 'limits': a buffer the step needs is larger than the device allows (`device.limits`), found
 *   before anything is created.
 * - 'out-of-memory': the device refused an allocation (an 'out-of-memory' error scope).
 * - 'validation': WebGPU rejected a command (a 'validation' error scope): the submission ran
 *   nothing, so the buffers still hold the last good step.
 * - 'impossible-report': the step ran but its report cannot be true (a loss of exactly 0, a clip
 *   factor of 0): the buffers cannot be trusted.
 */
export type FusedFailureKind = 'limits' | 'out-of-memory' | 'validation' | 'impossible-report';

export class FusedStepError extends Error {
  override name = 'FusedStepError';
  constructor(
    readonly kind: FusedFailureKind,
    message: string,
    /**
     * True when the Session's tf.Variables hold the weights and optimizer state of the last good
     * step after the failure (nothing lost); false when the caller must restore a snapshot.
     */
    readonly weightsKept: boolean,
  ) {
    super(message);
  }
}
