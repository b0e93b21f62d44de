import type { StateCreator } from 'zustand';
import { createAutosaver } from '../persist/autosave';
import { framesKept } from '../persist/framesKept';
import {
  deleteSessionRecords,
  getSessionMeta,
  listSessions,
  newSessionId,
  renameSessionMeta,
  type SessionMeta,
} from '../persist/db';
import { heldSessionIds, tryLockSession, withSessionLock, type SessionLock } from '../persist/lock';
import { MAX_NAME_LENGTH } from '../persist/limits';
import type { LabState } from './labStore';

/** The session this tab trains and autosaves. */
export interface CurrentSession {
  readonly id: string;
  readonly name: string;
  /** Named by the learner; sessions named automatically at a fresh start are pruned when old. */
  readonly named: boolean;
  /** Another tab holds this session: this tab shows it but never writes it. */
  readonly readOnly: boolean;
}

export interface SessionsView {
  /** Persistence is on for the lab page; an embedded view leaves it off and saves nothing. */
  enabled: boolean;
  list: readonly SessionMeta[];
  /** Ids of the sessions another tab (or this one) holds now. */
  held: readonly string[];
  current: CurrentSession | null;
  saving: boolean;
  /** The step of the current session's last save; null until it is saved. */
  savedStep: number | null;
  /** Set when a saved session was loaded (at startup or from the list). */
  resumed: { readonly name: string; readonly step: number } | null;
  notice: string | null;
  error: string | null;
  /** A load or an import is running. */
  busy: boolean;
}

export interface SessionsSlice {
  sessions: SessionsView;
  /** Turns saving on; with `resume`, continues the session this browser trained last. */
  enableSessions(options: { resume: boolean }): Promise<void>;
  /** A fresh start trains a new session (called by startTraining). */
  beginSession(): void;
  /** Names the current session (when given) and saves it now. */
  saveSession(name?: string): Promise<void>;
  loadSession(id: string): Promise<void>;
  renameSession(id: string, name: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** The session as a file, saved first when it is the current one. */
  exportSession(id: string): Promise<{ blob: Blob; fileName: string }>;
  importSession(file: File): Promise<void>;
  /** Leaves a read-only session for a copy this tab owns and saves. */
  continueAsCopy(): Promise<void>;
  refreshSessions(): Promise<void>;
  dismissSessionsMessage(): void;
}

/**
 * The session to continue after a reload: this tab's own (sessionStorage survives a reload of the
 * tab), else the one this browser saved last (localStorage), so two tabs training two sessions
 * each reload into their own.
 */
const CURRENT_SESSION_KEY = 'bert-lab.current-session';
/** Automatically named sessions kept; older ones are deleted when a new one is first saved. */
const AUTO_SESSIONS_KEPT = 5;
const AUTOSAVE_INTERVAL_MS = 2000;
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function remember(id: string): void {
  try {
    sessionStorage.setItem(CURRENT_SESSION_KEY, id);
    localStorage.setItem(CURRENT_SESSION_KEY, id);
  } catch {
    // Storage may be off (private mode); the session is still saved, only not resumed.
  }
}

/** This tab's session first, then the browser's last one. */
function remembered(): string[] {
  try {
    return [sessionStorage, localStorage]
      .map((storage) => storage.getItem(CURRENT_SESSION_KEY))
      .filter((id): id is string => id !== null);
  } catch {
    return [];
  }
}

function checkSessionName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A session needs a name.');
  if (trimmed.length > MAX_NAME_LENGTH)
    throw new Error(`A name can be at most ${MAX_NAME_LENGTH} characters.`);
  return trimmed;
}

const fileNameFor = (name: string) =>
  `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'session'}.bertlab`;

