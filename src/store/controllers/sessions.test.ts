import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveSessionRequest } from '../../engine/trainProtocol';
import type { LabState, SessionsView } from '../types';
import { createSessionsController } from './sessions';

/**
 * The controller's page listeners, driven by stand-in `document` and `window` event targets: a
 * hidden tab or a closing page saves the session at once, and once the undo from `watch()` has run
 * neither does anything.
 */
describe('sessions controller', () => {
  let saves: SaveSessionRequest[];
  let sessions: SessionsView;
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const win = new EventTarget();

  beforeEach(() => {
    vi.stubGlobal('document', doc);
    vi.stubGlobal('window', win);
    saves = [];
    sessions = {
      enabled: true,
      list: [],
      held: [],
      current: { id: 's1', name: 'Run', named: true, readOnly: false },
      saving: false,
      savedStep: 2,
      resumed: null,
      notice: null,
      error: null,
      busy: false,
    };
  });
  afterEach(() => vi.unstubAllGlobals());

  function controller() {
    const state = {
      get sessions() {
        return sessions;
      },
      training: {
        status: 'ready',
        snapshot: { step: 3, playing: false, config: {} },
        history: [],
        rows: null,
        frames: [],
        lastReport: null,
        comparison: null,
      },
      trainingEngine: () => ({
        save: async (request: SaveSessionRequest) => {
          saves.push(request);
          return { step: 3 };
        },
      }),
    } as unknown as LabState;
    const c = createSessionsController({
      get: () => state,
      subscribe: () => () => undefined,
      update: (patch) => (sessions = { ...sessions, ...patch }),
    });
    c.holdOnly({ id: 's1', release: () => undefined });
    return c;
  }

  /** Lets the save's promise chain (all settled promises, no timers) run to its end. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('saves when the page is hidden or closed, and not after the listeners are removed', async () => {
    const c = controller();
    const stop = c.watch();
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(saves.map((s) => [s.id, s.expectStep])).toEqual([['s1', 3]]);
    win.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(saves).toHaveLength(2);

    stop();
    doc.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(saves).toHaveLength(2);
  });

  it('saves nothing for a session another tab holds', async () => {
    sessions = { ...sessions, current: { ...sessions.current!, readOnly: true } };
    const c = controller();
    const stop = c.watch();
    win.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(saves).toEqual([]);
    stop();
  });
});
