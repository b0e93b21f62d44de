import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { pca2d, symmetricEigen } from './pca';

/** A random d×d orthogonal matrix (columns), by Gram–Schmidt on normal draws. */
function orthogonal(d: number, rng: Rng): Float64Array {
  const q = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += v[k]! * q[k * d + i]!;
      for (let k = 0; k < d; k++) v[k]! -= dot * q[k * d + i]!;
    }
    const norm = Math.hypot(...v);
    for (let k = 0; k < d; k++) q[k * d + j] = v[k]! / norm;
  }
  return q;
}

/** Q diag(λ) Qᵀ. */
function compose(q: Float64Array, lambdas: number[]): Float64Array {
  const d = lambdas.length;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q[i * d + k]! * lambdas[k]! * q[j * d + k]!;
      m[i * d + j] = s;
    }
  return m;
}

/** |cos| between column a of x and column b of y (signs are arbitrary). */
function alignment(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let dot = 0;
  for (let k = 0; k < d; k++) dot += x[k * d + a]! * y[k * d + b]!;
  return Math.abs(dot);
}

describe('symmetricEigen', () => {
  it.each([3, 8, 32])('recovers known eigenvalues and eigenvectors of a %i×%i matrix to 1e-5', (d) => {
    const rng = new Rng(d);
    const q = orthogonal(d, rng);
    const lambdas = Array.from({ length: d }, (_, i) => d - i + (i % 2) * 0.25);
    const { values, vectors } = symmetricEigen(compose(q, lambdas), d);
    const sorted = [...lambdas].sort((a, b) => b - a);
    sorted.forEach((l, i) => expect(values[i]).toBeCloseTo(l, 5));
    for (let i = 0; i < d; i++) {
      const from = lambdas.indexOf(sorted[i]!);
      expect(alignment(vectors, i, q, from, d)).toBeCloseTo(1, 5);
    }
  });

  it('gives A v = λ v for a random symmetric matrix', () => {
    const rng = new Rng(5);
    const d = 6;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, d);
    for (let e = 0; e < d; e++)
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let k = 0; k < d; k++) av += a[i * d + k]! * vectors[k * d + e]!;
        expect(av).toBeCloseTo(values[e]! * vectors[i * d + e]!, 6);
      }
  });
});

describe('pca2d', () => {
  /** n points with variance 9 along u, 4 along v and 0.01 elsewhere in d dimensions. */
  function cloud(n: number, d: number, rng: Rng) {
    const q = orthogonal(d, rng);
    const rows = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const [a, b] = [3 * rng.normal(), 2 * rng.normal()];
      for (let k = 0; k < d; k++)
        rows[r * d + k] = 5 + a * q[k * d]! + b * q[k * d + 1]! + 0.1 * rng.normal();
    }
    return { rows, q };
  }

  it('finds the two axes of largest variance and their explained fractions', () => {
    const rng = new Rng(11);
    const { rows, q } = cloud(400, 5, rng);
    const p = pca2d(rows, 400, 5);
    const axesAsColumns = new Float64Array(25);
    for (let k = 0; k < 5; k++) [0, 1].forEach((a) => (axesAsColumns[k * 5 + a] = p.axes[a * 5 + k]!));
    expect(alignment(axesAsColumns, 0, q, 0, 5)).toBeGreaterThan(0.99);
    expect(alignment(axesAsColumns, 1, q, 1, 5)).toBeGreaterThan(0.99);
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    expect(p.explained[0] + p.explained[1]).toBeLessThanOrEqual(1);
    expect(p.explained[0] + p.explained[1]).toBeGreaterThan(0.95);
    // Coordinates are the centred rows' projections: their mean is 0.
    const meanX = Array.from({ length: 400 }, (_, r) => p.coords[2 * r]!).reduce((s, x) => s + x, 0) / 400;
    expect(meanX).toBeCloseTo(0, 4);
  });

  it('signs each axis by its largest component, or to agree with the previous frame', () => {
    const rng = new Rng(2);
    const { rows } = cloud(50, 4, rng);
    const p = pca2d(rows, 50, 4);
    for (const a of [0, 1]) {
      const axis = Array.from(p.axes.subarray(a * 4, a * 4 + 4));
      const largest = axis.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
    const flipped = p.axes.map((x) => -x);
    const aligned = pca2d(rows, 50, 4, { previousAxes: flipped });
    expect(Array.from(aligned.axes)).toEqual(Array.from(flipped));
    expect(Array.from(aligned.coords)).toEqual(Array.from(p.coords.map((x) => -x)));
  });

  it('handles fewer than two rows or columns', () => {
    expect(pca2d(new Float32Array(3), 1, 3)).toMatchObject({ explained: [0, 0] });
    expect(pca2d(new Float32Array(0), 0, 3).coords).toHaveLength(0);
    const line = pca2d(Float32Array.from([1, 2, 4]), 3, 1);
    expect(line.explained).toEqual([1, 0]);
    expect(Array.from(line.coords)).toEqual([-4 / 3, 0, -1 / 3, 0, 5 / 3, 0].map(Math.fround));
    expect(() => pca2d(new Float32Array(5), 2, 3)).toThrow(/need 6 values/);
  });
});
