/**
 * Keeps the "What the rows learned" slice fed while its view is open: the training Worker computes
 * a report after every step for the request the slice's picks and options make (`watchLearned`),
 * and once at once when the model is ready but not playing, so a paused model shows its numbers.
 *
 * A view opens the watch with one line, the store from `useLabStore()` (store/context.tsx):
 * `useEffect(() => watchLearned(store), [store])`. Under PacedLab that store is the paced one,
 * which shows the learned slice's changes at once (they are not among Play's step fields).
 */
import { errorMessage } from '../../core/errorMessage';
import type { LearnedRequest } from '../../core/learned/types';
import type { LabState, LabStore } from '../types';

/** Frequent pieces on the vocabulary map besides the picks. */
export const LEARNED_MAP_SIZE = 300;

/** The request the slice's state makes: the focus's neighbours, the picks on the map. */
function learnedRequestOf(state: LabState): LearnedRequest {
  return {
    pieces: state.learnedFocus === null ? [] : [state.learnedFocus],
    mapPieces: [...state.learnedPicks],
    k: state.learnedK,
    centred: state.learnedCentred,
    mapSize: LEARNED_MAP_SIZE,
  };
}

/**
 * Sends the slice's request to the engine whenever it changes or a model (re)starts, until the
 * returned function is called; that stops the engine's reports. Errors go to `learnedError`.
 */
export function watchLearned(store: LabStore): () => void {
  let active = true;
  /** The request last sent, and the model (its vocabulary array, new on every start) it went to. */
  let sent: { key: string; model: readonly string[] } | null = null;
  let asks = 0;
  const fail = (error: unknown) => {
    if (active) store.getState().setLearnedError(errorMessage(error));
  };

  const sync = () => {
    const state = store.getState();
    const { status, vocab, snapshot } = state.training;
    if (!active || status !== 'ready' || vocab === null) return;
    const request = learnedRequestOf(state);
    const key = JSON.stringify(request);
    if (sent?.key === key && sent.model === vocab) return;
    sent = { key, model: vocab };
    const engine = state.trainingEngine();
    engine.watchLearned(request).catch(fail);
    // While playing, the next step's report comes within a fraction of a second; paused, ask now.
    if (snapshot?.playing) return;
    const ask = ++asks;
    engine.learned(request).then((report) => {
      if (active && ask === asks) store.getState().showLearned(report);
    }, fail);
  };

  sync();
  const unsubscribe = store.subscribe(sync);
  return () => {
    active = false;
    unsubscribe();
    if (sent !== null && store.getState().training.status === 'ready')
      store
        .getState()
        .trainingEngine()
        .watchLearned(null)
        .catch(() => undefined); // a stopped engine pushes nothing anyway
  };
}
