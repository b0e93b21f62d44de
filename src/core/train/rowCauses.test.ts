import { describe, expect, it } from 'vitest';
import type { TokenId } from '../tokenizer';
import {
  accumulateRows,
  classifyRows,
  createRowStats,
  orderByFrequency,
  rowTotals,
  smoothSeries,
  CAUSE_INDEX,
} from './rowCauses';

const ids = (...xs: number[]) => xs as TokenId[];

/** Five rows: 0 ([PAD]) and 2 looked up, 1 and 3 only through the output, 4 moved on momentum. */
const step = {
  lookupRows: ids(0, 2),
  outputGradRowNorm: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0),
  updateRowNorm: Float32Array.of(0, 0.5, 0.6, 0.7, 0.8),
  batch: { inputIds: Int32Array.of(2, 2, 0, 0, 0) },
};

describe('classifyRows', () => {
  it('counts a looked-up row as lookup even when its gradient is exactly zero ([PAD])', () => {
    const { causes, counts } = classifyRows(step);
    expect(causes[0]).toBe(CAUSE_INDEX.lookup);
    expect(counts.lookup).toBe(2);
  });

  it('puts rows with only an output gradient under output, and gradient-free movers under momentum', () => {
    const { causes, counts } = classifyRows(step);
    expect([...causes]).toEqual([0, 1, 0, 1, 2]);
    expect(counts).toEqual({ lookup: 2, output: 2, momentum: 1, unchanged: 0 });
  });

  it('calls a row with no gradient and no movement unchanged', () => {
    const { counts } = classifyRows({
      lookupRows: ids(1),
      outputGradRowNorm: new Float32Array(3),
      updateRowNorm: Float32Array.of(0, 1, 0),
    });
    expect(counts).toEqual({ lookup: 1, output: 0, momentum: 0, unchanged: 2 });
  });
});

describe('accumulateRows', () => {
  it('adds one to the cause of every row and counts ids of the batch as frequency', () => {
    const once = accumulateRows(createRowStats(5), step);
    const twice = accumulateRows(once, step);
    expect(twice.steps).toBe(2);
    expect([...twice.byCause.lookup]).toEqual([2, 0, 2, 0, 0]);
    expect([...twice.byCause.momentum]).toEqual([0, 0, 0, 0, 2]);
    expect([...twice.frequency]).toEqual([6, 0, 4, 0, 0]);
    expect(twice.last?.counts.output).toBe(2);
    expect([...twice.lastUpdateNorm]).toEqual([...step.updateRowNorm]);
  });

  it('starts afresh when the vocabulary size changes', () => {
    const stats = accumulateRows(createRowStats(3), step);
    expect(stats.vocabSize).toBe(5);
    expect(stats.steps).toBe(1);
  });

  it('sums rows ever touched per cause and rows never seen in a batch', () => {
    const totals = rowTotals(accumulateRows(createRowStats(5), step));
    expect(totals.ever).toEqual({ lookup: 2, output: 2, momentum: 1, unchanged: 0 });
    expect(totals.neverSeen).toBe(3);
  });
});

describe('orderByFrequency', () => {
  it('sorts ids by descending frequency, ties by id', () => {
    expect([...orderByFrequency(Uint32Array.of(1, 5, 0, 5))]).toEqual([1, 3, 0, 2]);
  });
});

describe('smoothSeries', () => {
  it('starts at the first value (bias-corrected) and follows a constant exactly', () => {
    expect(smoothSeries([3, 3, 3], 0.9)).toEqual([3, 3, 3].map((x) => expect.closeTo(x, 12)));
  });

  it('lags behind a jump', () => {
    const s = smoothSeries([0, 0, 10], 0.5);
    expect(s[2]).toBeGreaterThan(0);
    expect(s[2]).toBeLessThan(10);
  });
});
