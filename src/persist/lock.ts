/**
 * Two tabs must not write the same saved session. Each session has a Web Lock named
 * `bert-lab-session:<id>`; a tab writes a session (autosave, rename, delete) only while it holds
 * that lock, asked for with `ifAvailable`, so a second tab is told at once that the session is
 * open elsewhere, and gets a read-only view or a copy of its own. The lock is released when the
 * tab moves to another session or closes (the browser drops a closed tab's locks).
 */
const LOCK_PREFIX = 'bert-lab-session:';

export interface SessionLock {
  readonly id: string;
  release(): void;
}

/** True where Web Locks exist (secure contexts in current browsers); elsewhere tabs are not guarded. */
const locksAvailable = (): boolean =>
  typeof navigator !== 'undefined' && typeof navigator.locks?.request === 'function';

/** Takes the session's lock if no other tab (or this tab) holds it; null when it is taken. */
export function tryLockSession(id: string): Promise<SessionLock | null> {
  if (!locksAvailable()) return Promise.resolve({ id, release: () => undefined });
  return new Promise((resolve, reject) => {
    navigator.locks
      .request(LOCK_PREFIX + id, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(null);
          return undefined;
        }
        // The lock is held for as long as this promise is pending.
        return new Promise<void>((release) => resolve({ id, release: () => release() }));
      })
      .catch(reject);
  });
}

/** Ids of the sessions whose lock some tab holds now. */
export async function heldSessionIds(): Promise<Set<string>> {
  if (!locksAvailable()) return new Set();
  const { held = [] } = await navigator.locks.query();
  return new Set(
    held
      .map((l) => l.name ?? '')
      .filter((name) => name.startsWith(LOCK_PREFIX))
      .map((name) => name.slice(LOCK_PREFIX.length)),
  );
}

/**
 * Runs `work` while holding the session's lock, for a write to a session this tab is not training;
 * null (and nothing done) when another tab holds it.
 */
export async function withSessionLock<T>(id: string, work: () => Promise<T>): Promise<T | null> {
  const held = await tryLockSession(id);
  if (!held) return null;
  try {
    return await work();
  } finally {
    held.release();
  }
}
