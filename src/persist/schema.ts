/**
 * What a saved session's header holds (format version 1), and the checks that a header read from
 * a file or from IndexedDB really is one. Every field is checked for type and bounded before the
 * engine sees it; the engine then checks the settings and vocabulary as it does any start request.
 */
import { parseSettingsShape, type EngineSettings } from '../core/domain/settings';
import { SessionFileError, type ContainerHeader } from './format';
import { MAX_NAME_LENGTH } from './limits';

export const SESSION_FORMAT_NAME = 'bert-embedding-lab/session';

export interface Counters {
  readonly step: number;
  readonly updates: number;
  readonly batchesDrawn: number;
}

export interface SessionHeader extends ContainerHeader {
  readonly format: typeof SESSION_FORMAT_NAME;
  readonly name: string;
  /** Milliseconds since 1970. */
  readonly savedAt: number;
  /** The backend it was trained on, for the record: a restore may run on another. */
  readonly backend: string | null;
  readonly settings: EngineSettings;
  /** The model's vocabulary, by id. */
  readonly vocab: readonly string[];
  /** The corpus text the data stream is drawn from (the built-in one is 43 kB). */
  readonly corpus: string;
  readonly main: Counters;
  /** The B side of an A/B optimizer comparison (arrays prefixed `compare/`), or null. */
  readonly compare: Counters | null;
  /** What the page draws: loss history, row counters, frames, the last report (see pageState.ts). */
  readonly page: unknown;
}

const MAX_VOCAB = 100_000;
const MAX_TOKEN_LENGTH = 200;
const MAX_CORPUS = 20 * 1024 * 1024;

function fail(message: string): never {
  throw new SessionFileError('header', message);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e9)
    fail(`${what} must be a whole number, not ${JSON.stringify(value)}.`);
  return value;
}

function counters(value: unknown, what: string): Counters {
  if (!isObject(value)) fail(`The ${what} counters are missing.`);
  const step = count(value.step, `The ${what} step`);
  const updates = count(value.updates, `The ${what} update count`);
  const batchesDrawn = count(value.batchesDrawn, `The ${what} batch count`);
  if (updates > step || step > batchesDrawn)
    fail(`The ${what} counters disagree: step ${step}, ${updates} updates, ${batchesDrawn} batches.`);
  return { step, updates, batchesDrawn };
}

/** The settings' kinds and choices, read with the domain's schema; range checks are the engine's. */
function settings(value: unknown): EngineSettings {
  const result = parseSettingsShape(value);
  if (!result.ok) fail(result.message);
  return result.settings;
}

/** Checks a parsed header and returns it typed; throws a SessionFileError saying what is wrong. */
export function validateHeader(raw: ContainerHeader & Record<string, unknown>): SessionHeader {
  if (raw.format !== SESSION_FORMAT_NAME) fail('The file is not a saved session of this lab.');
  const { name, savedAt, backend, vocab, corpus } = raw;
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH)
    fail(`The session name must be text of at most ${MAX_NAME_LENGTH} characters.`);
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) fail('The save time is missing.');
  if (backend !== null && typeof backend !== 'string') fail('The backend must be a name.');
  if (
    !Array.isArray(vocab) ||
    vocab.length > MAX_VOCAB ||
    !vocab.every((t) => typeof t === 'string' && t.length <= MAX_TOKEN_LENGTH)
  )
    fail(`The vocabulary must be a list of at most ${MAX_VOCAB.toLocaleString('en-US')} tokens.`);
  if (typeof corpus !== 'string' || corpus.length > MAX_CORPUS)
    fail('The corpus text is missing or too long.');
  const s = settings(raw.settings);
  const compare = raw.compare === null ? null : counters(raw.compare, 'comparison run’s');
  if ((compare === null) !== (s.compareOptimizer === 'off'))
    fail('The comparison run and the compareOptimizer setting disagree.');
  return {
    arrays: raw.arrays,
    payloadBytes: raw.payloadBytes,
    format: SESSION_FORMAT_NAME,
    name: name.trim() || 'Imported session',
    savedAt,
    backend: backend as string | null,
    settings: s,
    vocab: vocab as string[],
    corpus,
    main: counters(raw.main, 'model’s'),
    compare,
    page: raw.page,
  };
}
