import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { cosineIndex, nearestRows, rowCosine, type RowTable } from './neighbours';

function randomTable(rows: number, cols: number, seed = 7, shift = 0): RowTable {
  const rng = new Rng(seed);
  // A shared shift stands in for the common drift of all rows that centring takes out.
  const values = Float32Array.from(
    { length: rows * cols },
    (_, i) => rng.normal() + (i % cols === 0 ? shift : 0),
  );
  return { values, rows, cols };
}

/** Cosine of two rows, the plain way. */
function cosine(t: RowTable, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < t.cols; c++) {
    const x = t.values[a * t.cols + c]!;
    const y = t.values[b * t.cols + c]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Every other row's cosine, sorted high to low (ties by id): the reference. */
function bruteForce(t: RowTable, id: number, k: number) {
  const all = [];
  for (let r = 0; r < t.rows; r++) if (r !== id) all.push({ id: r, cosine: cosine(t, id, r) });
  all.sort((x, y) => y.cosine - x.cosine || x.id - y.id);
  return all.slice(0, k);
}

function subtractColumnMeans(t: RowTable): RowTable {
  const means = new Float64Array(t.cols);
  for (let r = 0; r < t.rows; r++)
    for (let c = 0; c < t.cols; c++) means[c]! += t.values[r * t.cols + c]! / t.rows;
  return { ...t, values: t.values.map((x, i) => x - means[i % t.cols]!) };
}

describe('nearestRows', () => {
  it('equals a brute-force cosine over a known table, highest first, its own row left out', () => {
    const t = randomTable(200, 8);
    const index = cosineIndex(t, false);
    for (const id of [0, 17, 199]) {
      const got = nearestRows(index, id, 10);
      const want = bruteForce(t, id, 10);
      expect(got.map((n) => n.id)).toEqual(want.map((n) => n.id));
      got.forEach((n, i) => expect(n.cosine).toBeCloseTo(want[i]!.cosine, 5));
      expect(got.some((n) => n.id === id)).toBe(false);
    }
  });

  it('centred equals the raw cosine on the table with its column means subtracted', () => {
    const t = randomTable(150, 6, 3, 4);
    const centred = nearestRows(cosineIndex(t, true), 5, 12);
    const want = bruteForce(subtractColumnMeans(t), 5, 12);
    expect(centred.map((n) => n.id)).toEqual(want.map((n) => n.id));
    centred.forEach((n, i) => expect(n.cosine).toBeCloseTo(want[i]!.cosine, 5));
    // The shift makes the raw cosines differ: centring is not a no-op on this table.
    expect(nearestRows(cosineIndex(t, false), 5, 12).map((n) => n.id)).not.toEqual(want.map((n) => n.id));
    expect(rowCosine(cosineIndex(t, true), 5, want[0]!.id)).toBeCloseTo(want[0]!.cosine, 5);
  });

  it('breaks ties by the lower id and gives zero-norm rows cosine 0', () => {
    // Rows 1, 2 and 4 are the same direction as row 0; row 3 is zero.
    const values = Float32Array.from([1, 0, 2, 0, 3, 0, 0, 0, 5, 0, 0, 1]);
    const index = cosineIndex({ values, rows: 6, cols: 2 }, false);
    expect(nearestRows(index, 0, 5)).toEqual([
      { id: 1, cosine: 1 },
      { id: 2, cosine: 1 },
      { id: 4, cosine: 1 },
      { id: 3, cosine: 0 },
      { id: 5, cosine: 0 },
    ]);
    expect(nearestRows(index, 3, 2)).toEqual([
      { id: 0, cosine: 0 },
      { id: 1, cosine: 0 },
    ]);
  });

  it('lists every other row when k exceeds V − 1, and none for k 0, negative or NaN', () => {
    const t = randomTable(9, 3);
    const index = cosineIndex(t, true);
    expect(nearestRows(index, 2, 100)).toHaveLength(8);
    for (const k of [0, -3, NaN]) expect(nearestRows(index, 2, k)).toEqual([]);
    expect(nearestRows(index, 2, 2.7)).toHaveLength(2);
  });

  it('rejects an id that is not a row', () => {
    const index = cosineIndex(randomTable(9, 3), false);
    for (const id of [-1, 9, 1.5, NaN]) expect(() => nearestRows(index, id, 3)).toThrow(/not a row/);
    expect(() => cosineIndex({ values: new Float32Array(5), rows: 2, cols: 3 }, false)).toThrow(
      /needs 6 values/,
    );
  });
});