export const createSessionsSlice: StateCreator<LabState, [], [], SessionsSlice> = (set, get, api) => {
  let lock: SessionLock | null = null;
  const update = (patch: Partial<SessionsView>) => set({ sessions: { ...get().sessions, ...patch } });
  const autoName = () => {
    const s = get().training.settings;
    const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    return `${s.preset} · ${s.optimizer} · seed ${s.seed} · ${time}`;
  };

  function holdOnly(next: SessionLock | null): void {
    if (lock && lock.id !== next?.id) lock.release();
    lock = next;
  }

  /** Writes the current session; retries while the engine is a step ahead of the page's state. */
  async function writeCurrent(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { training, sessions } = get();
      const current = sessions.current;
      if (!sessions.enabled || !current || current.readOnly || lock?.id !== current.id) return;
      if (training.status !== 'ready' || !training.snapshot?.config) return;
      const firstSave = sessions.savedStep === null;
      update({ saving: true });
      try {
        const result = await get()
          .trainingEngine()
          .save({
            id: current.id,
            name: current.name,
            named: current.named,
            page: {
              history: training.history,
              rows: training.rows,
              frames: framesKept(training.frames),
              lastReport: training.lastReport,
              comparison: training.comparison,
            },
            expectStep: attempt < 5 ? training.snapshot.step : null,
          });
        if (result === 'stale') {
          await new Promise((resolve) => setTimeout(resolve, 30));
          continue;
        }
        // The learner may have moved to another session while this one was being written.
        if (get().sessions.current?.id === current.id) update({ savedStep: result.step, error: null });
        remember(current.id);
        if (firstSave && !current.named) await pruneAutoSessions(current.id);
        await refresh();
        return;
      } catch (error) {
        update({ error: `Could not save the session: ${message(error)}` });
        return;
      } finally {
        update({ saving: false });
      }
    }
  }

  const autosaver = createAutosaver(writeCurrent, { minIntervalMs: AUTOSAVE_INTERVAL_MS });

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

  /** Starts saving the session the store is training now. */
  function watchTraining(): void {
    let lastStep = -1;
    let wasPlaying = false;
    api.subscribe((state) => {
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
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') now();
      // Back in this tab: another tab may have saved, renamed or deleted sessions meanwhile.
      else void refresh().catch(() => undefined);
    });
    window.addEventListener('pagehide', now);
  }

  /** Loads a saved session into the engine, writable if this tab gets its lock. */
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
            ? `Could not resume “${meta.name}”: ${message(error)}`
            : `Could not load “${meta.name}”: ${message(error)} Nothing was changed.`,
      });
    } finally {
      update({ busy: false });
    }
  }

  return {
    sessions: {
      enabled: false,
      list: [],
      held: [],
      current: null,
      saving: false,
      savedStep: null,
      resumed: null,
      notice: null,
      error: null,
      busy: false,
    },
    enableSessions: async ({ resume }) => {
      if (get().sessions.enabled) return;
      update({ enabled: true });
      watchTraining();
      try {
        await refresh();
        let meta: SessionMeta | null = null;
        for (const id of resume ? remembered() : []) if ((meta = await getSessionMeta(id))) break;
        if (meta && get().training.status === 'idle') await open(meta, 'resume');
        // A model started before saving was on (a link's recipe) is saved from now on.
        else if (get().training.status === 'ready' && !get().sessions.current) get().beginSession();
      } catch (error) {
        update({ error: `Saved sessions are not available here: ${message(error)}` });
      }
    },
    beginSession: () => {
      if (!get().sessions.enabled) return;
      autosaver.cancel();
      const id = newSessionId();
      update({
        current: { id, name: autoName(), named: false, readOnly: false },
        savedStep: null,
        resumed: null,
      });
      void tryLockSession(id).then((held) => {
        if (get().sessions.current?.id === id) holdOnly(held);
        else held?.release();
      });
    },
    saveSession: async (name) => {
      const current = get().sessions.current;
      try {
        if (!current || get().training.status !== 'ready')
          throw new Error('Start training first: there is nothing to save yet.');
        if (current.readOnly)
          throw new Error('This session is open in another tab; continue as a copy to save here.');
        if (name !== undefined)
          update({ current: { ...current, name: checkSessionName(name), named: true } });
        await autosaver.flush();
      } catch (error) {
        update({ error: message(error) });
      }
    },
    loadSession: async (id) => {
      const meta = get().sessions.list.find((m) => m.id === id) ?? (await getSessionMeta(id));
      if (!meta) return update({ error: 'That session no longer exists.' });
      if (get().sessions.current?.id === id && !get().sessions.current?.readOnly)
        return update({ notice: `“${meta.name}” is the session you are training.` });
      await autosaver.flush();
      await open(meta, 'load');
      await refresh();
    },
    renameSession: async (id, name) => {
      try {
        const checked = checkSessionName(name);
        const current = get().sessions.current;
        if (current?.id === id) {
          if (current.readOnly)
            throw new Error('This session is open in another tab; it cannot be renamed here.');
          update({ current: { ...current, name: checked, named: true } });
          if (get().sessions.savedStep !== null) await autosaver.flush();
        } else {
          const renamed = await withSessionLock(id, () => renameSessionMeta(id, checked));
          if (!renamed) throw new Error('That session is open in another tab; rename it there.');
        }
        await refresh();
      } catch (error) {
        update({ error: message(error) });
      }
    },
    deleteSession: async (id) => {
      try {
        if (get().sessions.current?.id === id && !get().sessions.current?.readOnly)
          throw new Error('This is the session you are training. Start afresh or load another one first.');
        const deleted = await withSessionLock(id, () => deleteSessionRecords(id).then(() => true));
        if (!deleted) throw new Error('That session is open in another tab; it was not deleted.');
        await refresh();
      } catch (error) {
        update({ error: message(error) });
      }
    },
    exportSession: async (id) => {
      const current = get().sessions.current;
      if (current?.id === id && !current.readOnly) await autosaver.flush();
      const meta = await getSessionMeta(id);
      if (!meta) throw new Error('That session has not been saved yet.');
      const blob = await get().trainingEngine().exportFile(id);
      return { blob, fileName: fileNameFor(meta.name) };
    },
    importSession: async (file) => {
      update({ busy: true, error: null, notice: null });
      try {
        if (file.size > MAX_IMPORT_BYTES)
          throw new Error(`${Math.round(file.size / 2 ** 20)} MB is larger than any saved session.`);
        const meta = await get()
          .trainingEngine()
          .importFile(await file.arrayBuffer());
        update({ notice: `Imported “${meta.name}” (step ${meta.step}) as a new session.` });
        await refresh();
      } catch (error) {
        update({ error: `Could not import “${file.name}”: ${message(error)} Nothing was changed.` });
      } finally {
        update({ busy: false });
      }
    },
    continueAsCopy: async () => {
      const current = get().sessions.current;
      if (!current?.readOnly) return;
      const id = newSessionId();
      const held = await tryLockSession(id);
      holdOnly(held);
      update({
        current: {
          id,
          name: `${current.name} (copy)`.slice(0, MAX_NAME_LENGTH),
          named: true,
          readOnly: false,
        },
        savedStep: null,
        resumed: null,
      });
      await autosaver.flush();
    },
    refreshSessions: async () => {
      try {
        await refresh();
      } catch (error) {
        update({ error: message(error) });
      }
    },
    dismissSessionsMessage: () => update({ error: null, notice: null }),
  };
};
