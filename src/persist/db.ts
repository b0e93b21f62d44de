/**
 * The saved sessions in IndexedDB, usable from the page and from the training Worker (IndexedDB
 * works in both): a small `meta` record per session for the list, and a `data` record with the
 * header and the payload, so listing never reads megabytes of weights. A session's two records
 * are always written in one transaction.
 *
 * Writers hold the session's Web Lock (lock.ts); this module does not check it.
 */
import type { SessionHeader } from './schema';

const DB_NAME = 'bert-embedding-lab';
const DB_VERSION = 1;
const META = 'meta';
const DATA = 'data';

/** One row of the Sessions list. */
export interface SessionMeta {
  readonly id: string;
  readonly name: string;
  /** Named by the learner (kept), or named automatically at a fresh start (pruned when old). */
  readonly named: boolean;
  readonly step: number;
  readonly preset: string;
  readonly optimizer: string;
  readonly savedAt: number;
  /** Bytes of the weights, optimizer state and view state. */
  readonly bytes: number;
}

export interface SessionRecord {
  readonly header: SessionHeader;
  readonly payload: ArrayBuffer;
}

let opening: Promise<IDBDatabase> | null = null;

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed.'));
  });

const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('The IndexedDB transaction was aborted.'));
    tx.onerror = () => reject(tx.error ?? new Error('The IndexedDB transaction failed.'));
  });

function openSessionsDb(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('This browser has no IndexedDB.'));
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(DATA)) db.createObjectStore(DATA);
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer tab upgrading the schema asks us to step aside; reopen on the next call.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('Could not open IndexedDB.'));
    };
    request.onblocked = () =>
      reject(new Error('Another tab is upgrading the saved sessions; reload this one.'));
  });
  return opening;
}

export async function listSessions(): Promise<SessionMeta[]> {
  const db = await openSessionsDb();
  const all = await done(db.transaction(META).objectStore(META).getAll() as IDBRequest<SessionMeta[]>);
  return all.sort((a, b) => b.savedAt - a.savedAt);
}

export async function getSessionMeta(id: string): Promise<SessionMeta | null> {
  const db = await openSessionsDb();
  return ((await done(db.transaction(META).objectStore(META).get(id))) as SessionMeta | undefined) ?? null;
}

export async function getSessionRecord(id: string): Promise<SessionRecord | null> {
  const db = await openSessionsDb();
  return ((await done(db.transaction(DATA).objectStore(DATA).get(id))) as SessionRecord | undefined) ?? null;
}

export async function putSession(meta: SessionMeta, record: SessionRecord): Promise<void> {
  const db = await openSessionsDb();
  const tx = db.transaction([META, DATA], 'readwrite');
  tx.objectStore(META).put(meta);
  tx.objectStore(DATA).put(record, meta.id);
  await committed(tx);
}

/** Renames a session; the name in its data record is rewritten on its next save or export. */
export async function renameSessionMeta(id: string, name: string): Promise<SessionMeta> {
  const db = await openSessionsDb();
  const tx = db.transaction(META, 'readwrite');
  const store = tx.objectStore(META);
  const meta = (await done(store.get(id))) as SessionMeta | undefined;
  if (!meta) throw new Error('That session no longer exists.');
  const renamed = { ...meta, name, named: true };
  store.put(renamed);
  await committed(tx);
  return renamed;
}

export async function deleteSessionRecords(id: string): Promise<void> {
  const db = await openSessionsDb();
  const tx = db.transaction([META, DATA], 'readwrite');
  tx.objectStore(META).delete(id);
  tx.objectStore(DATA).delete(id);
  await committed(tx);
}

/** A new session id: random, so two tabs never make the same one. */
export function newSessionId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(16).padStart(8, '0')).join(
        '-',
      );
}
