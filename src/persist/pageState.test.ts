import { describe, expect, it } from 'vitest';
import type { TokenId } from '../core/tokenizer';
import { accumulateRows, createRowStats, ROW_CAUSES, type RowFrame, type StepReport } from '../core/train';
import { padBatch } from '../core/train/pretraining-data';
import type { TypedArray } from './format';
import {
  decodePageState,
  encodePageState,
  FRAME_BYTES_BUDGET,
  framesKept,
  type SavedPageState,
} from './pageState';

/** Six rows of one step, as in rowCauses.test: [PAD] moved on its output gradient, row 3 stalled. */
const step = {
  lookupGradRowNorm: Float32Array.of(0, 0, 0.9, 0, 0, 0),
  outputGradRowNorm: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0, 0),
  updateRowNorm: Float32Array.of(0.05, 0.5, 0.6, 0, 0.8, 0),
  batch: { inputIds: Int32Array.of(2, 2, 0, 0, 0) },
};
const V = 6;

function savedState(): SavedPageState {
  const rows = accumulateRows(createRowStats(V), step);
  const frame: RowFrame = {
    step: 1,
    causes: rows.last!.causes.slice(),
    updateNorm: step.updateRowNorm,
    counts: rows.last!.counts,
  };
  return { history: [], rows, frames: [frame], lastReport: null, comparison: null };
}

function roundTrip(json: unknown, arrays: { name: string; values: TypedArray }[]) {
  const decoded = JSON.parse(JSON.stringify(json)) as unknown;
  return decodePageState(decoded, new Map(arrays.map((a) => [a.name, a.values])), V);
}

