import { describe, expect, it } from 'vitest';
import { frequencyGroups } from './frequencyPlot';
import { cellAt, matrixGrid } from './matrixMap';

describe('matrixGrid', () => {
  it('lays bert-base-uncased’s 30,522 rows out in a 175 × 175 grid', () => {
    expect(matrixGrid(30522)).toEqual({ columns: 175, rows: 175 });
  });

  it('uses a square for a square number of rows', () => {
    expect(matrixGrid(1000)).toEqual({ columns: 32, rows: 32 });
  });
});

describe('cellAt', () => {
  const grid = matrixGrid(10); // 4 columns, 3 rows, the last two cells empty

  it('maps a point to the cell under it, row by row', () => {
    expect(cellAt(grid, 0, 0, 10)).toBe(0);
    expect(cellAt(grid, 0.99, 0.4, 10)).toBe(7);
  });

  it('returns null outside the map and on the empty cells after the last row', () => {
    expect(cellAt(grid, 1, 0, 10)).toBeNull();
    expect(cellAt(grid, -0.1, 0, 10)).toBeNull();
    expect(cellAt(grid, 0.9, 0.9, 10)).toBeNull();
  });
});

describe('frequencyGroups', () => {
  it('groups rows by (frequency, lookup steps) and leaves out rows never seen', () => {
    const groups = frequencyGroups({ frequency: [0, 3, 3, 1], lookupSteps: [0, 2, 2, 1] });
    expect(groups).toEqual([
      { x: 3, y: 2, rows: 2 },
      { x: 1, y: 1, rows: 1 },
    ]);
  });
});
