import { describe, expect, it } from 'vitest';
import { zeroCounts } from './counters';
import { budgetLine, markdownTable, ratio, tallyMismatches, withRatios, type PathResult } from './report';

const measured = (
  path: 'stock' | 'fused',
  ms: number,
  dispatches: number,
  submits: number,
): Extract<PathResult, { available: true }> => ({
  path,
  available: true,
  steps: 3,
  firstStepMs: ms * 10,
  medianStepMs: ms,
  firstStep: { ...zeroCounts(), dispatches: dispatches + 5 },
  perStep: { ...zeroCounts(), dispatches, submits, writeBuffers: dispatches, readbacks: 1 },
  dispatchRange: [dispatches, dispatches],
});

const tiny = { label: 'bert-tiny', preset: 'bert-tiny', batch: 8, seq: 64 };
const base = { vocabSize: 30522, hidden: 128, layers: 2, optimizer: 'adamw' };

describe('ratio', () => {
  it('divides, and is null without both numbers or with a zero divisor', () => {
    expect(ratio(1500, 60)).toBe(25);
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(NaN, 1)).toBeNull();
  });
});

describe('withRatios', () => {
  it('compares the fused path with the stock one from the same run', () => {
    const c = withRatios({
      ...base,
      cell: tiny,
      stock: measured('stock', 8000, 1500, 98),
      fused: measured('fused', 400, 60, 2),
    });
    expect(c.speedup).toBe(20);
    expect(c.dispatchRatio).toBe(25);
  });

  it('has no ratios when the fused path did not run', () => {
    const c = withRatios({
      ...base,
      cell: tiny,
      stock: measured('stock', 8000, 1500, 98),
      fused: { path: 'fused', available: false, reason: 'fused path not available: missing' },
    });
    expect(c.speedup).toBeNull();
    expect(c.dispatchRatio).toBeNull();
  });
});

describe('markdownTable', () => {
  it('has a row per cell and path, with the counts, the times and the ratio on the fused row', () => {
    const c = withRatios({
      ...base,
      cell: tiny,
      stock: measured('stock', 8123.4, 1293, 98),
      fused: measured('fused', 42.25, 61, 2),
    });
    const lines = markdownTable([c]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| bert-tiny | 8×64 | stock | 1,293 | 98 | 1,293 | 1 | 81,234 ms | 8,123 ms (3) |  |',
    );
    expect(lines[3]).toBe(
      '| bert-tiny | 8×64 | fused | 61 | 2 | 61 | 1 | 423 ms | 42.3 ms (3) | 192× time, 21× dispatches |',
    );
    // Every row has as many cells as the header.
    const cellsOf = (line: string) => line.split('|').length;
    for (const line of lines) expect(cellsOf(line)).toBe(cellsOf(lines[0]!));
  });

  it('says why a path has no figures, and shows a spread of dispatches when steps differ', () => {
    const stock = { ...measured('stock', 900, 1290, 98), dispatchRange: [1288, 1293] as const };
    const c = withRatios({
      ...base,
      cell: tiny,
      stock,
      fused: { path: 'fused', available: false, reason: 'fused path not available: x' },
    });
    const lines = markdownTable([c]).split('\n');
    expect(lines[2]).toContain('| 1,290 (1288–1293) |');
    expect(lines[3]).toBe('| bert-tiny | 8×64 | fused | fused path not available: x | | | | | | |');
    expect(lines[3]!.split('|').length).toBe(lines[0]!.split('|').length);
  });
});

describe('budgetLine', () => {
  const cell = (fused: PathResult) =>
    withRatios({ ...base, cell: tiny, stock: measured('stock', 8000, 1500, 98), fused });
  it('is met at 100 dispatches and 3 submits, and not one more of either', () => {
    expect(budgetLine([cell(measured('fused', 50, 100, 3))])).toMatch(/: met \(100 dispatches, 3 submits\)/);
    expect(budgetLine([cell(measured('fused', 50, 101, 3))])).toMatch(/NOT met/);
    expect(budgetLine([cell(measured('fused', 50, 100, 4))])).toMatch(/NOT met/);
  });
  it('says when the fused bert-tiny 8×64 cell was not measured', () => {
    expect(budgetLine([cell({ path: 'fused', available: false, reason: 'why' })])).toMatch(
      /not measured \(why\)/,
    );
    expect(budgetLine([])).toMatch(/not measured \(no such cell/);
  });
});

describe('tallyMismatches', () => {
  const withTally = (dispatches: number, submits: number) =>
    withRatios({
      ...base,
      cell: tiny,
      stock: measured('stock', 8000, 1500, 98),
      fused: { ...measured('fused', 50, 60, 2), trainerPerStep: { dispatches, submits } },
    });
  it('is silent when the wrappers and the trainer agree, and names the cell when they do not', () => {
    expect(tallyMismatches([withTally(60, 2)])).toEqual([]);
    expect(tallyMismatches([withTally(59, 2)])).toEqual([
      'bert-tiny 8×64: the fused trainer counts 59 dispatches and 2 submits a step, the wrappers 60 and 2.',
    ]);
    expect(tallyMismatches([withTally(60, 3)])).toHaveLength(1);
  });
});

describe('the ratio column', () => {
  it('is empty on a fused row when the stock path did not run', () => {
    const c = withRatios({
      ...base,
      cell: tiny,
      stock: { path: 'stock', available: false, reason: 'not run (--paths)' },
      fused: measured('fused', 50, 60, 2),
    });
    expect(markdownTable([c]).split('\n')[3]).toMatch(/\(3\) \| {2}\|$/);
  });
});
