/**
 * Two small reductions of a step's per-row movement, for the Training view's "predict, then
 * reveal" round and for comparing two optimizers run side by side on the same batches.
 */
import type { StepReport } from './stepReport';

/** How a set of rows the learner expected to move compares with the rows that moved (‖Δrow‖ > 0). */
export interface PredictionOutcome {
  /** Predicted and moved. */
  readonly hits: number;
  /** Predicted but unchanged. */
  readonly misses: number;
  /** Moved but not predicted. */
  readonly surprises: number;
}

export function comparePrediction(
  predicted: Iterable<number>,
  updateRowNorm: ArrayLike<number>,
): PredictionOutcome {
  const V = updateRowNorm.length;
  const chosen = new Uint8Array(V);
  let hits = 0;
  let misses = 0;
  for (const row of predicted) {
    if (!Number.isInteger(row) || row < 0 || row >= V || chosen[row]) continue;
    chosen[row] = 1;
    if (updateRowNorm[row]! > 0) hits++;
    else misses++;
  }
  let moved = 0;
  for (let r = 0; r < V; r++) if (updateRowNorm[r]! > 0) moved++;
  return { hits, misses, surprises: moved - hits };
}

/**
 * Drift of the rows that were not in the batch: no input lookup scattered a gradient into them,
 * so whatever moved them came from the tied output softmax or from the optimizer's state (Adam's
 * m/√v decay but are not zero; LazyAdam leaves rows without a gradient alone).
 */
export interface AbsentDrift {
  readonly step: number;
  readonly nonFinite: boolean;
  readonly loss: number;
  /** Rows not in the batch: V minus the distinct ids looked up. */
  readonly absentRows: number;
  /** Of those, the rows with ‖Δrow‖ > 0. */
  readonly drifting: number;
  /** Mean and max ‖Δrow‖ over the drifting rows; 0 when none drifted. */
  readonly meanDrift: number;
  readonly maxDrift: number;
}

export function absentDrift(
  report: Pick<StepReport, 'step' | 'nonFinite' | 'loss' | 'lookupRows' | 'updateRowNorm'>,
): AbsentDrift {
  const norms = report.updateRowNorm;
  const V = norms.length;
  const looked = new Uint8Array(V);
  let present = 0;
  for (const id of report.lookupRows) {
    if (id >= 0 && id < V && !looked[id]) {
      looked[id] = 1;
      present++;
    }
  }
  let drifting = 0;
  let sum = 0;
  let max = 0;
  for (let r = 0; r < V; r++) {
    const n = norms[r]!;
    if (looked[r] || !(n > 0)) continue;
    drifting++;
    sum += n;
    if (n > max) max = n;
  }
  return {
    step: report.step,
    nonFinite: report.nonFinite,
    loss: report.loss.total,
    absentRows: V - present,
    drifting,
    meanDrift: drifting > 0 ? sum / drifting : 0,
    maxDrift: max,
  };
}
