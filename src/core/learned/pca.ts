/**
 * A 2-D principal-component projection of n rows × d columns.
 *
 * Centre the rows (subtract their mean row), form the d×d covariance C = XᵀX / (n − 1) in float64,
 * diagonalise it (C = V Λ Vᵀ, cyclic Jacobi: d ≤ a few hundred here), and project each centred row
 * on the eigenvectors of the two largest eigenvalues. Each axis's explained fraction is λ / tr(C).
 *
 * An eigenvector's sign is arbitrary, so a map redrawn every step could flip from one step to the
 * next. Each axis is signed either to agree with the previous frame's axis (a positive dot product)
 * or, without one, so that its component of largest magnitude is positive.
 */

/** A symmetric matrix's eigenvalues (descending) and unit eigenvectors (columns of `vectors`, d×d row-major). */
export interface Eigen {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

const SWEEPS = 60;
/**
 * Sweeps stop once the off-diagonal's squared sum is below this fraction of the matrix's: the
 * eigenvalues are then exact to about √1e-24 = 1e-12 of the matrix's scale. (Asking for 0 would
 * run every sweep: rounding keeps the off-diagonal from ever reaching it.)
 */
const TOLERANCE = 1e-24;

/** One Jacobi rotation zeroing a[p][q] (a and v updated in place). */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = a[p * d + q]!;
  const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    const akp = a[k * d + p]!;
    const akq = a[k * d + q]!;
    a[k * d + p] = c * akp - s * akq;
    a[k * d + q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p * d + k]!;
    const aqk = a[q * d + k]!;
    a[p * d + k] = c * apk - s * aqk;
    a[q * d + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p]!;
    const vkq = v[k * d + q]!;
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}

/** Eigen-decomposition of a symmetric d×d matrix (row-major) by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): Eigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i]! ** 2;
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off <= TOLERANCE * scale) break;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) if (a[p * d + q] !== 0) rotate(a, v, d, p, q);
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j]! - a[i * d + i]! || i - j);
  const values = Float64Array.from(order, (i) => a[i * d + i]!);
  const vectors = new Float64Array(d * d);
  order.forEach((from, to) => {
    for (let k = 0; k < d; k++) vectors[k * d + to] = v[k * d + from]!;
  });
  return { values, vectors };
}

export interface Pca2D {
  /** [n, 2], row-major. */
  readonly coords: Float32Array;
  readonly explained: [number, number];
  /** The two unit axes in column space: [2, d], row-major (zeros where there is no axis). */
  readonly axes: Float64Array;
}

export interface PcaOptions {
  /** The previous frame's axes ([2, d]): each new axis takes the sign that agrees with its old one. */
  readonly previousAxes?: Float64Array | null;
}

/** The mean row and the float64 covariance of n rows × d columns. */
function covariance(rows: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c]! += rows[r * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= n;
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) x[c] = rows[r * d + c]! - mean[c]!;
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov[i * d + j]! += x[i]! * x[j]!;
  }
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      cov[i * d + j]! /= n - 1;
      cov[j * d + i] = cov[i * d + j]!;
    }
  return { mean, cov };
}

/** Flips `axis` (length d) in place so it agrees with `previous`, or else so its largest |component| is positive. */
function signAxis(axis: Float64Array, previous: Float64Array | null): void {
  let dot = 0;
  if (previous) for (let k = 0; k < axis.length; k++) dot += axis[k]! * previous[k]!;
  if (dot === 0) {
    let largest = 0;
    for (let k = 1; k < axis.length; k++) if (Math.abs(axis[k]!) > Math.abs(axis[largest]!)) largest = k;
    dot = axis[largest] ?? 0;
  }
  if (dot < 0) for (let k = 0; k < axis.length; k++) axis[k] = -axis[k]!;
}

/** The rows' coordinates on their first two principal axes. Fewer than 2 rows or columns: what exists. */
export function pca2d(rows: Float32Array, n: number, d: number, options: PcaOptions = {}): Pca2D {
  if (rows.length !== n * d)
    throw new RangeError(`${n} rows of ${d} need ${n * d} values, not ${rows.length}.`);
  const coords = new Float32Array(n * 2);
  const axes = new Float64Array(2 * d);
  if (n < 2 || d < 1) return { coords, explained: [0, 0], axes };
  const { mean, cov } = covariance(rows, n, d);
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (let i = 0; i < d; i++) total += cov[i * d + i]!;
  const explained: [number, number] = [0, 0];
  for (let a = 0; a < Math.min(2, d); a++) {
    const axis = axes.subarray(a * d, (a + 1) * d);
    for (let k = 0; k < d; k++) axis[k] = vectors[k * d + a]!;
    const previous =
      options.previousAxes?.length === 2 * d ? options.previousAxes.subarray(a * d, (a + 1) * d) : null;
    signAxis(axis, previous);
    explained[a] = total > 0 ? Math.max(0, values[a]!) / total : 0;
  }
  for (let r = 0; r < n; r++)
    for (let a = 0; a < 2; a++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (rows[r * d + c]! - mean[c]!) * axes[a * d + c]!;
      coords[r * 2 + a] = s;
    }
  return { coords, explained, axes };
}
