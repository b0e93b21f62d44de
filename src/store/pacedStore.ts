import type { LabState, LabStore } from './types';
import type { TrainingView } from './types';

/**
 * The fields of the training state that a step of Play changes, and nothing else does while it
 * plays. Every other change (a button, a setting, the view, a notice, Pause itself) is shown at once.
 */
const STEP_FIELDS: ReadonlySet<keyof TrainingView> = new Set<keyof TrainingView>([
  'snapshot',
  'lastReport',
  'history',
  'rows',
  'stepFacts',
  'runFacts',
  'frames',
  'comparison',
]);

/**
 * What a paced view shows when the store goes to `next` from the state the view shows: `next`
 * itself, unless the engine plays before and after and the training state changed in STEP_FIELDS
 * only. Then the view keeps its training state (one step, consistent across the view) and takes
 * the rest of `next` (an autosave, another view's state), and `stepsWait` says a step is pending.
 * The state is `shown` itself when nothing else changed.
 */
function pacedState(shown: LabState, next: LabState): { state: LabState; stepsWait: boolean } {
  const playing = (s: LabState) => s.training.snapshot?.playing ?? false;
  const now = { state: next, stepsWait: false };
  if (shown.training === next.training || !playing(shown) || !playing(next)) return now;
  for (const key of Object.keys(next.training) as (keyof TrainingView)[])
    if (!STEP_FIELDS.has(key) && !Object.is(shown.training[key], next.training[key])) return now;
  const others = (Object.keys(next) as (keyof LabState)[]).some(
    (key) => key !== 'training' && !Object.is(shown[key], next[key]),
  );
  return { state: others ? { ...next, training: shown.training } : shown, stepsWait: true };
}

export interface Pacing {
  /** The least time between two publishes of Play's steps, in milliseconds. */
  readonly intervalMs: number;
  readonly now: () => number;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
  readonly clearTimer: (timer: unknown) => void;
  /** Runs the publish in an animation frame, so that the commit and its drawing share one frame. */
  readonly requestFrame: (callback: () => void) => unknown;
  readonly cancelFrame: (frame: unknown) => void;
}

/**
 * A view of the lab's store whose state follows it, except that while Play runs its steps are
 * passed on at most once every `intervalMs` (in an animation frame), always with the latest step.
 * A change to the training state beyond a step's fields (Pause included) is passed on at once, with
 * the latest step; a change elsewhere in the store (an autosave) at once, without it. The store
 * itself, and every reader outside this view (window.bertLab, the autosave, the Embedding sum
 * view), still sees each step as it arrives.
 *
 * Why: Play asks for up to 60 steps a second, and each step of the default model costs the page
 * tens of milliseconds of React commits, chart draws, layout and paint (README, bench:play). The
 * eye does not need more than a few of them a second; the engine keeps its pace either way.
 *
 * It follows the store only while someone listens, so a view that unmounts leaves no listener.
 */
export function createPacedStore(source: LabStore, pacing: Pacing): LabStore {
  const listeners = new Set<(state: LabState, previous: LabState) => void>();
  let shown = source.getState();
  let lastPublishAt = -Infinity;
  let timer: unknown = null;
  let frame: unknown = null;
  let unsubscribe: (() => void) | null = null;

  const cancelPending = () => {
    if (timer !== null) pacing.clearTimer(timer);
    if (frame !== null) pacing.cancelFrame(frame);
    timer = null;
    frame = null;
  };
  const show = (state: LabState) => {
    const previous = shown;
    shown = state;
    if (shown !== previous) for (const listener of listeners) listener(shown, previous);
  };
  const publish = () => {
    cancelPending();
    lastPublishAt = pacing.now();
    show(source.getState());
  };
  const inFrame = () => {
    timer = null;
    frame = pacing.requestFrame(() => {
      frame = null;
      publish();
    });
  };
  const onChange = (next: LabState) => {
    const { state, stepsWait } = pacedState(shown, next);
    if (!stepsWait) return publish();
    show(state);
    if (timer !== null || frame !== null) return;
    timer = pacing.setTimer(inFrame, Math.max(0, lastPublishAt + pacing.intervalMs - pacing.now()));
  };

  const api: LabStore = {
    getState: () => (unsubscribe === null ? source.getState() : shown),
    getInitialState: () => source.getInitialState(),
    setState: source.setState,
    subscribe(listener) {
      if (unsubscribe === null) {
        shown = source.getState();
        unsubscribe = source.subscribe(onChange);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || unsubscribe === null) return;
        unsubscribe();
        unsubscribe = null;
        cancelPending();
      };
    },
  };
  return api;
}

/** The browser's clock, timers and animation frames. */
export const browserPacing = (intervalMs: number): Pacing => ({
  intervalMs,
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  requestFrame: (callback) => requestAnimationFrame(callback),
  cancelFrame: (frame) => cancelAnimationFrame(frame as number),
});
