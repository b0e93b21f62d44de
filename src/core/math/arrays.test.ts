import { describe, expect, it } from 'vitest';
import { argmaxRows, nonzeroIndices, rowNorms, uniqueSorted } from './arrays';

describe('array helpers', () => {
  it('lists distinct values in ascending order', () => {
    expect(uniqueSorted([5, 1, 5, 3, 1])).toEqual([1, 3, 5]);
  });

  it('takes the Euclidean norm of each row', () => {
    expect(Array.from(rowNorms([3, 4, 0, 0], 2, 2))).toEqual([5, 0]);
  });

  it('finds nonzero indices and row-wise argmax (first on ties)', () => {
    expect(nonzeroIndices([0, 2, 0, -1])).toEqual([1, 3]);
    expect(Array.from(argmaxRows([1, 3, 3, 0, -1, -2], 2, 3))).toEqual([1, 0]);
  });
});
