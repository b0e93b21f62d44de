import { describe, expect, it } from 'vitest';
import {
  accumulateRows,
  causeOf,
  classifyRows,
  gradientRows,
  movedRows,
  reclassifyLegacy,
  createRowStats,
  orderByFrequency,
  rowTotals,
  smoothSeries,
  CAUSE_INDEX,
} from './rowCauses';

/**
 * Six rows: 0 is [PAD] (looked up, zero lookup gradient, moved on its tied output gradient); 1
 * moved on an output gradient only, 3 had one and did not move; 2 moved through the lookup; 4 moved
 * with no gradient; 5 has no gradient and did not move.
 */
const step = {
  lookupGradRowNorm: Float32Array.of(0, 0, 0.9, 0, 0, 0),
  outputGradRowNorm: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0, 0),
  updateRowNorm: Float32Array.of(0.05, 0.5, 0.6, 0, 0.8, 0),
  batch: { inputIds: Int32Array.of(2, 2, 0, 0, 0) },
};
const { lookup, output, momentum, unchanged, stalled } = CAUSE_INDEX;

describe('classifyRows', () => {
  it('classes a row by whether it moved and which path gave it a gradient', () => {
    const { causes, counts } = classifyRows(step);
    expect([...causes]).toEqual([output, output, lookup, stalled, momentum, unchanged]);
    expect(counts).toEqual({ lookup: 1, output: 2, momentum: 1, unchanged: 1, stalled: 1 });
    expect(movedRows(counts)).toBe(4);
  });

  it('classes [PAD], looked up with a zero lookup gradient, by its output gradient, not as lookup', () => {
    expect(classifyRows(step).causes[0]).toBe(output);
    const untied = { ...step, outputGradRowNorm: new Float32Array(6), updateRowNorm: new Float32Array(6) };
    expect(classifyRows(untied).causes[0]).toBe(unchanged);
  });

  it('at a learning rate of 0 calls every row with a gradient stalled and none moved', () => {
    const { counts } = classifyRows({ ...step, updateRowNorm: new Float32Array(6) });
    expect(movedRows(counts)).toBe(0);
    expect(counts).toEqual({ lookup: 0, output: 0, momentum: 0, unchanged: 2, stalled: 4 });
  });

  it('calls a moved row with both gradients lookup, a gradient without a move stalled, NaN norms zero', () => {
    expect(causeOf(1, 1, 1)).toBe(lookup);
    expect(causeOf(1, 0, 0)).toBe(stalled);
    expect(causeOf(0, 0, 0)).toBe(unchanged);
    expect(causeOf(NaN, NaN, NaN)).toBe(unchanged);
  });
});

describe('gradientRows', () => {
  it('counts rows with a lookup gradient and rows whose only gradient came through the output', () => {
    expect(gradientRows(step)).toEqual({ lookup: 1, outputOnly: 3 });
  });
});

describe('reclassifyLegacy', () => {
  it('turns old lookup and output rows that did not move into stalled and keeps the rest', () => {
    const old = Uint8Array.of(0, 0, 1, 1, 2, 3);
    const norm = Float32Array.of(0.1, 0, 0.1, 0, 0.1, 0);
    const { causes, counts } = reclassifyLegacy(old, norm);
    expect([...causes]).toEqual([lookup, stalled, output, stalled, momentum, unchanged]);
    expect(counts).toEqual({ lookup: 1, output: 1, momentum: 1, unchanged: 1, stalled: 2 });
  });
});

describe('accumulateRows', () => {
  it('adds one to the cause of every row and counts ids of the batch as frequency', () => {
    const once = accumulateRows(createRowStats(6), step);
    const twice = accumulateRows(once, step);
    expect(twice.steps).toBe(2);
    expect([...twice.byCause.lookup]).toEqual([0, 0, 2, 0, 0, 0]);
    expect([...twice.byCause.output]).toEqual([2, 2, 0, 0, 0, 0]);
    expect([...twice.byCause.stalled]).toEqual([0, 0, 0, 2, 0, 0]);
    expect([...twice.byCause.momentum]).toEqual([0, 0, 0, 0, 2, 0]);
    expect([...twice.frequency]).toEqual([6, 0, 4, 0, 0, 0]);
    expect(twice.last?.counts.output).toBe(2);
    expect([...twice.lastUpdateNorm]).toEqual([...step.updateRowNorm]);
  });

  it('starts afresh when the vocabulary size changes', () => {
    const stats = accumulateRows(createRowStats(3), step);
    expect(stats.vocabSize).toBe(6);
    expect(stats.steps).toBe(1);
  });

  it('sums rows ever touched per cause and rows never seen in a batch', () => {
    const totals = rowTotals(accumulateRows(createRowStats(6), step));
    expect(totals.ever).toEqual({ lookup: 1, output: 2, momentum: 1, unchanged: 1, stalled: 1 });
    expect(totals.neverSeen).toBe(4);
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
