/**
 * What the engine does after a start, in the background: the first good snapshot, probing the
 * backends nobody has looked at, and for 'auto' the race (backgroundRace.ts), whose winner takes
 * the model over between two steps.
 */
import { errorMessage } from '../../core/errorMessage';
import { raceKey } from '../backendRace';
import { probeBackend, useBackend } from '../backends';
import { probePending, raceInBackground, type BackgroundHost } from '../backgroundRace';
import { createSession } from '../session';
import type { BackendName } from '../../core/domain/settings';
import { notice, queue, type Engine } from './engine';
import { postSnapshot, takeSnapshot } from './health';
import { moveTo, placeSession, setStatus, statusOf } from './placement';

/**
 * The background work waits for the page's first numbers: it starts after the first command that
 * follows a start (the Embedding sum's trace, a step), or after this long if none comes.
 */
const BACKGROUND_AFTER_MS = 1_500;

export function startBackground(engine: Engine): void {
  const go = () => {
    if (engine.backgroundDue !== go) return;
    engine.backgroundDue = null;
    afterStart(engine).catch((error: unknown) =>
      notice(engine, 'warning', `Checking the other backends failed: ${errorMessage(error)}`),
    );
  };
  engine.backgroundDue = go;
  setTimeout(go, BACKGROUND_AFTER_MS);
}

/** The race's view of the engine: its queue, its backends, and trial sessions of the same settings. */
function raceHost(engine: Engine, generation: number): BackgroundHost {
  return {
    queue: engine.work,
    stale: () => generation !== engine.generation || engine.session === null,
    backends: () => engine.backends,
    setStatus: (status) => {
      setStatus(engine, status);
      postSnapshot(engine);
    },
    current: () => engine.backend ?? 'cpu',
    useBackend,
    probe: probeBackend,
    newTrial: async (name) => {
      const trial = createSession(engine.settings, engine.vocab, engine.corpus);
      try {
        await placeSession(trial, name);
      } catch (error) {
        trial.dispose();
        throw error;
      }
      return trial;
    },
    say: (text) => {
      engine.background = text;
      postSnapshot(engine);
    },
  };
}

/** The background work of one start: probe the other backends, then race them for 'auto'. */
async function afterStart(engine: Engine): Promise<void> {
  const mine = engine.generation;
  await engine.work.background(async () => {
    if (mine === engine.generation && engine.good === null) await takeSnapshot(engine);
  });
  const host = raceHost(engine, mine);
  await probePending(host);
  if (host.stale() || engine.settings.backend !== 'auto') return;
  const key = raceKey(engine.settings, engine.vocab.length);
  if (engine.raceWinners.has(key)) return;
  const result = await raceInBackground(host);
  if (host.stale()) return;
  if (!result) {
    engine.raceWinners.set(key, host.current());
    return;
  }
  for (const [name, reason] of result.failed)
    setStatus(engine, {
      ...statusOf(engine, name)!,
      available: false,
      reason: `It failed a trial step: ${reason}`,
    });
  engine.backends = engine.backends.map((b) => {
    const ms = result.measured.get(b.name);
    return ms === undefined ? b : { ...b, measuredMs: ms };
  });
  engine.raceWinners.set(key, result.name);
  const from = host.current();
  if (result.name !== from)
    await queue(engine, async () => {
      if (host.stale()) return;
      await moveTo(engine, result.name);
      const ms = (name: BackendName) => Math.round(result.measured.get(name) ?? NaN);
      notice(
        engine,
        'info',
        `Training moved to ${result.name}, which the background race timed at ${ms(result.name)} ms a step against ${ms(from)} ms on ${from}. The weights, the optimizer state and the step carried over.`,
      );
    });
  postSnapshot(engine);
}
