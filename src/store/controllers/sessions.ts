/**
 * The side effects behind the sessions slice: the Web Lock on the session this tab writes, the
 * remembered session in sessionStorage and localStorage, the autosaver, the store subscription
 * and the page listeners that trigger saves. The slice (store/sessionsSlice.ts) holds the state
 * and the actions; it asks this controller to do anything that touches the world outside.
 */
import { errorMessage } from '../../core/errorMessage';
import { createAutosaver } from '../../persist/autosave';
import { deleteSessionRecords, listSessions, type SessionMeta } from '../../persist/db';
import { framesKept } from '../../persist/framesKept';
import { heldSessionIds, tryLockSession, withSessionLock, type SessionLock } from '../../persist/lock';
import type { LabState, SessionsView } from '../types';

/**
 * The session to continue after a reload: this tab's own (sessionStorage survives a reload of the
 * tab), else the one this browser saved last (localStorage), so two tabs training two sessions
 * each reload into their own.
 */
const CURRENT_SESSION_KEY = 'bert-lab.current-session';
/** Automatically named sessions kept; older ones are deleted when a new one is first saved. */
const AUTO_SESSIONS_KEPT = 5;
const AUTOSAVE_INTERVAL_MS = 2000;
/** How long to wait before saving again when the engine was a step ahead of the page's state. */
const STALE_RETRY_MS = 30;
/** Tries that ask the engine for the page's exact step; after these it saves whatever step it has. */
const EXACT_STEP_TRIES = 5;

/** Records `id` as the session to resume in this tab and, failing that, in this browser. */
function remember(id: string): void {
  try {
    sessionStorage.setItem(CURRENT_SESSION_KEY, id);
    localStorage.setItem(CURRENT_SESSION_KEY, id);
  } catch {
    // Storage may be off (private mode); the session is still saved, only not resumed.
  }
}

/** This tab's session first, then the browser's last one. */
export function remembered(): string[] {
  try {
    return [sessionStorage, localStorage]
      .map((storage) => storage.getItem(CURRENT_SESSION_KEY))
      .filter((id): id is string => id !== null);
  } catch {
    return [];
  }
}

interface StoreAccess {
  get(): LabState;
  subscribe(listener: (state: LabState) => void): () => void;
  update(patch: Partial<SessionsView>): void;
}

export interface SessionsController {
  /** Keeps `next` as the lock this tab holds, releasing the previous one if it was another's. */
  holdOnly(next: SessionLock | null): void;
  /** Saves on steps and pauses, and when the tab is hidden or closed; returns the undo. */
  watch(): () => void;
  /** Reads the list of saved sessions and which of them some tab holds. */
  refresh(): Promise<void>;
  /** Loads a saved session into the engine, writable if this tab gets its lock. */
  open(meta: SessionMeta, how: 'resume' | 'load'): Promise<void>;
  readonly autosaver: ReturnType<typeof createAutosaver>;
}

/**
 * Saves on steps (within the autosave interval) and at once on a pause, a hidden tab or a closing
 * page. Returns the undo: the store subscription and both page listeners are removed.
 */
function watchForSaves(
  store: StoreAccess,
  autosaver: SessionsController['autosaver'],
  refresh: () => Promise<void>,
): () => void {
  const { get } = store;
  let lastStep = -1;
  let wasPlaying = false;
  const unsubscribe = store.subscribe((state) => {
    const snapshot = state.training.snapshot;
    const step = snapshot?.step ?? 0;
    const playing = snapshot?.playing ?? false;
    const { current, savedStep } = state.sessions;
    const paused = wasPlaying && !playing;
    const stepped = step !== lastStep;
    // Remember this state before saving: a save updates the store synchronously, which calls
    // this listener again, and with the old values it saw "just paused" again and again (a
    // hundred saves queued in the Worker on every pause).
    lastStep = step;
    wasPlaying = playing;
    if (current && !current.readOnly && state.training.status === 'ready' && step > 0) {
      if (paused) void autosaver.flush();
      else if (stepped && step !== savedStep) autosaver.request();
    }
  });
  const now = () => {
    if (get().sessions.current && (get().training.snapshot?.step ?? 0) > 0) void autosaver.flush();
  };
  const listening = new AbortController();
  const { signal } = listening;
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'hidden') now();
      // Back in this tab: another tab may have saved, renamed or deleted sessions meanwhile.
      else void refresh().catch(() => undefined);
    },
    { signal },
  );
  window.addEventListener('pagehide', now, { signal });
  return () => {
    unsubscribe();
    listening.abort();
  };
}

