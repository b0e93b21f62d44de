import { errorMessage } from '../core/errorMessage';
import type { StateCreator } from 'zustand';
import {
  deleteSessionRecords,
  getSessionMeta,
  newSessionId,
  renameSessionMeta,
  type SessionMeta,
} from '../persist/db';
import { tryLockSession, withSessionLock } from '../persist/lock';
import { createSessionsController, remembered, type SessionsController } from './controllers/sessions';
import { MAX_NAME_LENGTH } from '../persist/limits';
import type { LabState, SessionsSlice, SessionsView } from './types';

const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

function checkSessionName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A session needs a name.');
  if (trimmed.length > MAX_NAME_LENGTH)
    throw new Error(`A name can be at most ${MAX_NAME_LENGTH} characters.`);
  return trimmed;
}

const fileNameFor = (name: string) =>
  `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'session'}.bertlab`;

/** The actions on the list of saved sessions: open, rename, delete, export, import, refresh. */
function savedSessionActions(
  get: () => LabState,
  update: (patch: Partial<SessionsView>) => void,
  controller: SessionsController,
): Pick<
  SessionsSlice,
  'loadSession' | 'renameSession' | 'deleteSession' | 'exportSession' | 'importSession' | 'refreshSessions'
> {
  const { autosaver, refresh } = controller;
  return {
    loadSession: async (id) => {
      const meta = get().sessions.list.find((m) => m.id === id) ?? (await getSessionMeta(id));
      if (!meta) return update({ error: 'That session no longer exists.' });
      if (get().sessions.current?.id === id && !get().sessions.current?.readOnly)
        return update({ notice: `“${meta.name}” is the session you are training.` });
      await autosaver.flush();
      await controller.open(meta, 'load');
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
        update({ error: errorMessage(error) });
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
        update({ error: errorMessage(error) });
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
        update({ error: `Could not import “${file.name}”: ${errorMessage(error)} Nothing was changed.` });
      } finally {
        update({ busy: false });
      }
    },
    refreshSessions: async () => {
      try {
        await refresh();
      } catch (error) {
        update({ error: errorMessage(error) });
      }
    },
  };
}

export const createSessionsSlice: StateCreator<LabState, [], [], SessionsSlice> = (set, get, api) => {
  const update = (patch: Partial<SessionsView>) => set({ sessions: { ...get().sessions, ...patch } });
  const controller = createSessionsController({ get, subscribe: api.subscribe, update });
  const { autosaver, holdOnly, refresh } = controller;
  let stopWatching: (() => void) | null = null;
  const autoName = () => {
    const s = get().training.settings;
    const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    return `${s.preset} · ${s.optimizer} · seed ${s.seed} · ${time}`;
  };

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
      stopWatching = controller.watch();
      try {
        await refresh();
        let meta: SessionMeta | null = null;
        for (const id of resume ? remembered() : []) if ((meta = await getSessionMeta(id))) break;
        if (meta && get().training.status === 'idle') await controller.open(meta, 'resume');
        // A model started before saving was on (a link's recipe) is saved from now on.
        else if (get().training.status === 'ready' && !get().sessions.current) get().beginSession();
      } catch (error) {
        update({ error: `Saved sessions are not available here: ${errorMessage(error)}` });
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
        update({ error: errorMessage(error) });
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
    disableSessions: () => {
      stopWatching?.();
      stopWatching = null;
      autosaver.cancel();
      holdOnly(null);
      update({ enabled: false });
    },
    dismissSessionsMessage: () => update({ error: null, notice: null }),
    ...savedSessionActions(get, update, controller),
  };
};
