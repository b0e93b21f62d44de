import { errorMessage } from '../core/errorMessage';
import type { StateCreator } from 'zustand';
import { tokenDrift, type TokenDrift } from '../core/train/drift';
import type { EmbeddingTables, PairTrace, SessionTables } from '../engine/session';
import { LAST_STAGE, type LabState, type RowNormPoint, type SumSlice } from './types';

/** While training plays, the common drift is recomputed at most this often (see driftFor). */
export const DRIFT_WHILE_PLAYING_MS = 1000;

/** The sparkline keeps this many observed steps. */
const NORM_HISTORY_LIMIT = 300;

/** Euclidean norm of row `id` of a row-major [rows, H] table. */
export function rowNorm(table: Float32Array, id: number, H: number): number {
  let s = 0;
  for (let j = id * H; j < (id + 1) * H; j++) s += table[j]! ** 2;
  return Math.sqrt(s);
}

/** The sparkline's history with the row norms of the pair's ids at `tables.step`. */
function withNorms(
  history: readonly RowNormPoint[],
  tables: EmbeddingTables,
  ids: readonly number[],
): RowNormPoint[] {
  const point: RowNormPoint = {
    step: tables.step,
    norms: new Map([...new Set(ids)].map((id) => [id, rowNorm(tables.token, id, tables.hidden)])),
  };
  const last = history[history.length - 1];
  // A restarted engine counts from 0 again: the old curve belongs to other weights.
  const kept = last && last.step > tables.step ? [] : history.filter((p) => p.step !== tables.step);
  return [...kept, point].slice(-NORM_HISTORY_LIMIT);
}

/**
 * E_token's drift since step 0 for tables read from the engine (which sends its step-0 copy), or
 * for step-0 tables made from the seed (nothing has moved); null when the start is not known.
 */
function driftOf(tables: EmbeddingTables | SessionTables): TokenDrift | null {
  const start = 'tokenAtStart' in tables ? tables.tokenAtStart : tables.step === 0 ? tables.token : null;
  const cells = tables.vocabSize * tables.hidden;
  if (!start || start.length !== cells || tables.token.length !== cells) return null;
  return tokenDrift(tables.token, start, tables.vocabSize, tables.hidden, tables.step);
}

export const createSumSlice: StateCreator<LabState, [], [], SumSlice> = (set, get) => {
  // Refreshes never overlap: a request that arrives while one is in flight runs once, afterwards,
  // with whatever the pair and the weights are then. Continuous training therefore costs at most
  // one trace and one tables read at a time.
  let inFlight: Promise<void> | null = null;
  let again = false;
  let driftAt = -Infinity;

  /**
   * The drift for these tables, or, while training plays, the last one if it is younger than
   * DRIFT_WHILE_PLAYING_MS: two passes over V × H numbers took ~80 ms of the page's main thread per
   * read in headless Chromium here (bench:play's longest frames), four times a second. The drift
   * keeps its own step (data-step), and a paused model's last read is always fresh.
   */
  const driftFor = (tables: EmbeddingTables | SessionTables): TokenDrift | null => {
    const previous = get().sumDrift;
    const now = performance.now();
    const playing = get().training.snapshot?.playing ?? false;
    if (playing && previous && previous.step <= tables.step && now - driftAt < DRIFT_WHILE_PLAYING_MS)
      return previous;
    driftAt = now;
    return driftOf(tables);
  };

  /** Puts a trace and its tables on show, with their row norms in the sparkline's history. */
  const show = (trace: PairTrace, tables: EmbeddingTables | SessionTables) =>
    set({
      sumTrace: trace,
      sumTables: tables,
      sumDrift: driftFor(tables),
      sumError: null,
      sumPosition: Math.min(get().sumPosition, trace.seqLength - 1),
      sumNormHistory: withNorms(get().sumNormHistory, tables, trace.inputIds),
    });

  const readOnce = async () => {
    const { sentenceA, sentenceB, trainingEngine } = get();
    const engine = trainingEngine();
    try {
      // As in Tokenize & Pack: an empty B box means no sentence B.
      const b = sentenceB === '' ? undefined : sentenceB;
      const [trace, tables] = await Promise.all([engine.trace(sentenceA, b), engine.tables()]);
      show(trace, tables);
    } catch (error) {
      set({ sumError: errorMessage(error) });
    }
  };

  return {
    sumPosition: 0,
    sumComponent: 'output',
    sumStage: LAST_STAGE,
    sumPlay: 'paused',
    sumSpeed: 1,
    sumTrace: null,
    sumTables: null,
    sumDrift: null,
    sumError: null,
    sumNormHistory: [],
    setSumPosition: (sumPosition) => {
      const T = get().sumTrace?.seqLength ?? 1;
      set({ sumPosition: Math.max(0, Math.min(T - 1, sumPosition)) });
    },
    setSumComponent: (sumComponent) => set({ sumComponent }),
    setSumStage: (sumStage) => set({ sumStage: Math.max(0, Math.min(LAST_STAGE, sumStage)) }),
    setSumPlay: (sumPlay) => set({ sumPlay }),
    selectSumPosition: (position, animate) => {
      const T = get().sumTrace?.seqLength ?? 1;
      set({
        sumPosition: Math.max(0, Math.min(T - 1, position)),
        sumStage: animate ? 0 : LAST_STAGE,
        sumPlay: animate ? 'once' : 'paused',
      });
    },
    setSumSpeed: (sumSpeed) => set({ sumSpeed }),
    showSum: (sum) =>
      sum ? show(sum.trace, sum.tables) : set({ sumTrace: null, sumTables: null, sumDrift: null }),
    refreshSum: () => {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      inFlight = (async () => {
        do {
          again = false;
          await readOnce();
        } while (again);
        inFlight = null;
      })();
      return inFlight;
    },
  };
};
