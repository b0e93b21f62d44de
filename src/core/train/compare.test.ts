import { describe, expect, it } from 'vitest';
import type { TokenId } from '../tokenizer';
import { absentDrift, comparePrediction } from './compare';

describe('comparePrediction', () => {
  const moved = Float32Array.of(0, 0.5, 0, 0.1, 0.2);

  it('counts predicted rows that moved, predicted rows that stayed, and unpredicted movers', () => {
    expect(comparePrediction([0, 1, 3], moved)).toEqual({ hits: 2, misses: 1, surprises: 1 });
  });

  it('treats an empty prediction as "nothing moves": every mover is a surprise', () => {
    expect(comparePrediction([], moved)).toEqual({ hits: 0, misses: 0, surprises: 3 });
  });

  it('ignores repeated rows and rows outside the table', () => {
    expect(comparePrediction([1, 1, -1, 5, 2.5], moved)).toEqual({ hits: 1, misses: 0, surprises: 2 });
  });
});

describe('absentDrift', () => {
  const report = (updateRowNorm: number[], lookupRows: number[]) => ({
    step: 2,
    nonFinite: false,
    loss: { mlm: 1, nsp: 0.5, total: 1.5 },
    lookupRows: lookupRows as TokenId[],
    updateRowNorm: Float32Array.from(updateRowNorm),
  });

  it('counts rows outside the batch that moved, with the mean and max of their ‖Δrow‖', () => {
    const d = absentDrift(report([0.9, 0, 0.25, 0.75, 0], [0, 1]));
    expect(d).toEqual({
      step: 2,
      nonFinite: false,
      loss: 1.5,
      absentRows: 3,
      drifting: 2,
      meanDrift: 0.5,
      maxDrift: 0.75,
    });
  });

  it('reports no drift when only looked-up rows moved, as with LazyAdam', () => {
    const d = absentDrift(report([0.9, 0.1, 0, 0, 0], [0, 1, 1]));
    expect([d.absentRows, d.drifting, d.meanDrift, d.maxDrift]).toEqual([3, 0, 0, 0]);
  });
});
