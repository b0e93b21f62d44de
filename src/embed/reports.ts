/**
 * What an embedded lab tells its host as it goes: `ready` once, then `state` and `step` whenever
 * they change, throttled while training plays. The iframe posts these to its parent window
 * (hostApi.ts, connectHost); the web component dispatches them as DOM events on itself
 * (element.tsx). Both get them from one reporter, so the two APIs say the same things at the same
 * moments.
 */
import { shareStateOf, type ShareState } from '../store/share/state';
import type { LabState, LabStore, LabView } from '../store/types';

/** The postMessage API's version, in `ready` (and the element's `lab-ready`). */
const API_VERSION = 1;

/**
 * How often `state` and `step` may be reported while training plays: at most one of each per
 * interval, always the latest. The host gets the news, not every frame.
 */
export const REPORT_INTERVAL_MS = 200;

export interface ReadyPayload {
  readonly version: number;
  readonly view: LabView;
  readonly state: ShareState;
}

/** The step the model is at and its loss there (MLM + NSP); null before the first step, or when it was not finite. */
export interface StepPayload {
  readonly step: number;
  readonly loss: number | null;
}

export type LabReport =
  | { readonly type: 'ready'; readonly payload: ReadyPayload }
  | { readonly type: 'state'; readonly payload: ShareState }
  | { readonly type: 'step'; readonly payload: StepPayload };

export interface Reporter {
  /** Reports `ready` with the view and state (once); `state` and `step` follow from then on. */
  ready(): void;
  /** Reports a pending change now instead of at the end of the interval (after a host's command). */
  flush(): void;
  stop(): void;
}

/** The step and loss a state shows: the loss is the last report's, if it is of this very step. */
export function stepOf(state: LabState): StepPayload {
  const step = state.training.snapshot?.step ?? 0;
  const report = state.training.lastReport;
  const loss =
    report && report.step === step && Number.isFinite(report.loss.total) ? report.loss.total : null;
  return { step, loss };
}

/**
 * Watches `store` and hands each report to `send`. After `ready`, a change to the shared state
 * or to the step is reported at the end of a REPORT_INTERVAL_MS window that the change opens (or
 * at `flush`), with the values as they are then: a burst of steps during Play becomes one `state`
 * and one `step` per window, and the last step of a run is never lost.
 */
export function createReporter(store: LabStore, send: (report: LabReport) => void): Reporter {
  let readySent = false;
  let stopped = false;
  let lastState = '';
  let lastStep: StepPayload = { step: -1, loss: null };
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!readySent || stopped) return;
    const now = store.getState();
    const state = shareStateOf(now);
    const json = JSON.stringify(state);
    if (json !== lastState) {
      lastState = json;
      send({ type: 'state', payload: state });
    }
    const step = stepOf(now);
    if (step.step !== lastStep.step || step.loss !== lastStep.loss) {
      lastStep = step;
      send({ type: 'step', payload: step });
    }
  };
  const unsubscribe = store.subscribe(() => {
    if (readySent && !stopped) timer ??= setTimeout(flush, REPORT_INTERVAL_MS);
  });

  return {
    ready() {
      if (readySent || stopped) return;
      readySent = true;
      const now = store.getState();
      const state = shareStateOf(now);
      lastState = JSON.stringify(state);
      // `ready` carries the step (state.step); `step` reports start from the next change.
      lastStep = stepOf(now);
      send({ type: 'ready', payload: { version: API_VERSION, view: now.view, state } });
    },
    flush,
    stop() {
      stopped = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
