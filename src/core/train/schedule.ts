/**
 * BERT's learning-rate schedule: a linear warm-up from 0 to the peak over `warmupSteps`, then a
 * linear decay to 0 at `totalSteps`.
 *
 * Two choices, documented because they differ from Google's optimization.py:
 * - Steps are numbered from 1, the number of the update being made, so the first update already
 *   moves the weights (Google's global_step starts at 0, so its first update has rate 0).
 * - The decay runs from the peak at the end of the warm-up to 0 at totalSteps, continuous, as
 *   Hugging Face's get_linear_schedule_with_warmup. Google decays peak·(1 - step/totalSteps) from
 *   step 0 and lets the warm-up override it, so its rate drops by peak·warmup/total when the
 *   warm-up ends.
 */
export interface Schedule {
  readonly peakLearningRate: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
}

export function checkSchedule(s: Schedule): void {
  if (!(s.peakLearningRate >= 0 && Number.isFinite(s.peakLearningRate))) {
    throw new RangeError(`The peak learning rate must be finite and at least 0, not ${s.peakLearningRate}.`);
  }
  if (!Number.isInteger(s.totalSteps) || s.totalSteps < 1) {
    throw new RangeError(`totalSteps must be a whole number of at least 1, not ${s.totalSteps}.`);
  }
  if (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0 || s.warmupSteps >= s.totalSteps) {
    throw new RangeError(`warmupSteps must be a whole number in [0, totalSteps), not ${s.warmupSteps}.`);
  }
}

/** The learning rate of update number `step` (1-based). */
export function learningRate(s: Schedule, step: number): number {
  if (step <= s.warmupSteps) return (s.peakLearningRate * step) / s.warmupSteps;
  return (s.peakLearningRate * Math.max(0, s.totalSteps - step)) / (s.totalSteps - s.warmupSteps);
}

/**
 * TF's clip_by_global_norm: when the norm of all gradients together exceeds `clipNorm`, every
 * gradient is scaled by clipNorm / norm, which keeps the direction and caps the length.
 */
export function clipScale(globalNorm: number, clipNorm: number): number {
  return globalNorm > clipNorm ? clipNorm / globalNorm : 1;
}
