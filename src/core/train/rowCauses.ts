/**
 * Why each row of E_token moved in one step, and how often that happened over a run.
 *
 * E_token[r] can change for three reasons, checked in this order:
 *   1. lookup:   r is an id of the batch, so the input lookup scattered dL/dx into it. We classify
 *                by membership of `lookupRows`, not by ‖g‖ > 0: [PAD] is looked up but gets an
 *                exactly zero gradient (attention masks it out), and counting it keeps the count
 *                equal to the number of distinct ids in the batch.
 *   2. output:   not looked up, but the tied output projection logits = h · E_tokenᵀ sends
 *                dL/dE_token[r] = Σ_m (p_m[r] − y_m[r]) h_m to every row: softmax gives each row a
 *                small share of probability, hence a small gradient.
 *   3. momentum: no gradient at all this step, yet ‖Δrow‖ > 0: the optimizer's state moved it
 *                (SGD momentum v ← μv + g, Adam's m/√v that decay but are not zero) or weight decay.
 *   4. unchanged: ‖Δrow‖ = 0.
 */
import type { StepReport } from './step';

export const ROW_CAUSES = ['lookup', 'output', 'momentum', 'unchanged'] as const;
export type RowCause = (typeof ROW_CAUSES)[number];
/** A cause as its index in ROW_CAUSES, as stored in a Uint8Array. */
export const CAUSE_INDEX: Readonly<Record<RowCause, number>> = {
  lookup: 0,
  output: 1,
  momentum: 2,
  unchanged: 3,
};

export type CauseCounts = Readonly<Record<RowCause, number>>;

/** The parts of a step report the classification reads. */
export type RowStepFacts = Pick<StepReport, 'lookupRows' | 'outputGradRowNorm' | 'updateRowNorm'>;

export interface RowClassification {
  /** The cause of every row, as an index into ROW_CAUSES: [V]. */
  readonly causes: Uint8Array;
  readonly counts: CauseCounts;
}

export function classifyRows(step: RowStepFacts): RowClassification {
  const V = step.updateRowNorm.length;
  const causes = new Uint8Array(V);
  const counts = [0, 0, 0, 0];
  const looked = new Uint8Array(V);
  for (const id of step.lookupRows) if (id >= 0 && id < V) looked[id] = 1;
  for (let r = 0; r < V; r++) {
    const cause = looked[r]
      ? CAUSE_INDEX.lookup
      : (step.outputGradRowNorm[r] ?? 0) > 0
        ? CAUSE_INDEX.output
        : (step.updateRowNorm[r] ?? 0) > 0
          ? CAUSE_INDEX.momentum
          : CAUSE_INDEX.unchanged;
    causes[r] = cause;
    counts[cause]!++;
  }
  return {
    causes,
    counts: { lookup: counts[0]!, output: counts[1]!, momentum: counts[2]!, unchanged: counts[3]! },
  };
}

/** Per-row counters over a run: how many steps each cause touched each row, and its frequency. */
export interface RowStats {
  readonly vocabSize: number;
  /** Steps accumulated. */
  readonly steps: number;
  /** byCause[cause][r]: steps in which row r moved (or stayed) for that cause: [V] each. */
  readonly byCause: Readonly<Record<RowCause, Uint32Array>>;
  /** How often id r occurred in the batches' inputIds so far (after masking, [PAD] included): [V]. */
  readonly frequency: Uint32Array;
  /** The last step's classification, or null before the first step. */
  readonly last: RowClassification | null;
  /** The last step's ‖ΔE_token[r]‖: [V]. */
  readonly lastUpdateNorm: Float32Array;
}

export function createRowStats(vocabSize: number): RowStats {
  return {
    vocabSize,
    steps: 0,
    byCause: {
      lookup: new Uint32Array(vocabSize),
      output: new Uint32Array(vocabSize),
      momentum: new Uint32Array(vocabSize),
      unchanged: new Uint32Array(vocabSize),
    },
    frequency: new Uint32Array(vocabSize),
    last: null,
    lastUpdateNorm: new Float32Array(vocabSize),
  };
}

/**
 * Adds one step to the counters. The typed arrays are updated in place (copying five arrays of V
 * numbers per step would be wasted work); the returned object is new, so a store sees the change.
 * A step of another vocabulary size starts the counters afresh.
 */
export function accumulateRows(
  stats: RowStats,
  step: RowStepFacts & { readonly batch: { readonly inputIds: ArrayLike<number> } },
): RowStats {
  const V = step.updateRowNorm.length;
  const base = stats.vocabSize === V ? stats : createRowStats(V);
  const last = classifyRows(step);
  const columns = ROW_CAUSES.map((c) => base.byCause[c]);
  for (let r = 0; r < V; r++) columns[last.causes[r]!]![r]!++;
  const ids = step.batch.inputIds;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0 && id < V) base.frequency[id]!++;
  }
  base.lastUpdateNorm.set(step.updateRowNorm);
  return { ...base, steps: base.steps + 1, last };
}

/** What the map needs to redraw one past step: kept for the history scrubber. */
export interface RowFrame {
  readonly step: number;
  readonly causes: Uint8Array; // [V]
  readonly updateNorm: Float32Array; // [V]
  readonly counts: CauseCounts;
}

export interface RowTotals {
  /** Rows that at least one step moved for this cause (for 'unchanged': left unchanged at least once). */
  readonly ever: CauseCounts;
  /** Rows whose id has not occurred in any batch so far. */
  readonly neverSeen: number;
}

export function rowTotals(stats: RowStats): RowTotals {
  const ever = (c: RowCause) => stats.byCause[c].reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
  return {
    ever: {
      lookup: ever('lookup'),
      output: ever('output'),
      momentum: ever('momentum'),
      unchanged: ever('unchanged'),
    },
    neverSeen: stats.frequency.reduce((n, x) => n + (x === 0 ? 1 : 0), 0),
  };
}

/** Row ids by descending frequency, ties by id: the map's "sorted by frequency" layout. */
export function orderByFrequency(frequency: Uint32Array): Uint32Array {
  const order = new Uint32Array(frequency.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => frequency[b]! - frequency[a]! || a - b);
}

/**
 * Exponential moving average, bias-corrected as in Adam (TensorBoard's smoothing): s_t = β s_{t−1} +
 * (1 − β) x_t, reported as s_t / (1 − β^t) so that the first points are not pulled toward zero.
 */
export function smoothSeries(values: readonly number[], beta: number): number[] {
  let s = 0;
  let weight = 0;
  const out: number[] = [];
  for (const x of values) {
    if (!Number.isFinite(x)) {
      out.push(out.at(-1) ?? NaN);
      continue;
    }
    s = beta * s + (1 - beta) * x;
    weight = beta * weight + (1 - beta);
    out.push(s / weight);
  }
  return out;
}
