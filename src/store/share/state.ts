/**
 * Shareable, reproducible state: what a link (or a host page's message) carries and how it is put
 * back into a store. The parameters themselves are one table, in ./shareSchema; the query codec is
 * ./shareCodec. A link carries what is on show (view, sentences, max length, vocabulary, selected
 * position) and the recipe of the model (preset, seed, optimizer, learning rate, tie, batch shape,
 * and the step to train to): the same seed and step give the same weights, up to float tolerance
 * across backends, so the link records the backend its numbers came from.
 */
import { DEFAULT_ENGINE_SETTINGS, type BackendName, type EngineSettings } from '../../core/domain/settings';
import type { LabState, LabStore } from '../types';
import { capNotices } from './codec';
import { DEFAULT_SHARE_STATE, fieldsOf, shareStateFrom, type ShareState } from './schema';
import { quote } from './specs';
import { until } from '../until';

export type { ShareState } from './schema';
export { DEFAULT_SHARE_STATE, MAX_LINK_STEPS, SCHEMA, shareStateFrom } from './schema';
export {
  BACKEND_KEY,
  COMPRESSED_KEY,
  decodeShareQuery,
  encodeShareQuery,
  MAX_QUERY_LENGTH,
  RESERVED_KEYS,
} from './codec';

export function shareStateOf(state: LabState): ShareState {
  return shareStateFrom((_, field) => field.read(state));
}

/** The recorded backend of a state: the one the running model's numbers came from, if it has run. */
export function backendOf(state: LabState): BackendName | null {
  return state.training.snapshot?.config ? (state.training.snapshot.backend ?? null) : null;
}

const FIELDS_BY_NAME: ReadonlyMap<string, ReturnType<typeof fieldsOf>[number][1]> = new Map(fieldsOf());

/**
 * Validates an untrusted plain object (postMessage payloads use this), keyed by ShareState's field
 * names: bounds numbers, caps strings, drops unknown keys with a notice.
 */
export function validateShareState(input: unknown): { state: Partial<ShareState>; notices: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { state: {}, notices: [`The state must be an object of named values, not ${quote(input)}.`] };
  const state: Record<string, unknown> = {};
  const notices: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    const field = FIELDS_BY_NAME.get(name);
    if (!field) {
      notices.push(`Unknown field ${quote(name)} was ignored.`);
      continue;
    }
    const checked = field.spec.check(value);
    if (!checked.ok) {
      notices.push(`${name}: ${checked.notice}; it was ignored.`);
      continue;
    }
    if (checked.notice) notices.push(`${name}: ${checked.notice}.`);
    state[name] = checked.value;
  }
  return { state: state as Partial<ShareState>, notices: capNotices(notices) };
}

/** True when the state carries training fields (seed, optimizer, step ...): a saved session must then not auto-resume over the link. */
export function hasTrainingFields(state: Partial<ShareState>): boolean {
  return fieldsOf('training').some(([name]) => state[name] !== undefined);
}

/**
 * A link leaves out what equals the defaults, so when a page opens one, what is on show that the
 * link does not name is the default, not whatever the page had.
 */
export function withViewDefaults(state: Partial<ShareState>): Partial<ShareState> {
  const defaults: Record<string, unknown> = {};
  for (const [name] of fieldsOf('view')) defaults[name] = DEFAULT_SHARE_STATE[name];
  return { ...(defaults as Partial<ShareState>), ...state };
}

export interface ApplyOptions {
  /** The backend the link's numbers came from: used here when it is a backend every browser runs the same way. */
  readonly backend?: string | null;
  readonly onNotice?: (message: string) => void;
  /** Called as the engine trains towards the link's step. */
  readonly onProgress?: (step: number, target: number) => void;
  /** Stops training towards the link's step (the model stays where it got to). */
  readonly signal?: AbortSignal;
}

/**
 * wasm and cpu run wherever tfjs runs, so a link made on one of them is replayed on it for the
 * closest numbers; a GPU backend (or none) leaves the choice to 'auto', which times the backends here.
 */
const REPLAYED_BACKENDS: readonly string[] = ['wasm', 'cpu'];
/** Steps per engine call while training to a link's step: the page shows progress between calls. */
const STEP_CHUNK = 10;

/** Resolves once bert-base-uncased has loaded or failed: bert-tiny cannot start before. */
function vocabSettled(store: LabStore): Promise<void> {
  return until(store, (s) => s.vocab.kind !== 'loading');
}

/**
 * Puts a (partial) state into a store: texts, view, settings; trains to `step` from `seed` when
 * training fields or step are given. What is on show is written synchronously, before the first
 * await, so a caller can rely on it right after the call; the returned promise settles once the
 * engine has trained to the step (or was stopped, restarted or refused).
 */
export async function applyShareState(
  store: LabStore,
  state: Partial<ShareState>,
  options: ApplyOptions = {},
): Promise<void> {
  const notice = options.onNotice ?? (() => {});
  for (const [name, field] of fieldsOf('view')) {
    const value = state[name];
    if (value === undefined || field.group !== 'view') continue;
    field.write(store, value, notice);
  }
  if (!hasTrainingFields(state)) return;

  // Settings the link does not carry are the defaults it was made against.
  const patch: Record<string, unknown> = {
    warmupSteps: DEFAULT_ENGINE_SETTINGS.warmupSteps,
    totalSteps: DEFAULT_ENGINE_SETTINGS.totalSteps,
  };
  for (const [name, field] of fieldsOf('training')) {
    if (field.group === 'training' && field.setting)
      patch[field.setting] = state[name] ?? DEFAULT_SHARE_STATE[name];
  }
  const settings = patch as Partial<EngineSettings>;
  if (settings.preset === 'micro' && state.vocab === 'learned' && !store.getState().learnedVocab)
    notice(
      'The micro model of this link may have trained on that vocabulary; here it trains on its own, ' +
        'learned from the corpus, so its numbers can differ from the link’s.',
    );
  // lab and bert-tiny train on bert-base-uncased's vocabulary, which the page loads.
  if (settings.preset !== 'micro') await vocabSettled(store);

  const recorded = options.backend ?? null;
  const preferred =
    recorded !== null && REPLAYED_BACKENDS.includes(recorded) ? (recorded as BackendName) : 'auto';
  await store.getState().startTraining({ ...settings, backend: preferred });
  if (preferred !== 'auto' && store.getState().training.error !== null)
    await store.getState().startTraining({ ...settings, backend: 'auto' });
  const started = store.getState().training;
  if (started.error !== null) {
    notice(`The link's training settings could not start the model: ${started.error}`);
    return;
  }

  const target = state.step ?? 0;
  const running = started.settings;
  let previous = -1;
  for (;;) {
    const now = store.getState().training;
    // The learner (or another message) restarted the engine: the link's run is over.
    if (now.settings !== running || now.error !== null || options.signal?.aborted) break;
    const step = now.snapshot?.step ?? 0;
    options.onProgress?.(step, target);
    // A step that did not advance (a non-finite loss the engine refused) ends the run too.
    if (step >= target || step === previous) break;
    previous = step;
    await store.getState().stepTraining(Math.min(STEP_CHUNK, target - step));
  }
  const after = store.getState().training;
  if (after.error !== null) notice(`Training to step ${target} stopped: ${after.error}`);
  const here = after.snapshot?.backend ?? null;
  if (recorded !== null && here !== null && here !== recorded)
    notice(
      `This link's numbers were computed on the ${recorded} backend; here the model runs on ${here}. ` +
        'The same seed and step give the same weights up to float tolerance across backends, so the last ' +
        'digits may differ.',
    );
}
