/**
 * The postMessage API between an embedded lab (an iframe) and its host page.
 *
 * In (host → lab): `setState`, `step`, `play`, `pause`. Out (lab → host): `ready`, `state`,
 * `step` (reports.ts, shared with the web component's events) and `height`. Every incoming message is checked against the schema below (its type, the shape of its
 * payload, every bound) and, when the embed URL names `origins`, against that allow-list. A message
 * that fails is ignored and counted; nothing in a message is ever evaluated or parsed as markup.
 */
import type { LabStore } from '../store/types';
import { applyShareState, validateShareState, type ShareState } from '../store/share/state';
import { until } from '../store/until';
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
  | { readonly type: 'pause' };

export type LabMessage =
  | (LabReport & { readonly source: typeof LAB_MESSAGE_SOURCE })
  | {
      readonly source: typeof LAB_MESSAGE_SOURCE;
      readonly type: 'height';
      readonly payload: { readonly height: number };
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
    default:
      return refuse(
        typeof type === 'string'
          ? `unknown message type "${type.slice(0, 40)}"`
          : 'the message has no type (setState, step, play or pause)',
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

export interface HostConnection {
  /** Says the lab is listening, with its view and state. */
  ready(): void;
  height(px: number): void;
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
 * web component's methods both come here, so the two APIs cannot drift apart.
 */
export async function runHostMessage(store: LabStore, message: HostMessage): Promise<void> {
  const state = store.getState();
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
  /** Work that must finish before any host message runs and before `ready` (the URL's state). */
  readonly before?: Promise<void>;
}): HostConnection {
  const { self, host, store, origins, onCounts } = options;
  const before = (options.before ?? Promise.resolve()).catch((error: unknown) => console.error(error));
  const gate = createMessageGate(origins);
  const targets = targetOrigins(origins);
  const post = (message: LabMessage) => {
    if (!host) return;
    for (const origin of targets) host.postMessage(message, origin);
  };
  const reporter = createReporter(store, (report) => post({ source: LAB_MESSAGE_SOURCE, ...report }));

  let queue = before;
  const run = (message: HostMessage) => runHostMessage(store, message);

  const listener = (event: MessageEvent) => {
    const message = gate.accept(event);
    onCounts?.(gate.counts());
    if (!message) {
      console.warn(`BERT Embedding Lab ignored a message: ${gate.counts().lastRejection ?? ''}`);
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
    height(px) {
      const height = Math.ceil(px);
      if (height === lastHeight) return;
      lastHeight = height;
      if (readySent) post({ source: LAB_MESSAGE_SOURCE, type: 'height', payload: { height } });
    },
    disconnect() {
      self.removeEventListener('message', listener);
      reporter.stop();
    },
  };
}
