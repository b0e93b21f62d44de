/**
 * The common drift of E_token: how far each row has moved since step 0, split into the part all
 * rows share (the mean change) and each row's own part.
 *
 * Why there is a shared part: under a tied output, a row r that is not the target of masked slot
 * m gets the softmax gradient p_m[r] · h_m, so its whole gradient is Σ_m p_m[r] h_m: nearly the
 * same direction for every one of the V rows, only its length (the probabilities) differs. Adam
 * divides each coordinate by √v, which makes the step of a small steady gradient about as large
 * as that of a large one, so nearly every row takes nearly the same step (Gao et al., ICLR 2019,
 * "representation degeneration"). Plain SGD keeps the lengths p_m[r] · ‖h_m‖, which are tiny for
 * rare rows, and an untied output sends no gradient to rows outside the batch at all.
 *
 * Pythagoras splits the total exactly: with Δ_r = E_t[r] − E_0[r] and m = mean_r Δ_r,
 * Σ_r ‖Δ_r‖² = V ‖m‖² + Σ_r ‖Δ_r − m‖², so `commonShare` = V‖m‖² / Σ_r ‖Δ_r‖² is the fraction of
 * all the movement that is the one shared vector.
 *
 * Plain typed arrays, no tfjs: the page computes it from the tables the engine sends.
 */

export interface TokenDrift {
  /** The step of the tables it was computed from. */
  readonly step: number;
  readonly rows: number;
  readonly cols: number;
  /** Δ = E_token now − E_token at step 0: [rows, cols], row-major. */
  readonly change: Float32Array;
  /** m = mean_r Δ_r: [cols], the change every row shares. */
  readonly mean: Float32Array;
  /** ‖m‖. */
  readonly meanNorm: number;
  /** median_r ‖Δ_r‖: how far the median row moved. */
  readonly medianChange: number;
  /** median_r ‖Δ_r − m‖: how far the median row moved once the shared part is taken out. */
  readonly medianCentred: number;
  /** V‖m‖² / Σ_r ‖Δ_r‖², in [0, 1]; 0 when no row moved. */
  readonly commonShare: number;
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: Float32Array): number {
  if (values.length === 0) return NaN;
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Column means of a row-major [rows, cols] matrix, summed in float64: [cols]. */
export function columnMeans(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) sums[c]! += matrix[r * cols + c]!;
  }
  return Float32Array.from(sums, (s) => (rows === 0 ? 0 : s / rows));
}

/** ‖x_r − centre‖ for every row of a row-major [rows, cols] matrix (centre [cols], or none). */
export function rowNormsAbout(
  matrix: Float32Array,
  rows: number,
  cols: number,
  centre: Float32Array | null,
): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const v = matrix[r * cols + c]! - (centre ? centre[c]! : 0);
      s += v * v;
    }
    out[r] = Math.sqrt(s);
  }
  return out;
}

/**
 * E_token's drift from `start` (step 0) to `token` (step `step`), both [rows, cols]. Two passes
 * over the table (the change and its column sums, then both row norms), as it runs on the page
 * a few times a second while training plays.
 */
export function tokenDrift(
  token: Float32Array,
  start: Float32Array,
  rows: number,
  cols: number,
  step: number,
): TokenDrift {
  if (token.length !== rows * cols || start.length !== rows * cols)
    throw new RangeError(`E_token and its step-0 copy must both hold ${rows} × ${cols} numbers.`);
  const change = new Float32Array(rows * cols);
  const sums = new Float64Array(cols);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const d = token[i]! - start[i]!;
      change[i] = d;
      sums[c]! += d;
    }
  }
  const mean = Float32Array.from(sums, (x) => (rows === 0 ? 0 : x / rows));
  const plain = new Float32Array(rows);
  const own = new Float32Array(rows);
  let total = 0;
  for (let r = 0, i = 0; r < rows; r++) {
    let p = 0;
    let o = 0;
    for (let c = 0; c < cols; c++, i++) {
      const d = change[i]!;
      const e = d - mean[c]!;
      p += d * d;
      o += e * e;
    }
    total += p;
    plain[r] = Math.sqrt(p);
    own[r] = Math.sqrt(o);
  }
  const meanNorm = Math.hypot(...mean);
  return {
    step,
    rows,
    cols,
    change,
    mean,
    meanNorm,
    medianChange: median(plain),
    medianCentred: median(own),
    commonShare: total > 0 ? Math.min(1, (rows * meanNorm * meanNorm) / total) : 0,
  };
}

/** One step's shared move, from the step report's per-row norms alone. */
export interface StepDrift {
  /** ‖mean_r Δ_r‖ of this step's update. */
  readonly meanNorm: number;
  /** median_r ‖Δ_r‖ and median_r ‖Δ_r − m‖ of this step. */
  readonly medianUpdate: number;
  readonly medianCentred: number;
  /** V‖m‖² / Σ_r ‖Δ_r‖², in [0, 1]; 0 when no row moved. */
  readonly commonShare: number;
}

/**
 * The step's shared move from ‖Δ_r‖ and ‖Δ_r − m‖ (the report's updateRowNorm and
 * centredUpdateRowNorm): by Pythagoras V‖m‖² = Σ_r ‖Δ_r‖² − Σ_r ‖Δ_r − m‖², summed in float64 and
 * clamped at 0 (when the shared part is tiny the difference of two f32-rounded sums can dip below).
 */
export function stepDrift(update: Float32Array, centred: Float32Array): StepDrift {
  const V = update.length;
  let total = 0;
  let own = 0;
  for (let r = 0; r < V; r++) {
    total += update[r]! ** 2;
    own += centred[r]! ** 2;
  }
  const shared = Math.max(0, total - own);
  return {
    meanNorm: V > 0 ? Math.sqrt(shared / V) : 0,
    medianUpdate: median(update),
    medianCentred: median(centred),
    commonShare: total > 0 ? Math.min(1, shared / total) : 0,
  };
}
