/**
 * How far E_token's rows moved in one step, and how large a gradient they had, by the path that
 * gave them one: the median and quartiles of ‖Δrow‖ and ‖g‖ over each group of rows.
 *
 *   lookup:    rows whose lookup gradient is nonzero (the batch's distinct ids, [PAD] aside);
 *              g is that lookup gradient, ‖dL/dE_token[r]‖ through the input lookup.
 *   output:    rows whose only gradient came through the tied output softmax; g is that output
 *              gradient, Σ_m (p_m[r] − y_m[r]) h_m.
 *   momentum:  rows that moved with no gradient at all (optimizer state, weight decay); g = 0.
 *
 * The groups follow the gradient, not the move: at a learning rate of 0 the lookup and output
 * groups are the 'stalled' rows of rowCauses.ts, with every ‖Δrow‖ 0. Whenever the learning rate
 * is not 0 they are exactly the 'lookup', 'output' and 'momentum' causes (a row with a gradient
 * moves under every optimizer here), which is why the groups carry those ids.
 *
 * Quantiles are d3's (R's type 7): linear interpolation between the two nearest order statistics
 * at h = (n − 1)·p, so the median of an even count is the mean of the middle two.
 */
import type { RowCause, RowStepFacts } from './rowCauses';

export const MOVE_SIZE_CAUSES = ['lookup', 'output', 'momentum'] as const satisfies readonly RowCause[];
export type MoveSizeCause = (typeof MOVE_SIZE_CAUSES)[number];

export interface Quartiles {
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

export interface MoveSizeGroup {
  /** Rows in the group. */
  readonly rows: number;
  /** ‖Δrow‖ over the group's rows; null when the group is empty. */
  readonly update: Quartiles | null;
  /** ‖g‖ through the group's path (0 for 'momentum'); null when the group is empty. */
  readonly grad: Quartiles | null;
}

export type MoveSizes = Readonly<Record<MoveSizeCause, MoveSizeGroup>>;

/** The p-quantile of ascending values, interpolated (type 7); NaN for none. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/**
 * Puts the k-th smallest of values[lo..hi] at index k, smaller ones before it and larger ones after
 * (Hoare's quickselect, middle pivot): O(n) on average, against O(n log n) for a sort. A step of
 * the default model sorts 30,522 norms twice; selecting instead keeps the per-step cost to a few
 * linear passes.
 */
function select(values: Float64Array, k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The p-quantile (type 7) of values, reordering them; every value must be a number (no NaN). */
function quantileSelect(values: Float64Array, p: number): number {
  const n = values.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  select(values, lo, 0, n - 1);
  const a = values[lo]!;
  if (lo + 1 >= n) return a;
  // The next order statistic is the least value after index lo.
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) if (values[i]! < b) b = values[i]!;
  return a + (h - lo) * (b - a);
}

/** Minimum, quartiles and maximum of values (reordered in place); null for none. */
export function quartilesInPlace(values: Float64Array): Quartiles | null {
  if (values.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    min,
    q1: quantileSelect(values, 0.25),
    median: quantileSelect(values, 0.5),
    q3: quantileSelect(values, 0.75),
    max,
  };
}

/** The group of row r, or null for a row with no gradient that did not move. */
function groupOf(lookupGrad: number, outputGrad: number, update: number): MoveSizeCause | null {
  if (lookupGrad > 0) return 'lookup';
  if (outputGrad > 0) return 'output';
  return update > 0 ? 'momentum' : null;
}

/** One step's ‖Δrow‖ and ‖g‖ quartiles by gradient path: one pass to group, a few selections per array. */
export function moveSizes(step: RowStepFacts): MoveSizes {
  const V = step.updateRowNorm.length;
  const group = new Int8Array(V).fill(-1);
  const n = [0, 0, 0];
  for (let r = 0; r < V; r++) {
    const lookupGrad = step.lookupGradRowNorm[r] ?? 0;
    const outputGrad = step.outputGradRowNorm[r] ?? 0;
    const g = groupOf(lookupGrad, outputGrad, step.updateRowNorm[r] ?? 0);
    if (g === null) continue;
    const i = MOVE_SIZE_CAUSES.indexOf(g);
    group[r] = i;
    n[i]!++;
  }
  const update = n.map((k) => new Float64Array(k));
  const grad = n.map((k) => new Float64Array(k));
  const at = [0, 0, 0];
  for (let r = 0; r < V; r++) {
    const i = group[r]!;
    if (i < 0) continue;
    const k = at[i]!++;
    // A NaN norm counts as 0, as in causeOf (a non-finite step applies nothing).
    update[i]![k] = step.updateRowNorm[r] || 0;
    grad[i]![k] = (i === 0 ? step.lookupGradRowNorm[r]! : i === 1 ? step.outputGradRowNorm[r]! : 0) || 0;
  }
  const out = {} as Record<MoveSizeCause, MoveSizeGroup>;
  MOVE_SIZE_CAUSES.forEach((cause, i) => {
    out[cause] = { rows: n[i]!, update: quartilesInPlace(update[i]!), grad: quartilesInPlace(grad[i]!) };
  });
  return out;
}
