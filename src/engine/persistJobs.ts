/**
 * Saving and loading sessions, done in the training Worker: the weights and optimizer moments are
 * read and written here, next to the model, so megabytes of floats never cross to the page and
 * the page never waits on IndexedDB. The page sends only what it draws (history, row counters).
 */
import type { BertConfig } from '../core/model';
import {
  decodeSessionFile,
  encodeSessionFile,
  packArrays,
  readArrays,
  type TypedArray,
} from '../persist/format';
import {
  getSessionMeta,
  getSessionRecord,
  listSessions,
  newSessionId,
  putSession,
  type SessionMeta,
  type SessionRecord,
} from '../persist/db';
import { decodePageState, encodePageState, type SavedPageState } from '../persist/pageState';
import { SESSION_FORMAT_NAME, validateHeader, type SessionHeader } from '../persist/schema';
import { checkInputs, type Session } from './session';
import { checkTrainArrays, readTrainState, restoreTrainState, type TrainCounters } from './sessionState';
import type { EngineSettings } from '../core/domain/settings';

/** The arrays of the B side of an A/B comparison are stored under this prefix. */
export const COMPARE_PREFIX = 'compare/';

export interface SaveContext {
  readonly main: Session;
  readonly compare: Session | null;
  readonly settings: EngineSettings;
  readonly vocab: readonly string[];
  readonly corpus: string;
  readonly backend: string | null;
}

export interface SaveRequest {
  readonly id: string;
  readonly name: string;
  readonly named: boolean;
  readonly page: SavedPageState;
}

/** Reads the state and writes the session's meta and data records in one transaction. */
export async function saveSession(context: SaveContext, request: SaveRequest): Promise<SessionMeta> {
  const { main, compare, settings } = context;
  const a = await readTrainState(main, '');
  const b = compare ? await readTrainState(compare, COMPARE_PREFIX) : null;
  const page = encodePageState(request.page);
  const { arrays, payload } = packArrays([...a.arrays, ...(b?.arrays ?? []), ...page.arrays]);
  const savedAt = Date.now();
  const header: SessionHeader = {
    format: SESSION_FORMAT_NAME,
    name: request.name,
    savedAt,
    backend: context.backend,
    settings,
    vocab: context.vocab,
    corpus: context.corpus,
    main: a.counters,
    compare: b?.counters ?? null,
    page: page.json,
    arrays,
    payloadBytes: payload.byteLength,
  };
  const meta = metaOf(request.id, request.name, request.named, header);
  await putSession(meta, { header, payload });
  return meta;
}

function metaOf(id: string, name: string, named: boolean, header: SessionHeader): SessionMeta {
  return {
    id,
    name,
    named,
    step: header.main.step,
    preset: header.settings.preset,
    optimizer: header.settings.optimizer,
    savedAt: header.savedAt,
    bytes: header.payloadBytes,
  };
}

/** A stored or imported session that passed every check, ready to restore. */
export interface CheckedSession {
  readonly header: SessionHeader;
  readonly arrays: ReadonlyMap<string, TypedArray>;
  readonly config: BertConfig;
  readonly page: SavedPageState;
}

/**
 * Every check a session must pass before anything is built or written: the header, the settings
 * and vocabulary (as a start request), each array's presence, dtype and length against the
 * model's shapes, finite values, and the page's state.
 */
export function checkSession(header: SessionHeader, arrays: ReadonlyMap<string, TypedArray>): CheckedSession {
  const config = checkInputs(header.settings, header.vocab);
  checkTrainArrays(config, header.settings.optimizer, arrays, '');
  if (header.settings.compareOptimizer !== 'off')
    checkTrainArrays(config, header.settings.compareOptimizer, arrays, COMPARE_PREFIX);
  const page = decodePageState(header.page, arrays, config.vocabSize);
  return { header, arrays, config, page };
}

/** Checks a record read back from IndexedDB (it may have been written by another version). */
export function checkRecord(record: SessionRecord): CheckedSession {
  const header = validateHeader(record.header as unknown as SessionHeader & Record<string, unknown>);
  return checkSession(header, readArrays(header, record.payload));
}

export function restoreInto(checked: CheckedSession, main: Session, compare: Session | null): void {
  const { header, arrays } = checked;
  restoreTrainState(main, header.main, arrays, '');
  if (compare && header.compare)
    restoreTrainState(compare, header.compare as TrainCounters, arrays, COMPARE_PREFIX);
}

/**
 * Checks a file completely and only then stores it as a new session: a bad file changes nothing.
 * The name gets " (imported)" when a session of that name exists already.
 */
export async function importSessionFile(bytes: ArrayBuffer): Promise<SessionMeta> {
  const file = decodeSessionFile(bytes);
  const header = validateHeader(file.header);
  checkSession(header, file.arrays);
  const names = new Set((await listSessions()).map((m) => m.name));
  const name = names.has(header.name) ? `${header.name} (imported)`.slice(0, 120) : header.name;
  const stored: SessionHeader = { ...header, name };
  const meta = metaOf(newSessionId(), name, true, stored);
  await putSession({ ...meta, savedAt: Date.now() }, { header: stored, payload: file.payload });
  return meta;
}

/** The session as a file, under the name it has now (a rename changes only the list's record). */
export async function exportSessionFile(id: string): Promise<Blob> {
  const [meta, record] = await Promise.all([getSessionMeta(id), getSessionRecord(id)]);
  if (!meta || !record) throw new Error('That session has not been saved yet.');
  const header: SessionHeader = { ...record.header, name: meta.name };
  const parts = encodeSessionFile(header, record.payload);
  return new Blob(parts as BlobPart[], { type: 'application/octet-stream' });
}
