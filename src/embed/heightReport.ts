/**
 * When an embedded view tells its host its height: a host page fits the iframe to these reports,
 * so every report the reader can see moves the course page below the frame.
 *
 * - Nothing is reported until the view has its content (see EMBED_CONTENT): a loading placeholder
 *   is a few lines tall, and a frame fitted to it collapses and then jumps. Until then the frame
 *   keeps the height the page gave it (the snippet's).
 * - Heights are measured with forced layout (getBoundingClientRect) from timers and store events,
 *   not only from a ResizeObserver: Chromium stops rendering cross-origin frames that are off
 *   screen, and with it ResizeObserver and IntersectionObserver, but timers still run.
 * - While training starts or plays, a report may grow the frame but not shrink it: a step's
 *   shorter caption or a restart's empty charts would otherwise pull the host page up and push it
 *   back down a moment later. A shrink is sent once training is paused and the height has held
 *   for SETTLE_MS. Growth is paced too: the first panels of a run appear over its first few steps,
 *   and one report for them all moves the page once instead of once a step (GROW_PACE_MS).
 */
import type { LabState, LabView } from '../store/types';

/**
 * What "the view has its content" means, per view: its main element once its data is in, or its
 * error (an error is content too: the reader must see it, and the frame must fit it).
 */
const EMBED_CONTENT: Readonly<Record<LabView, string>> = {
  // The packed sequence (the vocabulary has loaded), or the vocabulary's error.
  pack: '[data-testid="pack.token"], [data-testid="vocab.error"], [data-testid="pack.packed-error"]',
  // The corpus panel's statistics: the corpus is in.
  vocab: '[data-testid="vocab.corpus"]',
  // The view is drawn; that the engine is up is checked from the store (trainContentReady).
  train: '[data-testid="train.view"]',
  // The sum of a real trace (data-step is set once the engine or the seed gave one), or its error;
  // and the engine up (trainContentReady): the seed's step 0 comes with a note that goes then.
  sum: '[data-testid="sum.view"][data-step], [data-testid="sum.error"]',
  // The four panels of rows, or the error.
  learned: '.learned-grid, [data-testid="learned.error"]',
  lesson: '.lesson-layout, [data-testid="lesson.unknown"]',
};

/**
 * The Training view is content once its engine is up (or says why not): before, it is half as tall.
 * The Embedding sum too: before, it shows the seed's step 0 with a note about the engine loading.
 */
function trainContentReady(state: LabState): boolean {
  return state.training.status === 'ready' || state.training.status === 'error';
}

/** Whether `root` shows `view` with its content, by the table above. */
export function hasEmbedContent(root: ParentNode, view: LabView, state: LabState): boolean {
  if (root.querySelector(EMBED_CONTENT[view]) === null) return false;
  return (view !== 'train' && view !== 'sum') || trainContentReady(state);
}

/** How long a smaller height must hold, training paused, before the frame is shrunk to it. */
export const SETTLE_MS = 500;
/**
 * While training starts or plays, a growth waits this long after the last report: at Play's
 * default 5 steps/s, at most one report per 10 steps.
 */
export const GROW_PACE_MS = 2000;
/** Store events and observer callbacks within this long share one measurement. */
export const COALESCE_MS = 50;
/**
 * A slow fallback poll: a web font or an image can change the layout with no store event, and an
 * off-screen cross-origin frame gets no ResizeObserver callback for it.
 */
export const POLL_MS = 1000;

export interface HeightReporterOptions {
  /** The embed's height now, in CSS pixels (forced layout). */
  readonly measure: () => number;
  readonly hasContent: () => boolean;
  readonly busy: () => boolean;
  /** Posts a height; `again` is true when it repeats the last one (the frame became visible). */
  readonly send: (height: number, again: boolean) => void;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
}

export interface HeightReporter {
  /** Measures soon (coalesced): something may have changed the layout. */
  schedule(): void;
  /** Sends the last height again, unchanged: the frame was hidden or off screen and is back. */
  again(): void;
  /** The height last sent; null before the first report. */
  reported(): number | null;
  stop(): void;
}

/** The reporting policy above, with the page's timers and observers left to the caller. */
export function createHeightReporter(options: HeightReporterOptions): HeightReporter {
  const set = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
  const clear =
    options.clearTimeout ??
    ((handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>));
  let reported: number | null = null;
  let pending: unknown = null;
  let shrink: { height: number; handle: unknown } | null = null;
  /** Set for GROW_PACE_MS after a report made while training was busy. */
  let pacing: unknown = null;
  let stopped = false;

  const cancelShrink = () => {
    if (shrink) clear(shrink.handle);
    shrink = null;
  };
  const send = (height: number) => {
    cancelShrink();
    reported = height;
    options.send(height, false);
    if (!options.busy()) return;
    if (pacing !== null) clear(pacing);
    pacing = set(() => {
      pacing = null;
      schedule();
    }, GROW_PACE_MS);
  };

  const check = () => {
    pending = null;
    if (stopped || !options.hasContent()) return;
    const height = Math.ceil(options.measure());
    if (reported === null) return send(height);
    // The pacing timer measures again when it ends, and sends the height then.
    if (height > reported) return pacing !== null && options.busy() ? cancelShrink() : send(height);
    if (height === reported) return cancelShrink();
    // Smaller: wait until training is paused and the height has held (a new measurement may differ).
    if (options.busy()) return cancelShrink();
    if (shrink?.height === height) return;
    cancelShrink();
    shrink = {
      height,
      handle: set(() => {
        shrink = null;
        if (stopped || options.busy() || !options.hasContent()) return;
        const now = Math.ceil(options.measure());
        if (now === height) send(height);
        else schedule();
      }, SETTLE_MS),
    };
  };
  const schedule = () => {
    if (stopped || pending !== null) return;
    pending = set(check, COALESCE_MS);
  };
  let poll: unknown = null;
  const tick = () => {
    schedule();
    poll = set(tick, POLL_MS);
  };
  tick();

  return {
    schedule,
    again() {
      if (!stopped && reported !== null) options.send(reported, true);
      schedule();
    },
    reported: () => reported,
    stop() {
      stopped = true;
      cancelShrink();
      if (pending !== null) clear(pending);
      if (pacing !== null) clear(pacing);
      if (poll !== null) clear(poll);
    },
  };
}
