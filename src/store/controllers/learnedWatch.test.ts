import { describe, expect, it } from 'vitest';
import type { LearnedReport, LearnedRequest } from '../../core/learned/types';
import type { TrainEngineClient } from '../../engine/trainClient';
import type { EngineSnapshot } from '../../engine/trainProtocol';
import { createLabStore } from '../labStore';
import type { LabStore } from '../types';
import { LEARNED_MAP_SIZE, watchLearned } from './learnedWatch';

/** An engine client that records the learned commands and answers `learned` when told to. */
function fakeEngine() {
  const watched: (LearnedRequest | null)[] = [];
  const asked: {
    request: LearnedRequest;
    resolve: (r: LearnedReport) => void;
    reject: (e: Error) => void;
  }[] = [];
  let refuseWatch: string | null = null;
  const client = {
    watchLearned: async (request: LearnedRequest | null) => {
      watched.push(request);
      if (refuseWatch) throw new Error(refuseWatch);
    },
    learned: (request: LearnedRequest) =>
      new Promise<LearnedReport>((resolve, reject) => asked.push({ request, resolve, reject })),
  } as unknown as TrainEngineClient;
  return { client, watched, asked, refuse: (message: string) => (refuseWatch = message) };
}

const reportFor = (request: LearnedRequest, step = 3) =>
  ({ step, k: request.k, centred: request.centred }) as unknown as LearnedReport;

function storeWith(engine: TrainEngineClient, playing = false): LabStore {
  const store = createLabStore();
  store.setState({ trainingEngine: () => engine });
  ready(store, ['[PAD]', 'the', 'he'], playing);
  return store;
}

/** A model (re)started: status ready, a new vocabulary array, playing or not. */
function ready(store: LabStore, vocab: readonly string[], playing = false) {
  const snapshot = { playing } as EngineSnapshot;
  store.setState({ training: { ...store.getState().training, status: 'ready', vocab, snapshot } });
}

const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('watchLearned', () => {
  it('sends the slice’s request, asks once while paused, and shows the reply', async () => {
    const engine = fakeEngine();
    const store = storeWith(engine.client);
    const stop = watchLearned(store);
    const s = store.getState();
    const want: LearnedRequest = {
      pieces: [s.learnedFocus!],
      mapPieces: s.learnedPicks,
      k: 10,
      centred: true,
      mapSize: LEARNED_MAP_SIZE,
    };
    expect(engine.watched).toEqual([want]);
    expect(engine.asked.map((a) => a.request)).toEqual([want]);
    engine.asked[0]!.resolve(reportFor(want));
    await flush();
    expect(store.getState().learned?.step).toBe(3);
    stop();
  });

  it('sends again when the picks or options change, and only then', () => {
    const engine = fakeEngine();
    const store = storeWith(engine.client);
    const stop = watchLearned(store);
    store.getState().setLearnedK(5);
    store.getState().setLearnedCentred(false);
    store.setState({ sentenceA: 'unrelated' });
    expect(engine.watched.map((r) => [r?.k, r?.centred])).toEqual([
      [10, true],
      [5, true],
      [5, false],
    ]);
    store.getState().unpickPiece(store.getState().learnedFocus!);
    expect(engine.watched.at(-1)?.pieces).toEqual([store.getState().learnedFocus]);
    stop();
  });

  it('does not ask while training plays: the step’s push brings the report', () => {
    const engine = fakeEngine();
    const stop = watchLearned(storeWith(engine.client, true));
    expect(engine.watched).toHaveLength(1);
    expect(engine.asked).toHaveLength(0);
    stop();
  });

  it('waits for a model, sends again when it restarts, and ignores a stale reply', async () => {
    const engine = fakeEngine();
    const store = createLabStore();
    store.setState({ trainingEngine: () => engine.client });
    const stop = watchLearned(store);
    expect(engine.watched).toHaveLength(0);
    ready(store, ['a', 'b']);
    ready(store, ['a', 'b']); // a restart: a new vocabulary array
    expect(engine.watched).toHaveLength(2);
    engine.asked[0]!.resolve(reportFor(engine.asked[0]!.request, 1));
    engine.asked[1]!.resolve(reportFor(engine.asked[1]!.request, 0));
    await flush();
    expect(store.getState().learned?.step).toBe(0);
    stop();
  });

  it('puts a refused request, or a failed read, in learnedError', async () => {
    const engine = fakeEngine();
    const refusal = 'The number of neighbours must be a whole number from 1 to 50, not 0.';
    engine.refuse(refusal);
    const store = storeWith(engine.client);
    const stop = watchLearned(store);
    await flush();
    expect(store.getState().learnedError).toBe(refusal);
    engine.asked[0]!.reject(new Error('The model is not initialised yet.'));
    await flush();
    expect(store.getState().learnedError).toBe('The model is not initialised yet.');
    stop();
  });

  it('stops the engine’s reports when stopped, and sends nothing after', () => {
    const engine = fakeEngine();
    const store = storeWith(engine.client);
    const stop = watchLearned(store);
    stop();
    expect(engine.watched.at(-1)).toBeNull();
    store.getState().setLearnedK(3);
    expect(engine.watched).toHaveLength(2);
  });
});
