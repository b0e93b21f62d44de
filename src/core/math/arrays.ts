/** Small helpers over plain and typed arrays, shared by the model, the data and the reports. */

/** The distinct values, ascending. */
export function uniqueSorted(values: ArrayLike<number>): number[] {
  return [...new Set(Array.from(values))].sort((x, y) => x - y);
}

/** The Euclidean norm of each row of a row-major [rows, cols] matrix: [rows]. */
export function rowNorms(matrix: ArrayLike<number>, rows: number, cols: number): Float32Array {
  if (matrix.length !== rows * cols) {
    throw new RangeError(`A ${rows} x ${cols} matrix needs ${rows * cols} values, not ${matrix.length}.`);
  }
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = r * cols; c < (r + 1) * cols; c++) sum += matrix[c]! * matrix[c]!;
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}

/** The indices whose value is not zero, ascending. */
export function nonzeroIndices(values: ArrayLike<number>): number[] {
  const indices: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) indices.push(i);
  return indices;
}

/** The index of the largest value in each row of a row-major [rows, cols] matrix (first on ties). */
export function argmaxRows(matrix: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const best = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let arg = 0;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = matrix[r * cols + c]!;
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    best[r] = arg;
  }
  return best;
}
