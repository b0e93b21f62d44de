import type { StateCreator } from 'zustand';
import type { EmbeddingTables, PairTrace } from '../engine/session';
import type { LabState } from './labStore';

/** What the all-positions matrix shows: one of the three lookups, their sum, or LayerNorm's output. */
export const SUM_COMPONENTS = ['token', 'segment', 'position', 'sum', 'output'] as const;
export type SumComponent = (typeof SUM_COMPONENTS)[number];

/**
 * The stages of one position's walk through Figure 2 of the BERT paper, in order: look the rows up,
 * bring them together, add them cell by cell, take the sum's mean and spread, normalize, scale by γ
 * and shift by β.
 */
export const SUM_STAGES = ['lookup', 'gather', 'add', 'stats', 'normalize', 'affine'] as const;
export type SumStage = (typeof SUM_STAGES)[number];
export const LAST_STAGE = SUM_STAGES.length - 1;

/** Paused; playing the stages of the selected position once; or walking through every position. */
export type SumPlay = 'paused' | 'once' | 'all';

/** ‖E_token[id]‖ for the ids of the pair on show, after one observed training step. */
export interface RowNormPoint {
  readonly step: number;
  readonly norms: ReadonlyMap<number, number>;
}

/** The sparkline keeps this many observed steps. */
const NORM_HISTORY_LIMIT = 300;

export interface SumSlice {
  sumPosition: number;
  sumComponent: SumComponent;
  /** Index into SUM_STAGES of the stage on show. */
  sumStage: number;
  sumPlay: SumPlay;
  /** Animation speed: 1 is the normal pace. */
  sumSpeed: number;
  sumTrace: PairTrace | null;
  sumTables: EmbeddingTables | null;
  sumError: string | null;
  sumNormHistory: readonly RowNormPoint[];
  setSumPosition(position: number): void;
  setSumComponent(component: SumComponent): void;
  setSumStage(stage: number): void;
  setSumPlay(play: SumPlay): void;
  /** Selects a position and replays its stages from the lookup, or shows the end at once. */
  selectSumPosition(position: number, animate: boolean): void;
  setSumSpeed(speed: number): void;
  /** Reads the trace of the current pair and the tables from the engine, with its weights of now. */
  refreshSum(): Promise<void>;
  /**
   * Shows a trace made outside the engine (a fresh run's step 0 from the seed, store/stepZero.ts,
   * while the engine loads; its own numbers replace it once it is up), or clears the view (null).
   */
  showSum(sum: { readonly trace: PairTrace; readonly tables: EmbeddingTables } | null): void;
}

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

export const createSumSlice: StateCreator<LabState, [], [], SumSlice> = (set, get) => {
  // Refreshes never overlap: a request that arrives while one is in flight runs once, afterwards,
  // with whatever the pair and the weights are then. Continuous training therefore costs at most
  // one trace and one tables read at a time.
  let inFlight: Promise<void> | null = null;
  let again = false;

  /** Puts a trace and its tables on show, with their row norms in the sparkline's history. */
  const show = (trace: PairTrace, tables: EmbeddingTables) =>
    set({
      sumTrace: trace,
      sumTables: tables,
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
      set({ sumError: error instanceof Error ? error.message : String(error) });
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
    showSum: (sum) => (sum ? show(sum.trace, sum.tables) : set({ sumTrace: null, sumTables: null })),
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
