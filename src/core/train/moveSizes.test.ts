import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { classifyRows, ROW_CAUSES } from './rowCauses';
import { moveSizes, quantileSorted, quartilesInPlace } from './moveSizes';

/** The p-quantile by brute force: sort a plain array, interpolate between neighbours by hand. */
function bruteQuantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const below = s[Math.floor(h)]!;
  const above = s[Math.ceil(h)]!;
  return below + (h - Math.floor(h)) * (above - below);
}

describe('quantileSorted', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(quantileSorted([1, 2, 9], 0.5)).toBe(2);
    expect(quantileSorted([1, 2, 4, 9], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantileSorted([7], 0.75)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('quartilesInPlace', () => {
  it('equals a brute-force sort on random data of every small size', () => {
    const rng = new Rng(7);
    const rand = () => rng.float();
    for (let n = 1; n < 40; n++) {
      const xs = Array.from({ length: n }, () => Math.fround(rand() * 10 ** (rand() * 6 - 6)));
      const q = quartilesInPlace(Float64Array.from(xs))!;
      expect(q.min).toBe(Math.min(...xs));
      expect(q.max).toBe(Math.max(...xs));
      for (const [p, v] of [
        [0.25, q.q1],
        [0.5, q.median],
        [0.75, q.q3],
      ] as const)
        expect(v).toBeCloseTo(bruteQuantile(xs, p), 15);
    }
  });

  it('equals a brute-force sort when most values are tied (zeros, a few levels)', () => {
    const rng = new Rng(11);
    for (const n of [2, 3, 10, 101, 1000]) {
      const xs = Array.from({ length: n }, () => [0, 0, 0, 1e-3, 2e-3][rng.int(5)]!);
      const q = quartilesInPlace(Float64Array.from(xs))!;
      expect([q.q1, q.median, q.q3]).toEqual([0.25, 0.5, 0.75].map((p) => bruteQuantile(xs, p)));
    }
  });

  it('is null for no values', () => {
    expect(quartilesInPlace(new Float64Array(0))).toBeNull();
  });
});

describe('moveSizes', () => {
  /**
   * Rows: 0 [PAD] (output gradient only, moved), 1 output only, 2 and 3 lookup (with an output
   * gradient too), 4 and 5 moved with no gradient, 6 still.
   */
  const step = {
    lookupGradRowNorm: Float32Array.of(0, 0, 0.9, 0.5, 0, 0, 0),
    outputGradRowNorm: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0, 0, 0),
    updateRowNorm: Float32Array.of(0.05, 0.5, 0.6, 0.2, 0.8, 0.4, 0),
  };

  it('groups rows by the path that gave them a gradient and takes each path’s gradient', () => {
    const s = moveSizes(step);
    expect(s.lookup.rows).toBe(2);
    expect(s.lookup.update!.median).toBeCloseTo((0.6 + 0.2) / 2, 6);
    expect(s.lookup.grad!.median).toBeCloseTo((0.9 + 0.5) / 2, 6);
    expect(s.output.rows).toBe(2);
    expect(s.output.grad!.median).toBeCloseTo(0.15, 6);
    expect(s.momentum.rows).toBe(2);
    expect(s.momentum.update!.median).toBeCloseTo(0.6, 6);
    expect(s.momentum.grad!.max).toBe(0);
  });

  it('matches the row causes when the learning rate is not 0', () => {
    const { counts } = classifyRows(step);
    const s = moveSizes(step);
    for (const cause of ROW_CAUSES.slice(0, 3)) expect(s[cause as 'lookup'].rows).toBe(counts[cause]);
  });

  it('keeps rows with a gradient that did not move in their path’s group (learning rate 0)', () => {
    const still = { ...step, updateRowNorm: new Float32Array(7) };
    const s = moveSizes(still);
    expect(s.lookup.rows).toBe(2);
    expect(s.lookup.update!.max).toBe(0);
    expect(s.output.rows).toBe(2);
    expect(s.momentum).toEqual({ rows: 0, update: null, grad: null });
  });

  it('reports medians equal to a brute-force sort of each group', () => {
    const rng = new Rng(3);
    const rand = () => rng.float();
    const V = 501;
    const big = {
      lookupGradRowNorm: Float32Array.from({ length: V }, () => (rand() < 0.1 ? rand() : 0)),
      outputGradRowNorm: Float32Array.from({ length: V }, () => (rand() < 0.8 ? rand() / 10 : 0)),
      updateRowNorm: Float32Array.from({ length: V }, () => (rand() < 0.9 ? rand() / 100 : 0)),
    };
    const s = moveSizes(big);
    const idx = [...Array(V).keys()];
    const lookup = idx.filter((r) => big.lookupGradRowNorm[r]! > 0);
    const output = idx.filter((r) => !(big.lookupGradRowNorm[r]! > 0) && big.outputGradRowNorm[r]! > 0);
    expect(s.lookup.update!.median).toBe(
      bruteQuantile(
        lookup.map((r) => big.updateRowNorm[r]!),
        0.5,
      ),
    );
    expect(s.lookup.grad!.q3).toBe(
      bruteQuantile(
        lookup.map((r) => big.lookupGradRowNorm[r]!),
        0.75,
      ),
    );
    expect(s.output.grad!.q1).toBe(
      bruteQuantile(
        output.map((r) => big.outputGradRowNorm[r]!),
        0.25,
      ),
    );
  });
});
