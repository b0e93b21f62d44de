/**
 * The postMessage API between an embedded lab (an iframe) and its host page.
 *
 * In (host → lab): `setState`, `step`, `play`, `pause`, `setTheme`. Out (lab → host): `ready`,
 * `state`, `step` (reports.ts, shared with the web component's events), `height`, `rejected`.
 * Every incoming message is checked against the schema below (its type, the shape of its payload,
 * every bound), when the embed URL names `origins` against that allow-list, and when it runs
 * against the view on show (a view that does not train refuses training). A message that fails is
 * ignored, counted, logged and answered with `rejected`; nothing in a message is ever evaluated or
 * parsed as markup.
 */
import type { LabStore, ThemeChoice } from '../store/types';
import { applyShareState, validateShareState, type ShareState } from '../store/share/state';
import { until } from '../store/until';
import { THEME_CHOICES } from './embedParams';
import { HostMessageRefused, refusalFor } from './refusals';
import { createReporter, type LabReport } from './reports';

/** Every message the lab sends carries this, so a host can tell the lab's messages from others. */
export const LAB_MESSAGE_SOURCE = 'bert-embedding-lab';

/** One message trains at most this many steps; a host that wants more sends more, or `play`. */
export const MAX_STEPS_PER_MESSAGE = 1000;
/** The range of the Training view's own steps/s box. */
const PLAY_RATE = { min: 0.1, max: 60, default: 5 } as const;
/** A setState payload has at most one key per shared field; this bounds the work before checking. */
const MAX_STATE_KEYS = 32;

export type HostMessage =
  | { readonly type: 'setState'; readonly payload: Partial<ShareState> }
  | { readonly type: 'step'; readonly payload: { readonly steps: number } }
  | { readonly type: 'play'; readonly payload: { readonly stepsPerSecond: number } }
  | { readonly type: 'pause' }
  | { readonly type: 'setTheme'; readonly payload: { readonly theme: ThemeChoice } };

export type LabMessage =
  | (LabReport & { readonly source: typeof LAB_MESSAGE_SOURCE })
  | {
      readonly source: typeof LAB_MESSAGE_SOURCE;
      readonly type: 'height';
      readonly payload: { readonly height: number };
    }
  | {
      readonly source: typeof LAB_MESSAGE_SOURCE;
      readonly type: 'rejected';
      /** Why, in words, and the refused message's `type` when it had a string one. */
      readonly payload: { readonly reason: string; readonly type: string | null };
    };

export type Parsed =
  { readonly ok: true; readonly message: HostMessage } | { readonly ok: false; readonly reason: string };

/** Structured clone can carry Maps, Dates, typed arrays and class instances: only plain objects pass. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const refuse = (reason: string): Parsed => ({ ok: false, reason });

/** The payload's own keys must all be in `allowed`. */
function extraKey(payload: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(payload).find((k) => !allowed.includes(k));
}

/** A number field of a payload, which may be absent (then `fallback`). */
function boundedNumber(
  payload: unknown,
  key: string,
  bounds: { min: number; max: number; integer: boolean },
  fallback: number,
): { ok: true; value: number } | { ok: false; reason: string } {
  if (payload === undefined) return { ok: true, value: fallback };
  if (!isPlainObject(payload)) return { ok: false, reason: 'payload is not an object' };
  const extra = extraKey(payload, [key]);
  if (extra !== undefined)
    return { ok: false, reason: `payload has an unknown field "${extra.slice(0, 40)}"` };
  const value = payload[key];
  if (value === undefined) return { ok: true, value: fallback };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, reason: `payload.${key} is not a finite number` };
  if (bounds.integer && !Number.isInteger(value))
    return { ok: false, reason: `payload.${key} is not a whole number` };
  if (value < bounds.min || value > bounds.max)
    return { ok: false, reason: `payload.${key} is outside ${bounds.min}..${bounds.max}` };
  return { ok: true, value };
}

