import { describe, expect, it } from 'vitest';
import { impossibleReport, parseReport, type RawReport } from './report';

/** A report like a real finite step's: ‖g‖ = 2.5 over clip norm 1, so the clip factor is 0.4. */
const real: RawReport = {
  gradNorm: Math.fround(2.5),
  nonFiniteFlag: 0,
  clipScale: Math.fround(0.4),
  sumOfSquares: Math.fround(6.25),
  mlmLoss: Math.fround(6.1),
  nspLoss: Math.fround(0.69),
  mlmPredictions: new Int32Array(3),
  nspPredictions: new Int32Array(2),
  norms: new Float32Array(4),
};
const clipNorm = 1;

describe('a report that cannot be true is caught', () => {
  it('accepts a real step, a step under the clip norm, a zero gradient and a memorized batch', () => {
    expect(impossibleReport(real, clipNorm)).toBeNull();
    expect(
      impossibleReport({ ...real, gradNorm: 0.5, sumOfSquares: 0.25, clipScale: 1 }, clipNorm),
    ).toBeNull();
    expect(impossibleReport({ ...real, gradNorm: 0, sumOfSquares: 0, clipScale: 1 }, clipNorm)).toBeNull();
    // Losses of exactly 0 are reachable in f32 (see impossibleReport), so they are not refused.
    expect(impossibleReport({ ...real, mlmLoss: 0, nspLoss: 0 }, clipNorm)).toBeNull();
    // A loss a hair below 0 is the log's rounding near 1, not an impossibility.
    expect(impossibleReport({ ...real, nspLoss: -4e-7 }, clipNorm)).toBeNull();
  });

  it('accepts a non-finite step (refused on the GPU) with its clip factor of 1', () => {
    const bad = {
      ...real,
      nonFiniteFlag: 1,
      clipScale: 1,
      mlmLoss: NaN,
      gradNorm: Infinity,
      sumOfSquares: Infinity,
    };
    expect(impossibleReport(bad, clipNorm)).toBeNull();
  });

  it('refuses the report of zeros that a submission which never ran leaves in its staging buffer', () => {
    const zeros = parseReport(new ArrayBuffer(4 * (6 + 3 + 2 + 4)), 3, 2);
    expect(impossibleReport(zeros, clipNorm)).toMatch(/clip factor is 0/);
    // Under any clip norm, including none at all.
    expect(impossibleReport(zeros, Infinity)).toMatch(/clip factor is 0/);
  });

  it('refuses a flag that is not 0 or 1, a non-finite step whose clip factor is not 1, and an inconsistent norm', () => {
    expect(impossibleReport({ ...real, nonFiniteFlag: 0.5 }, clipNorm)).toMatch(/non-finite flag/);
    expect(impossibleReport({ ...real, nonFiniteFlag: 1 }, clipNorm)).toMatch(/clip factor of 0.4/);
    expect(impossibleReport({ ...real, sumOfSquares: 7 }, clipNorm)).toMatch(/square root/);
    expect(impossibleReport({ ...real, gradNorm: -2.5 }, clipNorm)).toMatch(/square root/);
    expect(impossibleReport({ ...real, clipScale: 1 }, clipNorm)).toMatch(/not 0.4/);
    expect(impossibleReport({ ...real, clipScale: 1.5 }, clipNorm)).toMatch(/outside/);
  });

  it('refuses a negative or non-finite loss on a finite step', () => {
    expect(impossibleReport({ ...real, mlmLoss: -0.5 }, clipNorm)).toMatch(/MLM loss is -0.5/);
    expect(impossibleReport({ ...real, nspLoss: NaN }, clipNorm)).toMatch(/NSP loss is NaN/);
  });

  it('reads the staging layout: stats, losses, M then B predictions, then the norms', () => {
    const words = new ArrayBuffer(4 * (6 + 3 + 2 + 4));
    const f = new Float32Array(words);
    const i = new Int32Array(words);
    f.set([2.5, 0, 0.4, 6.25, 6.1, 0.69]);
    i.set([7, 8, 9, 1, 0], 6);
    f.set([1, 2, 3, 4], 11);
    const r = parseReport(words, 3, 2);
    expect([...r.mlmPredictions]).toEqual([7, 8, 9]);
    expect([...r.nspPredictions]).toEqual([1, 0]);
    expect([...r.norms]).toEqual([1, 2, 3, 4]);
    expect(impossibleReport(r, clipNorm)).toBeNull();
  });
});
