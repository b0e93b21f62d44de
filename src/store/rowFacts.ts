/**
 * Numbers the Training view writes about E_token's rows, counted once per step here instead of in
 * the components' render: each is a pass over V = 30,522 rows, and a render can happen several
 * times a step (a report and a snapshot each re-render what reads them).
 */
import {
  gradientRows,
  rowTotals,
  type GradientRows,
  type RowStats,
  type RowTotals,
  type StepReport,
} from '../core/train/pure';
import { moveSizes, type MoveSizes } from '../core/train/moveSizes';

/** One step's rows, by what reached them: the "Last step" sentence and the caption's numbers. */
export interface StepRowFacts {
  readonly step: number;
  /** Rows with a gradient through the lookup (‖∇row‖ > 0). */
  readonly lookupGradient: number;
  /** Rows with a gradient through the output softmax, looked up or not (tied output only). */
  readonly outputGradient: number;
  /** Rows that moved (‖Δrow‖ > 0). */
  readonly moved: number;
  /** The caption's split: lookup rows, and rows whose only gradient came through the output. */
  readonly gradient: GradientRows;
  /** Median and quartiles of ‖Δrow‖ and ‖g‖ by the path that gave each row its gradient. */
  readonly moveSizes: MoveSizes;
}

const positive = (xs: ArrayLike<number>) => {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > 0) n++;
  return n;
};

export function stepRowFacts(
  report: Pick<StepReport, 'step' | 'lookupGradRowNorm' | 'outputGradRowNorm' | 'updateRowNorm'>,
): StepRowFacts {
  return {
    step: report.step,
    lookupGradient: positive(report.lookupGradRowNorm),
    outputGradient: positive(report.outputGradRowNorm),
    moved: positive(report.updateRowNorm),
    gradient: gradientRows(report),
    moveSizes: moveSizes(report),
  };
}

/** The run's counters summed over rows: the counts table's totals and the frequency plot's caption. */
export interface RunRowFacts extends RowTotals {
  readonly steps: number;
  /** Ids seen in at least one batch. */
  readonly seen: number;
  /** Ids looked up in every step so far. */
  readonly everyStep: number;
  /** Rows that moved (for any cause) in every step so far. */
  readonly movedEveryStep: number;
}

export function runRowFacts(rows: RowStats): RunRowFacts {
  const totals = rowTotals(rows);
  let everyStep = 0;
  let movedEveryStep = 0;
  const { lookup, output, momentum } = rows.byCause;
  for (let r = 0; r < lookup.length; r++) {
    if (lookup[r] === rows.steps) everyStep++;
    if (lookup[r]! + output[r]! + momentum[r]! === rows.steps) movedEveryStep++;
  }
  return { ...totals, steps: rows.steps, seen: rows.vocabSize - totals.neverSeen, everyStep, movedEveryStep };
}