/** Checks one incoming message against the schema; never throws. */
export function parseHostMessage(data: unknown): Parsed {
  if (!isPlainObject(data)) return refuse('the message is not an object');
  const extra = extraKey(data, ['type', 'payload']);
  if (extra !== undefined) return refuse(`the message has an unknown field "${extra.slice(0, 40)}"`);
  const { type, payload } = data;
  switch (type) {
    case 'setState': {
      if (!isPlainObject(payload)) return refuse('setState needs a payload object');
      const keys = Object.keys(payload).length;
      if (keys === 0) return refuse('setState has an empty payload');
      if (keys > MAX_STATE_KEYS) return refuse('setState has too many fields');
      // All or nothing: a payload with any field refused, clamped or unknown is not half-applied.
      const { state, notices } = validateShareState(payload);
      if (notices.length > 0) return refuse(`setState refused, nothing applied: ${notices[0]}`);
      return { ok: true, message: { type, payload: state } };
    }
    case 'step': {
      const steps = boundedNumber(payload, 'steps', { min: 1, max: MAX_STEPS_PER_MESSAGE, integer: true }, 1);
      return steps.ok
        ? { ok: true, message: { type, payload: { steps: steps.value } } }
        : refuse(`step: ${steps.reason}`);
    }
    case 'play': {
      const rate = boundedNumber(
        payload,
        'stepsPerSecond',
        { min: PLAY_RATE.min, max: PLAY_RATE.max, integer: false },
        PLAY_RATE.default,
      );
      return rate.ok
        ? { ok: true, message: { type, payload: { stepsPerSecond: rate.value } } }
        : refuse(`play: ${rate.reason}`);
    }
    case 'pause':
      if (payload !== undefined && !(isPlainObject(payload) && Object.keys(payload).length === 0))
        return refuse('pause takes no payload');
      return { ok: true, message: { type } };
    case 'setTheme': {
      if (!isPlainObject(payload)) return refuse('setTheme needs a payload { theme }');
      const extra = extraKey(payload, ['theme']);
      if (extra !== undefined)
        return refuse(`setTheme: payload has an unknown field "${extra.slice(0, 40)}"`);
      const theme = THEME_CHOICES.find((t) => t === payload.theme);
      return theme
        ? { ok: true, message: { type, payload: { theme } } }
        : refuse('setTheme: payload.theme is not "light", "dark" or "auto"');
    }
    default:
      return refuse(
        typeof type === 'string'
          ? `unknown message type "${type.slice(0, 40)}"`
          : 'the message has no type (setState, step, play, pause or setTheme)',
      );
  }
}

export interface MessageCounts {
  readonly accepted: number;
  readonly rejected: number;
  /** Why the last message was rejected, in words; null until one is. */
  readonly lastRejection: string | null;
}

/** The allow-list and the schema together, with the counts a test or a curious teacher can read. */
export function createMessageGate(origins: readonly string[] | null) {
  let counts: MessageCounts = { accepted: 0, rejected: 0, lastRejection: null };
  return {
    accept(event: { readonly origin: string; readonly data: unknown }): HostMessage | null {
      const parsed: Parsed =
        origins !== null && !origins.includes(event.origin)
          ? refuse(`messages from ${event.origin.slice(0, 200)} are not allowed (origins=)`)
          : parseHostMessage(event.data);
      if (parsed.ok) {
        counts = { ...counts, accepted: counts.accepted + 1 };
        return parsed.message;
      }
      counts = { accepted: counts.accepted, rejected: counts.rejected + 1, lastRejection: parsed.reason };
      return null;
    },
    /** A message that passed the schema but was refused when it ran (its view cannot do it). */
    refusedWhenRun(reason: string): void {
      counts = { accepted: counts.accepted - 1, rejected: counts.rejected + 1, lastRejection: reason };
    },
    counts: () => counts,
  };
}

/** Where outbound messages go: the allowed origins, or any host when no allow-list was given. */
export function targetOrigins(origins: readonly string[] | null): readonly string[] {
  // Without an allow-list the lab cannot know its host's origin, so it posts to '*': any page that
  // frames it then sees the learner's sentences in `state`. Course pages should pass `origins=`.
  return origins ?? ['*'];
}

interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** A refused host message, as the frame's notes see it. */
export interface Rejection {
  readonly reason: string;
  /** The refused message's `type`, when it had a string one. */
  readonly type: string | null;
  /** The sender's origin when that was the reason (not in `origins`), else null. */
  readonly foreignOrigin: string | null;
}

/** The `type` of an incoming message, when it has a string one (cut short: it is echoed back). */
function typeOf(data: unknown): string | null {
  return isPlainObject(data) && typeof data.type === 'string' ? data.type.slice(0, 40) : null;
}

export interface HostConnection {
  /** Says the lab is listening, with its view and state. */
  ready(): void;
  /**
   * Posts the embed's height (once `ready` is out; the last one follows `ready`). A height equal to
   * the last one is not posted again unless `again` says the host may have missed it.
   */
  height(px: number, again?: boolean): void;
  disconnect(): void;
}

/** Resolves when a start in progress (the URL's recipe, or the view's own) has finished. */
function startSettled(store: LabStore): Promise<void> {
  return until(store, (s) => s.training.status !== 'starting');
}

