/**
 * Why each row of E_token moved in one step, and how often that happened over a run.
 *
 * A row is classed by two facts of the step: did it move (‖Δrow‖ > 0, the update actually
 * applied), and which paths gave it a nonzero gradient. Neither fact stands in for the other: at
 * a learning rate of 0 (the last step of the linear decay, or a learner's choice) every row with a
 * gradient stays put, and Adam or AdamW move rows that have none.
 *
 *   lookup:    moved, and the input lookup gave it a gradient (‖dL/dE_token[r]‖ through the
 *              lookup > 0; it may have had an output gradient too).
 *   output:    moved, with a gradient only through the tied output projection
 *              logits = h · E_tokenᵀ, which sends dL/dE_token[r] = Σ_m (p_m[r] − y_m[r]) h_m to
 *              every row: softmax gives each row a small share of probability, hence a small
 *              gradient. [PAD] lands here under a tied output: it is looked up, but its lookup
 *              gradient is exactly zero (attention masks its slots and no loss reads them).
 *   momentum:  moved with no gradient at all: the optimizer's state moved it (SGD momentum
 *              v ← μv + g; Adam's m/√v, which decay but are not zero) or AdamW's weight decay.
 *              The id is kept from earlier versions; it means "moved with no gradient", and its
 *              rows are exactly StepReport.movedWithoutGradient.
 *   stalled:   had a gradient but did not move: a learning rate of 0 multiplies every update by 0.
 *   unchanged: no gradient and did not move (e.g. [PAD] under an untied output).
 *
 * The order of ROW_CAUSES is the index stored in saved sessions' Uint8Arrays: new causes are
 * appended, never inserted.
 */
import type { StepReport } from './stepReport';

export const ROW_CAUSES = ['lookup', 'output', 'momentum', 'unchanged', 'stalled'] as const;
export type RowCause = (typeof ROW_CAUSES)[number];
/** A cause as its index in ROW_CAUSES, as stored in a Uint8Array. */
export const CAUSE_INDEX: Readonly<Record<RowCause, number>> = {
  lookup: 0,
  output: 1,
  momentum: 2,
  unchanged: 3,
  stalled: 4,
};
/** The causes of rows that moved this step. */
const MOVED_CAUSES: readonly RowCause[] = ['lookup', 'output', 'momentum'];

export type CauseCounts = Readonly<Record<RowCause, number>>;

/** Rows that moved this step: lookup + output + momentum. */
export function movedRows(counts: CauseCounts): number {
  return MOVED_CAUSES.reduce((n, c) => n + counts[c], 0);
}

/**
 * The one definition of a row's cause, from its lookup-gradient norm, its output-gradient norm
 * and ‖Δrow‖ (norms are ≥ 0; a NaN norm counts as zero, as a non-finite step applies nothing).
 */
export function causeOf(lookupGrad: number, outputGrad: number, update: number): number {
  const gradient = lookupGrad > 0 || outputGrad > 0;
  if (update > 0)
    return lookupGrad > 0 ? CAUSE_INDEX.lookup : outputGrad > 0 ? CAUSE_INDEX.output : CAUSE_INDEX.momentum;
  return gradient ? CAUSE_INDEX.stalled : CAUSE_INDEX.unchanged;
}

/** The parts of a step report the classification reads. */
export type RowStepFacts = Pick<StepReport, 'lookupGradRowNorm' | 'outputGradRowNorm' | 'updateRowNorm'>;

export interface RowClassification {
  /** The cause of every row, as an index into ROW_CAUSES: [V]. */
  readonly causes: Uint8Array;
  readonly counts: CauseCounts;
}

/** Counts per cause of a [V] array of cause indices. */
function countCauses(causes: Uint8Array): CauseCounts {
  const n = new Array<number>(ROW_CAUSES.length).fill(0);
  for (const c of causes) n[c]!++;
  return Object.fromEntries(ROW_CAUSES.map((c, i) => [c, n[i]!])) as Record<RowCause, number>;
}

export function classifyRows(step: RowStepFacts): RowClassification {
  const V = step.updateRowNorm.length;
  const causes = new Uint8Array(V);
  for (let r = 0; r < V; r++)
    causes[r] = causeOf(
      step.lookupGradRowNorm[r] ?? 0,
      step.outputGradRowNorm[r] ?? 0,
      step.updateRowNorm[r] ?? 0,
    );
  return { causes, counts: countCauses(causes) };
}

/** Rows with a nonzero gradient through each path this step, whether or not they moved. */
export interface GradientRows {
  /** Rows whose lookup gradient is nonzero: the batch's distinct ids, less [PAD]. */
  readonly lookup: number;
  /** Rows whose only gradient came through the tied output softmax. */
  readonly outputOnly: number;
}

export function gradientRows(step: Omit<RowStepFacts, 'updateRowNorm'>): GradientRows {
  let lookup = 0;
  let outputOnly = 0;
  for (let r = 0; r < step.lookupGradRowNorm.length; r++) {
    if (step.lookupGradRowNorm[r]! > 0) lookup++;
    else if ((step.outputGradRowNorm[r] ?? 0) > 0) outputOnly++;
  }
  return { lookup, outputOnly };
}

/**
 * Causes saved before the classification read ‖Δrow‖ (session files without `rowCauses`) meant:
 * 0 looked up, moved or not; 1 not looked up, output gradient, moved or not; 2 moved with no
 * gradient; 3 no gradient, not moved. The saved ‖Δrow‖ tells moved from not, so a 0 or 1 that did
 * not move becomes 'stalled' and the rest keep their index. One row the old file cannot settle:
 * [PAD], saved as 0 because it was looked up although its lookup gradient is zero. It stays
 * 'lookup' when it moved (truly 'output' or 'momentum') and becomes 'stalled' when it did not
 * (truly 'unchanged' under an untied output).
 */
export function reclassifyLegacy(causes: Uint8Array, updateNorm: Float32Array): RowClassification {
  const out = new Uint8Array(causes.length);
  for (let r = 0; r < causes.length; r++) {
    const old = causes[r]!;
    const hadGradient = old === CAUSE_INDEX.lookup || old === CAUSE_INDEX.output;
    out[r] = hadGradient && !((updateNorm[r] ?? 0) > 0) ? CAUSE_INDEX.stalled : old;
  }
  return { causes: out, counts: countCauses(out) };
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

/** One value per cause, made by `value(cause)`: a typed record without a cast at each caller. */
export function perCause<T>(value: (cause: RowCause) => T): Record<RowCause, T> {
  const out = {} as Record<RowCause, T>;
  for (const cause of ROW_CAUSES) out[cause] = value(cause);
  return out;
}

export function createRowStats(vocabSize: number): RowStats {
  return {
    vocabSize,
    steps: 0,
    byCause: perCause(() => new Uint32Array(vocabSize)),
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
    ever: Object.fromEntries(ROW_CAUSES.map((c) => [c, ever(c)])) as Record<RowCause, number>,
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
