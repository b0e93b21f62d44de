import { describe, expect, it } from 'vitest';
import { checkSchedule, clipScale, learningRate } from './schedule';

describe('schedule and clipping', () => {
  const schedule = { peakLearningRate: 1e-3, warmupSteps: 10, totalSteps: 110 };

  it('warms up linearly to the peak, then decays linearly to 0 at totalSteps', () => {
    expect(learningRate(schedule, 1)).toBeCloseTo(1e-4, 10);
    expect(learningRate(schedule, 5)).toBeCloseTo(5e-4, 10);
    expect(learningRate(schedule, 10)).toBeCloseTo(1e-3, 10);
    expect(learningRate(schedule, 60)).toBeCloseTo(5e-4, 10);
    expect(learningRate(schedule, 110)).toBe(0);
    expect(learningRate(schedule, 200)).toBe(0);
    expect(learningRate({ ...schedule, warmupSteps: 0 }, 1)).toBeCloseTo(1e-3 * (109 / 110), 10);
  });

  it('rejects a warm-up as long as the whole schedule', () => {
    expect(() => checkSchedule({ ...schedule, warmupSteps: 110 })).toThrow(/warmupSteps/);
  });

  it('scales the gradient by clipNorm / norm only when the norm exceeds clipNorm', () => {
    expect(clipScale(0.5, 1)).toBe(1);
    expect(clipScale(4, 1)).toBe(0.25);
  });
});
