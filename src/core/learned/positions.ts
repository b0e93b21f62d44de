/**
 * The learned position rows side by side: cos(E_position[i], E_position[j]) for every pair, and the
 * band along the diagonal that training draws. Sequences of T tokens look up rows 0..T−1 only; rows
 * T..P−1 get no gradient (the position table is tied to no output) and keep their step-0 cosines.
 */
import type { PositionCosines } from './types';

/** The P×P cosine matrix of a row-major [rows, cols] table (float64 sums, stored as float32). */
export function cosineMatrix(values: Float32Array, rows: number, cols: number): Float32Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += values[r * cols + c]! ** 2;
    norms[r] = Math.sqrt(s);
  }
  const out = new Float32Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    out[i * rows + i] = norms[i]! > 0 ? 1 : 0;
    for (let j = i + 1; j < rows; j++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += values[i * cols + c]! * values[j * cols + c]!;
      const cosine = norms[i]! > 0 && norms[j]! > 0 ? dot / (norms[i]! * norms[j]!) : 0;
      out[i * rows + j] = cosine;
      out[j * rows + i] = cosine;
    }
  }
  return out;
}

/** Mean of cos(i, i + gap) over from ≤ i and i + gap < to; NaN when there is no such pair. */
function bandMean(cosines: Float32Array, count: number, gap: number, from: number, to: number): number {
  let sum = 0;
  let pairs = 0;
  for (let i = from; i + gap < to; i++) {
    sum += cosines[i * count + i + gap]!;
    pairs++;
  }
  return pairs === 0 ? NaN : sum / pairs;
}

/**
 * The position table's cosines and band figures. `lookedUp` is the training sequence length T
 * (clamped to 0..P). Row 0 is [CLS]'s slot in every sequence, a row unlike the others, so the
 * looked-up bands start at row 1.
 */
export function positionCosines(
  position: Float32Array,
  count: number,
  hidden: number,
  lookedUp: number,
): PositionCosines {
  if (position.length !== count * hidden)
    throw new RangeError(`A ${count}×${hidden} position table needs ${count * hidden} values.`);
  const T = Math.max(0, Math.min(count, Math.floor(lookedUp)));
  const cosines = cosineMatrix(position, count, hidden);
  return {
    count,
    lookedUp: T,
    cosines,
    adjacent: bandMean(cosines, count, 1, 1, T),
    tenApart: bandMean(cosines, count, 10, 1, T),
    beyondAdjacent: bandMean(cosines, count, 1, T, count),
  };
}
