import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepReport } from '../core/train';
import type { EngineSnapshot } from '../engine/trainProtocol';
import { createLabStore } from '../store/labStore';
import type { LabStore } from '../store/types';
import { createReporter, REPORT_INTERVAL_MS, stepOf, type LabReport } from './reports';

/** A step of training as the engine's report push leaves it in the store: the step and its loss. */
function land(store: LabStore, step: number, loss = 10 - step / 10): void {
  const training = store.getState().training;
  store.setState({
    training: {
      ...training,
      status: 'ready',
      snapshot: { ...training.snapshot, step, playing: true } as EngineSnapshot,
      lastReport: { step, loss: { mlm: loss - 0.5, nsp: 0.5, total: loss } } as StepReport,
    },
  });
}

function watch(store: LabStore) {
  const sent: LabReport[] = [];
  const reporter = createReporter(store, (report) => void sent.push(report));
  const steps = () => sent.flatMap((r) => (r.type === 'step' ? [r.payload] : []));
  const states = () => sent.flatMap((r) => (r.type === 'state' ? [r.payload] : []));
  return { sent, reporter, steps, states };
}

describe('createReporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says nothing before ready, then ready once with the view, the state and the version', () => {
    const store = createLabStore();
    const { sent, reporter } = watch(store);
    store.getState().setSentenceA('Before ready.');
    vi.advanceTimersByTime(REPORT_INTERVAL_MS * 2);
    expect(sent).toEqual([]);
    reporter.ready();
    reporter.ready();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'ready',
      payload: { version: 1, view: 'pack', state: { sentenceA: 'Before ready.', step: 0 } },
    });
    reporter.stop();
  });

  it('reports Play at most once per interval, always with the latest step and its loss', () => {
    const store = createLabStore();
    const { reporter, steps, states } = watch(store);
    reporter.ready();
    // 60 steps a second for one second: a step every 16.7 ms.
    for (let step = 1; step <= 60; step++) {
      land(store, step);
      vi.advanceTimersByTime(1000 / 60);
    }
    vi.advanceTimersByTime(REPORT_INTERVAL_MS);
    const reported = steps();
    expect(reported.length).toBeLessThanOrEqual(Math.ceil(1000 / REPORT_INTERVAL_MS) + 1);
    expect(reported.length).toBeGreaterThanOrEqual(4);
    expect(reported.at(-1)).toEqual({ step: 60, loss: 4 });
    // Each report is of the step the store was at then: increasing, never a step twice.
    const numbers = reported.map((s) => s.step);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(states().at(-1)).toMatchObject({ step: 60 });
    reporter.stop();
  });

  it('flush reports a change at once, and a change it reported is not reported again', () => {
    const store = createLabStore();
    const { sent, reporter, steps } = watch(store);
    reporter.ready();
    land(store, 3, 7.5);
    reporter.flush();
    expect(steps()).toEqual([{ step: 3, loss: 7.5 }]);
    const count = sent.length;
    vi.advanceTimersByTime(REPORT_INTERVAL_MS * 3);
    expect(sent).toHaveLength(count);
    reporter.stop();
  });

  it('a state change that is not a step sends state and no step', () => {
    const store = createLabStore();
    const { reporter, steps, states } = watch(store);
    reporter.ready();
    store.getState().setSentenceA('Changed.');
    vi.advanceTimersByTime(REPORT_INTERVAL_MS - 1);
    expect(states()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(states()).toEqual([expect.objectContaining({ sentenceA: 'Changed.' })]);
    expect(steps()).toEqual([]);
    reporter.stop();
  });

  it('sends nothing after stop', () => {
    const store = createLabStore();
    const { sent, reporter } = watch(store);
    reporter.ready();
    land(store, 1);
    reporter.stop();
    vi.advanceTimersByTime(REPORT_INTERVAL_MS * 2);
    reporter.flush();
    expect(sent.map((r) => r.type)).toEqual(['ready']);
  });
});

describe('stepOf', () => {
  it('gives the loss only when the last report is of the step shown, and finite', () => {
    const store = createLabStore();
    expect(stepOf(store.getState())).toEqual({ step: 0, loss: null });
    land(store, 5, 3.25);
    expect(stepOf(store.getState())).toEqual({ step: 5, loss: 3.25 });
    const training = store.getState().training;
    store.setState({
      training: { ...training, snapshot: { ...training.snapshot, step: 6 } as EngineSnapshot },
    });
    expect(stepOf(store.getState())).toEqual({ step: 6, loss: null });
    land(store, 7, Number.NaN);
    expect(stepOf(store.getState())).toEqual({ step: 7, loss: null });
  });
});