export function createSessionsController(store: StoreAccess): SessionsController {
  const { get, update } = store;
  let lock: SessionLock | null = null;

  function holdOnly(next: SessionLock | null): void {
    if (lock && lock.id !== next?.id) lock.release();
    lock = next;
  }

  async function refresh(): Promise<void> {
    const [list, held] = await Promise.all([listSessions(), heldSessionIds()]);
    update({ list, held: [...held] });
  }

  /** Deletes the oldest automatically named sessions that no tab holds, beyond AUTO_SESSIONS_KEPT. */
  async function pruneAutoSessions(keep: string): Promise<void> {
    const auto = (await listSessions()).filter((m) => !m.named && m.id !== keep);
    // One that another tab holds is skipped: that tab is training it.
    for (const old of auto.slice(AUTO_SESSIONS_KEPT - 1))
      await withSessionLock(old.id, () => deleteSessionRecords(old.id));
  }

  /**
   * One save of the current session. 'stale': the engine had moved a step past the page's state
   * (a step was queued first), so weights and history would disagree; the caller tries again.
   */
  async function saveOnce(exactStep: boolean): Promise<'saved' | 'stale' | 'skipped'> {
    const { training, sessions } = get();
    const current = sessions.current;
    if (!sessions.enabled || !current || current.readOnly || lock?.id !== current.id) return 'skipped';
    if (training.status !== 'ready' || !training.snapshot?.config) return 'skipped';
    const firstSave = sessions.savedStep === null;
    update({ saving: true });
    try {
      const { history, rows, frames, lastReport, comparison } = training;
      const result = await get()
        .trainingEngine()
        .save({
          id: current.id,
          name: current.name,
          named: current.named,
          page: { history, rows, frames: framesKept(frames), lastReport, comparison },
          expectStep: exactStep ? training.snapshot.step : null,
        });
      if (result === 'stale') return 'stale';
      // The learner may have moved to another session while this one was being written.
      if (get().sessions.current?.id === current.id) update({ savedStep: result.step, error: null });
      remember(current.id);
      if (firstSave && !current.named) await pruneAutoSessions(current.id);
      await refresh();
      return 'saved';
    } catch (error) {
      update({ error: `Could not save the session: ${errorMessage(error)}` });
      return 'skipped';
    } finally {
      update({ saving: false });
    }
  }

  /** Writes the current session; retries while the engine is a step ahead of the page's state. */
  async function writeCurrent(): Promise<void> {
    for (let attempt = 0; (await saveOnce(attempt < EXACT_STEP_TRIES)) === 'stale'; attempt++)
      await new Promise((resolve) => setTimeout(resolve, STALE_RETRY_MS));
  }

  const autosaver = createAutosaver(writeCurrent, { minIntervalMs: AUTOSAVE_INTERVAL_MS });

  async function open(meta: SessionMeta, how: 'resume' | 'load'): Promise<void> {
    const held = await tryLockSession(meta.id);
    update({ busy: true, error: null, notice: null });
    try {
      const restored = await get().resumeTraining(meta.id);
      autosaver.cancel();
      holdOnly(held);
      if (held) remember(meta.id);
      update({
        current: { id: meta.id, name: meta.name, named: meta.named, readOnly: held === null },
        savedStep: restored.step,
        resumed: { name: meta.name, step: restored.step },
      });
    } catch (error) {
      held?.release();
      update({
        error:
          how === 'resume'
            ? `Could not resume “${meta.name}”: ${errorMessage(error)}`
            : `Could not load “${meta.name}”: ${errorMessage(error)} Nothing was changed.`,
      });
    } finally {
      update({ busy: false });
    }
  }

  return { holdOnly, watch: () => watchForSaves(store, autosaver, refresh), refresh, open, autosaver };
}
