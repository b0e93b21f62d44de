import { describe, expect, it, vi } from 'vitest';
import type { PairTrace, SessionTables } from '../engine/session';
import type { TrainEngineClient } from '../engine/trainClient';
import { createLabStore } from './labStore';
import { DRIFT_WHILE_PLAYING_MS, rowNorm } from './sumSlice';
import { LAST_STAGE } from './types';

const H = 2;

/** A stand-in engine whose step the test sets; it counts trace calls and answers asynchronously, as a Worker does. */
function fakeEngine() {
  const engine = { step: 0, traces: 0 };
  const client = {
    trace: async () => {
      engine.traces++;
      await Promise.resolve();
      return { seqLength: 3, hidden: H, inputIds: [2, 7, 3], step: engine.step } as unknown as PairTrace;
    },
    tables: async () =>
      ({
        vocabSize: 10,
        hidden: H,
        step: engine.step,
        token: Float32Array.from({ length: 10 * H }, (_, i) => i + engine.step),
        tokenAtStart: Float32Array.from({ length: 10 * H }, (_, i) => i),
      }) as unknown as SessionTables,
  } as unknown as TrainEngineClient;
  return { engine, client };
}

describe('embedding sum slice', () => {
  it('rowNorm is the Euclidean norm of one row', () => {
    expect(rowNorm(Float32Array.of(0, 0, 3, 4), 1, 2)).toBe(5);
  });

  it('coalesces refreshes that arrive while one is in flight into one more read', async () => {
    const store = createLabStore();
    const { engine, client } = fakeEngine();
    store.setState({ trainingEngine: () => client });
    const all = [store.getState().refreshSum(), store.getState().refreshSum(), store.getState().refreshSum()];
    await Promise.all(all);
    expect(engine.traces).toBe(2);
    expect(store.getState().sumTrace?.seqLength).toBe(3);
  });

  it('records the pair’s token-row norms per step and forgets them when the engine restarts', async () => {
    const store = createLabStore();
    const { engine, client } = fakeEngine();
    store.setState({ trainingEngine: () => client });
    for (const step of [0, 1, 2]) {
      engine.step = step;
      await store.getState().refreshSum();
    }
    const history = store.getState().sumNormHistory;
    expect(history.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(history[2]!.norms.get(7)).toBeCloseTo(Math.hypot(16, 17), 5);
    engine.step = 0;
    await store.getState().refreshSum();
    expect(store.getState().sumNormHistory.map((p) => p.step)).toEqual([0]);
  });

  it('keeps E_token’s change since step 0 beside the tables: here every row moved by the same vector', async () => {
    const store = createLabStore();
    const { engine, client } = fakeEngine();
    store.setState({ trainingEngine: () => client });
    await store.getState().refreshSum();
    expect(store.getState().sumDrift).toMatchObject({ step: 0, meanNorm: 0, commonShare: 0 });
    engine.step = 2;
    await store.getState().refreshSum();
    const drift = store.getState().sumDrift!;
    // Every cell is 2 more than at step 0: all of the movement is the shared vector (2, 2).
    expect(drift.step).toBe(2);
    expect(drift.meanNorm).toBeCloseTo(Math.hypot(2, 2), 6);
    expect(drift.medianChange).toBeCloseTo(Math.hypot(2, 2), 6);
    expect(drift.medianCentred).toBeCloseTo(0, 6);
    expect(drift.commonShare).toBeCloseTo(1, 6);
  });

  it('while training plays, the drift is recomputed at most once a DRIFT_WHILE_PLAYING_MS; paused, every read', async () => {
    vi.useFakeTimers();
    try {
      const store = createLabStore();
      const { engine, client } = fakeEngine();
      const playing = (on: boolean) =>
        store.setState((s) => ({
          trainingEngine: () => client,
          training: { ...s.training, snapshot: { playing: on } as never },
        }));
      playing(true);
      await store.getState().refreshSum();
      engine.step = 1;
      vi.advanceTimersByTime(DRIFT_WHILE_PLAYING_MS / 4);
      await store.getState().refreshSum();
      // The tables are step 1's; the drift on show is still step 0's, and says so.
      expect(store.getState().sumTables!.step).toBe(1);
      expect(store.getState().sumDrift!.step).toBe(0);
      engine.step = 2;
      vi.advanceTimersByTime(DRIFT_WHILE_PLAYING_MS);
      await store.getState().refreshSum();
      expect(store.getState().sumDrift!.step).toBe(2);
      engine.step = 3;
      playing(false);
      await store.getState().refreshSum();
      expect(store.getState().sumDrift!.step).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('selecting a position clamps it to the sequence and replays or cuts to the end', async () => {
    const store = createLabStore();
    store.setState({ trainingEngine: () => fakeEngine().client });
    await store.getState().refreshSum();
    store.getState().selectSumPosition(9, true);
    expect(store.getState()).toMatchObject({ sumPosition: 2, sumStage: 0, sumPlay: 'once' });
    store.getState().selectSumPosition(1, false);
    expect(store.getState()).toMatchObject({ sumPosition: 1, sumStage: LAST_STAGE, sumPlay: 'paused' });
  });
});
