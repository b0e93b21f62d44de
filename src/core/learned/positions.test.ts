import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { cosineMatrix, positionCosines } from './positions';

describe('positionCosines', () => {
  it('gives the symmetric cosine matrix with 1 on the diagonal', () => {
    const values = Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]);
    const m = cosineMatrix(values, 4, 2);
    expect(Array.from(m)).toEqual(
      [1, 0, Math.SQRT1_2, 0, 0, 1, Math.SQRT1_2, 0, Math.SQRT1_2, Math.SQRT1_2, 1, 0, 0, 0, 0, 0].map(
        Math.fround,
      ),
    );
  });

  it('averages the band below T from row 1, and the rows at or past T apart', () => {
    const rng = new Rng(1);
    const P = 40;
    const H = 5;
    const table = Float32Array.from({ length: P * H }, () => rng.normal());
    const p = positionCosines(table, P, H, 24);
    const cos = (i: number, j: number) => p.cosines[i * P + j]!;
    const mean = (pairs: [number, number][]) => pairs.reduce((s, [i, j]) => s + cos(i, j), 0) / pairs.length;
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    expect(p.adjacent).toBeCloseTo(mean(range(1, 23).map((i) => [i, i + 1])), 10);
    expect(p.tenApart).toBeCloseTo(mean(range(1, 14).map((i) => [i, i + 10])), 10);
    expect(p.beyondAdjacent).toBeCloseTo(mean(range(24, 39).map((i) => [i, i + 1])), 10);
    expect([p.count, p.lookedUp]).toEqual([P, 24]);
  });

  it('gives NaN for a band with no pairs', () => {
    const table = Float32Array.from({ length: 12 * 2 }, (_, i) => i + 1);
    // T = 11: no i ≥ 1 with i + 10 < 11, and row 11 alone is past T.
    const p = positionCosines(table, 12, 2, 11);
    expect(p.tenApart).toBeNaN();
    expect(p.beyondAdjacent).toBeNaN();
    expect(p.adjacent).not.toBeNaN();
    expect(positionCosines(table, 12, 2, 99).lookedUp).toBe(12);
  });
});
