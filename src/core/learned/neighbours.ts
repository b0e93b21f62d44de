/**
 * Nearest rows of a table by cosine, raw or centred.
 *
 * Centred: every row minus the table's mean row m (its column means). Under a tied output every
 * row of E_token is pushed by the softmax's gradient in a shared direction, so the raw rows drift
 * together and every pair looks alike; cos(x_r − m, x_q − m) measures what sets rows apart.
 *
 * Nothing is copied to centre: with q' = x_q − m, (x_r − m)·q' = x_r·q' − m·q', one dot product
 * per row against the query and one constant. The norms ‖x_r − m‖ take one pass over the table
 * (shared by every query); each query then takes one pass of dot products and keeps a bounded
 * top-k list, not a sort of all V cosines.
 */
import { columnMeans, rowNormsAbout } from '../train/drift';

/** A row-major [rows, cols] table. */
export interface RowTable {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** What every query against one table shares: its centre (or none) and its rows' norms about it. */
export interface CosineIndex {
  readonly table: RowTable;
  /** The column means when centred; null for the raw cosine. */
  readonly centre: Float32Array | null;
  /** ‖x_r − centre‖ (or ‖x_r‖) for every row. */
  readonly norms: Float32Array;
}

export interface RowCosine {
  readonly id: number;
  readonly cosine: number;
}

export function cosineIndex(table: RowTable, centred: boolean): CosineIndex {
  const { values, rows, cols } = table;
  if (values.length !== rows * cols)
    throw new RangeError(`A ${rows}×${cols} table needs ${rows * cols} values, not ${values.length}.`);
  const centre = centred ? columnMeans(values, rows, cols) : null;
  return { table, centre, norms: rowNormsAbout(values, rows, cols, centre) };
}

/** How many neighbours a request for `k` gets among `others` rows: 0 for 0, negative or NaN. */
function neighbourCount(k: number, others: number): number {
  if (!(k > 0)) return 0;
  return Math.min(Math.floor(k), others);
}

/**
 * The `k` rows nearest to row `id` by cosine, highest first, ties by the lower id; the row itself
 * is left out. A row of zero norm (about the centre when centred) has cosine 0 with every row.
 */
export function nearestRows(index: CosineIndex, id: number, k: number): RowCosine[] {
  const { table, centre, norms } = index;
  const { values, rows, cols } = table;
  if (!Number.isInteger(id) || id < 0 || id >= rows)
    throw new RangeError(`Row ${id} is not a row of a table with ${rows} rows.`);
  const count = neighbourCount(k, rows - 1);
  if (count === 0) return [];
  // q' = x_q − m, and the constant m·q' every row's dot product subtracts.
  const query = new Float64Array(cols);
  let offset = 0;
  for (let c = 0; c < cols; c++) {
    query[c] = values[id * cols + c]! - (centre ? centre[c]! : 0);
    if (centre) offset += centre[c]! * query[c]!;
  }
  const queryNorm = norms[id]!;
  // The best `count` so far, best first; a row enters only if it beats the worst kept.
  const ids = new Int32Array(count);
  const cosines = new Float64Array(count);
  let kept = 0;
  for (let r = 0; r < rows; r++) {
    if (r === id) continue;
    const norm = norms[r]!;
    let cosine = 0;
    if (norm > 0 && queryNorm > 0) {
      let dot = 0;
      const base = r * cols;
      for (let c = 0; c < cols; c++) dot += values[base + c]! * query[c]!;
      cosine = (dot - offset) / (norm * queryNorm);
    }
    // Rows come in increasing id, so an equal cosine never displaces one kept before it.
    if (kept === count && cosine <= cosines[count - 1]!) continue;
    let at = kept === count ? count - 1 : kept++;
    while (at > 0 && cosines[at - 1]! < cosine) {
      cosines[at] = cosines[at - 1]!;
      ids[at] = ids[at - 1]!;
      at--;
    }
    cosines[at] = cosine;
    ids[at] = r;
  }
  return Array.from({ length: kept }, (_, i) => ({ id: ids[i]!, cosine: cosines[i]! }));
}

/** cos(x_a, x_b) (about the index's centre when it has one); 0 when either has zero norm. */
export function rowCosine(index: CosineIndex, a: number, b: number): number {
  const { table, centre, norms } = index;
  const { values, cols } = table;
  if (!(norms[a]! > 0 && norms[b]! > 0)) return 0;
  let dot = 0;
  for (let c = 0; c < cols; c++) {
    const m = centre ? centre[c]! : 0;
    dot += (values[a * cols + c]! - m) * (values[b * cols + c]! - m);
  }
  return dot / (norms[a]! * norms[b]!);
}
