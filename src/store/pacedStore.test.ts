import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineSnapshot } from '../engine/trainProtocol';
import { createLabStore } from './labStore';
import type { LabState, LabStore } from './types';
import { createPacedStore, type Pacing } from './pacedStore';

const INTERVAL_MS = 200;
const FRAME_MS = 16;

/** Fake timers stand in for the clock, the timers and the animation frames. */
const fakePacing: Pacing = {
  intervalMs: INTERVAL_MS,
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  requestFrame: (callback) => setTimeout(callback, FRAME_MS),
  cancelFrame: (frame) => clearTimeout(frame as ReturnType<typeof setTimeout>),
};

/** The engine's state after `step`, as its snapshot push leaves it in the store. */
function engineAt(store: LabStore, step: number, playing: boolean): void {
  const training = store.getState().training;
  const snapshot = { ...training.snapshot, step, playing } as EngineSnapshot;
  store.setState({ training: { ...training, snapshot } });
}

/** A paced view with one listener, and the steps it has shown so far. */
function watch(store: LabStore) {
  const paced = createPacedStore(store, fakePacing);
  const shown: number[] = [];
  const stepOf = (s: LabState) => s.training.snapshot?.step ?? 0;
  const stop = paced.subscribe((s, previous) => {
    if (stepOf(s) !== stepOf(previous)) shown.push(stepOf(s));
  });
  return { paced, shown, stop, step: () => stepOf(paced.getState()) };
}

/** A store playing whose paced view shows step 1 (drawn in a frame) while the engine is at step 2. */
function showingOneStepBehind() {
  const store = createLabStore();
  engineAt(store, 0, true);
  const view = watch(store);
  engineAt(store, 1, true);
  vi.advanceTimersByTime(FRAME_MS);
  engineAt(store, 2, true);
  return { store, view };
}

describe('paced store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows every step at once when the engine is not playing', () => {
    const store = createLabStore();
    const view = watch(store);
    engineAt(store, 1, false);
    engineAt(store, 2, false);
    expect(view.shown).toEqual([1, 2]);
  });

  it('while playing, shows steps at most once an interval, in a frame, always the latest', () => {
    const store = createLabStore();
    engineAt(store, 0, true);
    const view = watch(store);
    const publishedAt: number[] = [];
    view.paced.subscribe(() => publishedAt.push(Date.now()));
    const start = Date.now();
    engineAt(store, 1, true);
    // The first step after a quiet spell waits only for a frame.
    vi.advanceTimersByTime(FRAME_MS);
    expect(view.shown).toEqual([1]);
    // A step every 50 ms for two seconds: 20 steps a second.
    for (let step = 2; step <= 41; step++) {
      engineAt(store, step, true);
      vi.advanceTimersByTime(50);
      // Whatever it shows is a step the store had, never one from the future.
      expect(view.step()).toBeLessThanOrEqual(step);
    }
    vi.advanceTimersByTime(INTERVAL_MS + FRAME_MS);
    // It ends on the latest step, and shows about one step in four, not all 41.
    expect(view.shown.at(-1)).toBe(41);
    expect(view.shown.length).toBeLessThanOrEqual(1 + Math.ceil(2000 / INTERVAL_MS));
    expect(view.shown.length).toBeGreaterThanOrEqual(2000 / (INTERVAL_MS + FRAME_MS));
    const gaps = publishedAt.slice(1).map((t, i) => t - publishedAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS);
    expect(publishedAt[0]).toBe(start + FRAME_MS);
    // The store itself saw every step as it came.
    expect(store.getState().training.snapshot?.step).toBe(41);
  });

  it('shows the latest step at once when the engine pauses', () => {
    const { store, view } = showingOneStepBehind();
    engineAt(store, 3, true);
    expect(view.step()).toBe(1);
    engineAt(store, 3, false);
    expect(view.step()).toBe(3);
    expect(view.paced.getState().training.snapshot?.playing).toBe(false);
    // Nothing is left pending to show an older state later.
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    expect(view.shown).toEqual([1, 3]);
  });

  it('shows a change outside the training state at once, keeping the step it shows', () => {
    const { store, view } = showingOneStepBehind();
    store.setState({ view: 'sum' });
    expect(view.paced.getState().view).toBe('sum');
    expect(view.step()).toBe(1);
    vi.advanceTimersByTime(INTERVAL_MS + FRAME_MS);
    expect(view.step()).toBe(2);
  });

  it('shows a change to the training state beyond a step at once, with the latest step', () => {
    const { store, view } = showingOneStepBehind();
    const training = store.getState().training;
    store.setState({ training: { ...training, error: 'The engine stopped.' } });
    expect(view.paced.getState().training.error).toBe('The engine stopped.');
    expect(view.step()).toBe(2);
  });

  it('stops following the store when its last listener leaves', () => {
    const store = createLabStore();
    engineAt(store, 0, true);
    const view = watch(store);
    engineAt(store, 1, true);
    view.stop();
    expect(vi.getTimerCount()).toBe(0);
    engineAt(store, 2, true);
    expect(vi.getTimerCount()).toBe(0);
    // Read without a listener, it is the store itself.
    expect(view.step()).toBe(2);
  });
});
