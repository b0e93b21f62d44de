import { describe, expect, it } from 'vitest';
import type { StepReport } from '../../core/train/pure';
import type { EngineSnapshot } from '../../engine/trainProtocol';
import type { TrainingView } from '../types';
import { FRAME_LIMIT, patchFor } from './trainingEngine';

/** A report on a 4-row vocabulary, with only the fields the reduction reads filled in. */
const report = (step: number, update: number[]) =>
  ({
    step,
    loss: { mlm: 2, nsp: 0.7, total: 2.7 },
    mlmAccuracy: 0.1,
    nspAccuracy: 0.5,
    learningRate: 1e-3,
    ms: { forwardBackward: 10, optimizer: 2, report: 1 },
    lookupGradRowNorm: Float32Array.from([1, 0, 0, 0]),
    outputGradRowNorm: Float32Array.from([0, 1, 1, 0]),
    updateRowNorm: Float32Array.from(update),
    batch: { inputIds: Int32Array.from([0]) },
  }) as unknown as StepReport;

const snapshot = { step: 1 } as EngineSnapshot;

const fresh = (): TrainingView =>
  ({
    history: [],
    frames: [],
    rows: null,
    notices: [],
    prediction: { on: false, rows: new Set(), reveal: null },
  }) as unknown as TrainingView;

describe('patchFor: what one push from the engine changes', () => {
  it('a report adds its loss point, counts its rows and keeps its frame', () => {
    const patch = patchFor(fresh(), {
      type: 'report',
      report: report(1, [1, 1, 0, 0]),
      comparison: null,
      snapshot,
    });
    expect(patch.history).toEqual([
      {
        step: 1,
        mlm: 2,
        nsp: 0.7,
        total: 2.7,
        mlmAccuracy: 0.1,
        nspAccuracy: 0.5,
        learningRate: 1e-3,
        ms: 13,
      },
    ]);
    expect(patch.rows?.steps).toBe(1);
    expect(patch.stepFacts).toMatchObject({ step: 1, moved: 2 });
    expect(patch.frames?.map((f) => f.step)).toEqual([1]);
    expect(patch.snapshot).toBe(snapshot);
  });

  it(`keeps the last ${FRAME_LIMIT} frames`, () => {
    let view = fresh();
    for (let step = 1; step <= FRAME_LIMIT + 3; step++)
      view = {
        ...view,
        ...patchFor(view, { type: 'report', report: report(step, [1, 0, 0, 0]), comparison: null, snapshot }),
      };
    expect(view.frames).toHaveLength(FRAME_LIMIT);
    expect(view.frames[0]!.step).toBe(4);
    expect(view.rows?.steps).toBe(FRAME_LIMIT + 3);
  });

  it('the step after a prediction reveals it; the next one leaves the reveal alone', () => {
    const view = { ...fresh(), prediction: { on: true, rows: new Set([0, 3]), reveal: null } };
    const first = patchFor(view, {
      type: 'report',
      report: report(7, [1, 1, 0, 0]),
      comparison: null,
      snapshot,
    });
    expect(first.prediction?.reveal).toEqual({ step: 7, hits: 1, misses: 1, surprises: 1 });
    const next = patchFor(
      { ...view, ...first },
      { type: 'report', report: report(8, [0, 0, 0, 1]), comparison: null, snapshot },
    );
    expect(next.prediction?.reveal?.step).toBe(7);
  });

  it('keeps the last five notices, and passes snapshots and phases through', () => {
    let view = fresh();
    for (let i = 1; i <= 7; i++)
      view = { ...view, ...patchFor(view, { type: 'notice', level: 'info', message: `n${i}` }) };
    expect(view.notices).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
    expect(patchFor(view, { type: 'snapshot', snapshot })).toEqual({ snapshot });
    expect(patchFor(view, { type: 'phase', phase: null })).toEqual({ phase: null });
  });
});