describe('the saved page state', () => {
  it('gives back the row classification of every frame and the counters, the stalled cause included', () => {
    const state = savedState();
    const { json, arrays } = encodePageState(state);
    const back = roundTrip(json, arrays);
    expect(back.frames[0]!.causes).toEqual(state.frames[0]!.causes);
    expect(back.frames[0]!.counts).toEqual(state.frames[0]!.counts);
    expect(back.rows!.byCause.stalled).toEqual(state.rows!.byCause.stalled);
    expect(back.rows!.last).toEqual(state.rows!.last);
  });

  it('reads a file saved before the stalled cause: rows that had a gradient and did not move become stalled', () => {
    const { json, arrays } = encodePageState(savedState());
    // What the old classification (lookup membership first, ‖Δrow‖ not read) saved for this step:
    // [PAD] and row 2 looked up, rows 1 and 3 output, row 4 momentum, row 5 unchanged.
    const oldCauses = Uint8Array.of(0, 1, 0, 1, 2, 3);
    const oldCounts = { lookup: 2, output: 2, momentum: 1, unchanged: 1 };
    const old = json as Record<string, unknown> & { frames: { counts: unknown }[]; rows: object };
    delete old.rowCauses;
    old.frames = [{ ...old.frames[0]!, counts: oldCounts }];
    old.rows = { ...old.rows, lastCounts: oldCounts };
    const oldArrays = arrays
      .filter((a) => a.name !== 'page/rows/stalled')
      .map((a) => (a.name.endsWith('causes') || a.name.endsWith('Causes') ? { ...a, values: oldCauses } : a));
    const back = roundTrip(old, oldArrays);
    const { lookup, output, momentum, unchanged, stalled } = Object.fromEntries(
      ROW_CAUSES.map((c, i) => [c, i]),
    );
    // Row 3 had an output gradient and did not move: stalled. [PAD] moved, so it stays 'lookup',
    // the one row an old file cannot settle (its true cause, 'output', was not saved).
    expect([...back.frames[0]!.causes]).toEqual([lookup, output, lookup, stalled, momentum, unchanged]);
    expect(back.frames[0]!.counts).toEqual({ lookup: 2, output: 1, momentum: 1, unchanged: 1, stalled: 1 });
    expect(back.rows!.last!.counts).toEqual(back.frames[0]!.counts);
    expect([...back.rows!.byCause.stalled]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a saved cause index this version does not know', () => {
    const { json, arrays } = encodePageState(savedState());
    const bad = arrays.map((a) =>
      a.name === 'page/frames/0/causes' ? { ...a, values: Uint8Array.of(9, 0, 0, 0, 0, 0) } : a,
    );
    expect(() => roundTrip(json, bad)).toThrow(/unknown row cause/);
  });
});

describe('the frames a save keeps', () => {
  const frames = (V: number, count: number): RowFrame[] =>
    Array.from({ length: count }, (_, i) => ({
      step: i + 1,
      causes: new Uint8Array(V),
      updateNorm: new Float32Array(V),
      counts: { lookup: 0, output: 0, momentum: 0, stalled: 0, unchanged: V },
    }));

  it('are the latest that fit the budget: 26 of 200 for 30,522 rows, all 200 for 1,000', () => {
    const big = framesKept(frames(30_522, 200));
    expect(big.length).toBe(Math.floor(FRAME_BYTES_BUDGET / (30_522 * 5)));
    expect(big.at(-1)!.step).toBe(200);
    expect(big[0]!.step).toBe(200 - big.length + 1);
    expect(framesKept(frames(1_000, 200))).toHaveLength(200);
  });

  it('are what the encoder writes, so the page can send only those', () => {
    const state = frames(30_522, 60);
    const { arrays } = encodePageState({
      history: [],
      rows: null,
      frames: state,
      lastReport: null,
      comparison: null,
    });
    const written = arrays.filter((a) => a.name.endsWith('/causes')).length;
    expect(written).toBe(framesKept(state).length);
  });
});

describe('the saved last report', () => {
  /** A report of one step on the six rows above: one sequence [CLS] 2 [SEP] with slot 1 masked. */
  function report(): StepReport {
    const batch = padBatch(
      [
        {
          inputIds: [4, 2, 5],
          tokenTypeIds: [0, 0, 0],
          maskedPositions: [1],
          maskedLabels: [2],
          maskedOutcomes: ['mask'],
          isNext: true,
        },
      ],
      3,
      0,
    );
    return {
      step: 1,
      nonFinite: false,
      loss: { mlm: 2, nsp: 0.7, total: 2.7 },
      mlmAccuracy: 0,
      mlmPredictions: Int32Array.of(3),
      nspPredictions: Int32Array.of(1),
      nspAccuracy: 1,
      learningRate: 1e-3,
      gradNorm: 0.5,
      clipScale: 1,
      lookupRows: [2, 4, 5] as TokenId[],
      outputGradRowNorm: step.outputGradRowNorm,
      lookupGradRowNorm: step.lookupGradRowNorm,
      updateRowNorm: step.updateRowNorm,
      centredUpdateRowNorm: Float32Array.of(0.04, 0.3, 0.4, 0.1, 0.6, 0.1),
      movedWithoutGradient: [4] as TokenId[],
      positionGradRowNorm: new Float32Array(3),
      positionUpdateRowNorm: new Float32Array(3),
      segmentGradRowNorm: new Float32Array(2),
      segmentUpdateRowNorm: new Float32Array(2),
      ms: { forwardBackward: 1, optimizer: 1, report: 1 },
      batch,
    };
  }
  const saved = (lastReport: StepReport): SavedPageState => ({ ...savedState(), lastReport });

  it('keeps the centred change of every row', () => {
    const { json, arrays } = encodePageState(saved(report()));
    const back = roundTrip(json, arrays).lastReport!;
    expect([...back.centredUpdateRowNorm!]).toEqual([...report().centredUpdateRowNorm!]);
    expect([...back.updateRowNorm]).toEqual([...step.updateRowNorm]);
  });

  it('reads a file saved before the centred change was measured as not measured, not as zeros', () => {
    const { json, arrays } = encodePageState(saved(report()));
    const old = arrays.filter((a) => a.name !== 'page/report/centredUpdateRowNorm');
    expect(old.length).toBe(arrays.length - 1);
    const back = roundTrip(json, old).lastReport!;
    expect(back.centredUpdateRowNorm).toBeNull();
    expect(back.step).toBe(1);
  });
});