/** Starts the training engine if nobody has, or waits for the start under way; false if it could not start (the page says why). */
async function started(store: LabStore): Promise<boolean> {
  const { training, startTraining } = store.getState();
  if (training.status === 'idle' || training.status === 'error') await startTraining();
  else await startSettled(store);
  return store.getState().training.status === 'ready';
}

/**
 * Does what one accepted host message asks, on `store`: the iframe's postMessage listener and the
 * web component's methods both come here, so the two APIs cannot drift apart. Throws
 * HostMessageRefused, before touching anything, when the view on show cannot do it.
 */
export async function runHostMessage(store: LabStore, message: HostMessage): Promise<void> {
  const state = store.getState();
  const refusal = refusalFor(state.view, message);
  if (refusal !== null) throw new HostMessageRefused(refusal);
  switch (message.type) {
    case 'setState':
      return applyShareState(store, message.payload);
    case 'step':
      if (await started(store)) await store.getState().stepTraining(message.payload.steps);
      return;
    case 'play':
      if (await started(store)) store.getState().playTraining(message.payload.stepsPerSecond);
      return;
    case 'pause':
      // Pausing an engine that never started would start its Worker just to pause it.
      if (state.training.status !== 'idle') state.pauseTraining();
      return;
    case 'setTheme':
      state.setTheme(message.payload.theme);
      return;
  }
}

/**
 * Listens for the host's messages on `self` and answers through `host` (the parent window).
 * Messages run one after another, in the order they arrived, so `setState` then `step` trains the
 * new recipe.
 */
export function connectHost(options: {
  readonly self: MessageSource;
  readonly host: MessageTarget | null;
  readonly store: LabStore;
  readonly origins: readonly string[] | null;
  readonly onCounts?: (counts: MessageCounts) => void;
  /** Called for each refused message, after the counts (the frame shows its author a note). */
  readonly onRejected?: (rejection: Rejection) => void;
  /** Work that must finish before any host message runs and before `ready` (the URL's state). */
  readonly before?: Promise<void>;
}): HostConnection {
  const { self, host, store, origins, onCounts, onRejected } = options;
  const before = (options.before ?? Promise.resolve()).catch((error: unknown) => console.error(error));
  const gate = createMessageGate(origins);
  const targets = targetOrigins(origins);
  const post = (message: LabMessage) => {
    if (!host) return;
    for (const origin of targets) host.postMessage(message, origin);
  };
  const reporter = createReporter(store, (report) => post({ source: LAB_MESSAGE_SOURCE, ...report }));

  /** Counted already: logs it, tells the host why (contract: `rejected`), and the frame's notes. */
  const rejected = (reason: string, type: string | null, foreignOrigin: string | null) => {
    console.warn(`BERT Embedding Lab ignored a message: ${reason}`);
    post({ source: LAB_MESSAGE_SOURCE, type: 'rejected', payload: { reason, type } });
    onRejected?.({ reason, type, foreignOrigin });
  };

  let queue = before;
  const run = (message: HostMessage) =>
    runHostMessage(store, message).catch((error: unknown) => {
      if (!(error instanceof HostMessageRefused)) throw error;
      gate.refusedWhenRun(error.message);
      onCounts?.(gate.counts());
      rejected(error.message, message.type, null);
    });

  const listener = (event: MessageEvent) => {
    const message = gate.accept(event);
    onCounts?.(gate.counts());
    if (!message) {
      const foreign = origins !== null && !origins.includes(event.origin);
      rejected(
        gate.counts().lastRejection ?? '',
        typeOf(event.data),
        foreign ? event.origin.slice(0, 200) : null,
      );
      return;
    }
    queue = queue.then(
      () => run(message),
      () => run(message),
    );
    // What the message changed is reported as soon as it has run, not at the end of the interval.
    queue.then(reporter.flush, reporter.flush);
  };
  self.addEventListener('message', listener);

  let readySent = false;
  let lastHeight = -1;
  const sendReady = () => {
    if (readySent) return;
    readySent = true;
    reporter.ready();
    if (lastHeight >= 0)
      post({ source: LAB_MESSAGE_SOURCE, type: 'height', payload: { height: lastHeight } });
  };
  return {
    ready() {
      void before.then(sendReady);
    },
    height(px, again = false) {
      const height = Math.ceil(px);
      if (height === lastHeight && !again) return;
      lastHeight = height;
      if (readySent) post({ source: LAB_MESSAGE_SOURCE, type: 'height', payload: { height } });
    },
    disconnect() {
      self.removeEventListener('message', listener);
      reporter.stop();
    },
  };
}
