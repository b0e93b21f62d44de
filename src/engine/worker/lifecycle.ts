/** Starting a model: fresh from settings and a seed, or continuing a saved session. */
import { getSessionRecord } from '../../persist/db';
import { defaultVocab } from '../microVocab';
import { checkRecord, restoreInto, type CheckedSession } from '../persistJobs';
import { checkInputs, createSession } from '../session';
import type { RestoredSession } from '../trainProtocol';
import type { EngineSettings } from '../../core/domain/settings';
import { notice, phase, type Engine } from './engine';
import { postSnapshot } from './health';
import { placeOnBackend, probed, startOn, switchTo } from './placement';

/** Drops the running sessions (and, with them, their tensors). */
function dropSessions(engine: Engine): void {
  engine.session?.dispose();
  engine.session = null;
  engine.compare?.dispose();
  engine.compare = null;
}

/**
 * Starts a new session and replies with its vocabulary (the page shows tokens by id). With
 * `saved`, the new session continues a saved one: its weights, moments, step and data stream.
 */
export async function init(
  engine: Engine,
  next: EngineSettings,
  given: readonly string[] | null,
  corpus: string,
  saved: CheckedSession | null = null,
): Promise<readonly string[]> {
  const vocab =
    given ??
    defaultVocab(corpus, (size, target) =>
      phase(engine, {
        name: 'vocab',
        detail: `Training the micro vocabulary on the corpus: ${size} of ${target} word pieces…`,
        fraction: size / target,
      }),
    );
  // Bad settings are refused here, before the running session is dropped: it keeps training.
  checkInputs(next, vocab);
  engine.playing = false;
  dropSessions(engine);
  engine.good = null;
  engine.settings = next;
  engine.vocab = vocab;
  engine.corpus = corpus;
  engine.generation++;
  try {
    // Numbers first: no backend is timed before the model exists (backendRace.ts).
    phase(engine, {
      name: 'probe',
      detail: `Starting the ${next.backend === 'auto' ? 'wasm' : next.backend} backend…`,
    });
    await switchTo(engine, await startOn(engine, next.backend));
    phase(engine, {
      name: 'model',
      detail: `Building the model on ${engine.backend} from seed ${next.seed}…`,
    });
    engine.session = createSession(next, vocab, corpus);
    if (next.compareOptimizer !== 'off')
      engine.compare = createSession({ ...next, optimizer: next.compareOptimizer }, vocab, corpus);
    if (saved) restoreInto(saved, engine.session, engine.compare);
    await placeOnBackend(engine);
    engine.lastMs = null;
    // The first good snapshot is taken in the background or before the first step, whichever
    // comes first (runStep), so the first numbers do not wait for a copy of every weight.
    return vocab;
  } catch (error) {
    // A half-built session (say, a restore that failed) must not stay behind as if it were good.
    dropSessions(engine);
    throw error;
  } finally {
    // Also on failure: the page learns that there is no model now (config null).
    phase(engine, null);
    postSnapshot(engine);
  }
}

/** Loads a saved session: every check passes before the running session is touched. */
export async function restore(engine: Engine, sessionId: string): Promise<RestoredSession> {
  const record = await getSessionRecord(sessionId);
  if (!record) throw new Error('That saved session no longer exists.');
  const checked = checkRecord(record);
  const { header } = checked;
  // A session saved on a backend this machine lacks (say, WebGPU) continues on 'auto' here.
  const saved = header.settings.backend;
  const usable = saved === 'auto' || (await probed(engine, saved)).available;
  const next: EngineSettings = usable ? header.settings : { ...header.settings, backend: 'auto' };
  await init(engine, next, header.vocab, header.corpus, checked);
  if (!usable)
    notice(
      engine,
      'info',
      `This session was trained on ${saved}, which is not available here; it continues on ${engine.backend}.`,
    );
  return { settings: next, vocab: header.vocab, step: header.main.step, page: checked.page };
}
