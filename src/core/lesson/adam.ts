/**
 * Chapter 6 ('adam'): what Adam does to rows, from three runs' step reports.
 *
 * Adam's update is η·m/(√v + ε), m and v running averages of g and g². A row whose gradient is 0
 * this step still has m ≠ 0 from earlier steps, so it moves ("moved without gradient"). Dividing
 * by √v makes the step nearly independent of the gradient's size, so under a tied output a row
 * whose only gradient is the softmax's small share moves about as far as a row of the batch.
 * LazyAdam updates only rows with a gradient this step (TF Addons' LazyAdam), so rows outside the
 * batch stay put again.
 */
import { CAUSE_INDEX, classifyRows } from '../train/rowCauses';
import {
  batchTokenIds,
  count,
  median,
  num,
  positiveIndices,
  quantile,
  sameIds,
  type LessonResult,
} from './result';
import type { RowReport } from './rowChapters';

/** Each run's step reports, in step order, keyed by the chapter plan's run ids. */
export interface AdamRuns {
  readonly 'untied-adam': readonly RowReport[];
  readonly 'tied-adamw': readonly RowReport[];
  readonly 'untied-lazyadam': readonly RowReport[];
}

export interface MomentumClaim {
  readonly step: number;
  /** The last step's StepReport.movedWithoutGradient. */
  readonly movedWithoutGradient: readonly number[];
  /** Rows with a lookup gradient at an earlier step and none at the last: where m is nonzero. */
  readonly gradientEarlierOnly: readonly number[];
  readonly holds: boolean;
}

export interface CauseMedians {
  readonly rows: number;
  /** Median ‖ΔE_token[r]‖ of the cause's rows. */
  readonly medianUpdate: number;
  /** Median ‖g‖ of the path that gave the cause's rows their gradient (lookup, or output alone). */
  readonly medianGrad: number;
}

export interface TiedAdamClaim {
  readonly step: number;
  readonly lookup: CauseMedians;
  readonly output: CauseMedians;
  /** output.medianUpdate / lookup.medianUpdate. */
  readonly updateRatio: number;
  /** lookup.medianGrad / output.medianGrad. */
  readonly gradRatio: number;
  /**
   * Among the softmax-only rows, whose update comes from one gradient alone: the 90th over the
   * 10th percentile of ‖g‖, and of ‖Δrow‖. SGD's Δ = −η·c·g keeps the two spreads equal; Adam's
   * per-coordinate division by √v squeezes the steps together.
   */
  readonly gradSpread: number;
  readonly updateSpread: number;
  /**
   * The medians' updates are within a factor of 2 of each other while their gradients differ by a
   * factor of 3 or more. On the lab preset the softmax's share is the smaller gradient; on a
   * vocabulary of a few dozen rows, where each wrong row takes a large share of p, the larger.
   * And the softmax-only rows' steps spread at most half as widely as their gradients, measured
   * on a log scale (log updateSpread ≤ ½ log gradSpread): SGD's spreads are equal. The lookup
   * rows' ‖g‖ is the lookup path's alone: under a tied output they also get a softmax gradient,
   * and the report keeps each path's norm, not the norm of their sum.
   */
  readonly holds: boolean;
}

export interface LazyClaim {
  readonly step: number;
  readonly moved: readonly number[];
  readonly batchIds: readonly number[];
  readonly holds: boolean;
}

export interface AdamClaim {
  readonly momentum: MomentumClaim;
  readonly tied: TiedAdamClaim;
  readonly lazy: LazyClaim;
  readonly holds: boolean;
}

/** The chapter's runs from reports keyed by run id (as the page collects them), checked. */
export function adamRunsFrom(byRun: Readonly<Record<string, readonly RowReport[] | undefined>>): AdamRuns {
  const get = (id: keyof AdamRuns) => {
    const reports = byRun[id];
    if (!reports || reports.length === 0) throw new Error(`The adam chapter's run ${id} has no steps.`);
    return reports;
  };
  return {
    'untied-adam': get('untied-adam'),
    'tied-adamw': get('tied-adamw'),
    'untied-lazyadam': get('untied-lazyadam'),
  };
}

function lastOf(reports: readonly RowReport[], run: string): RowReport {
  const last = reports.at(-1);
  if (!last) throw new Error(`The run ${run} has no steps.`);
  return last;
}

export function momentumClaim(reports: readonly RowReport[]): MomentumClaim {
  const last = lastOf(reports, 'untied-adam');
  const earlier = new Set<number>();
  for (const report of reports.slice(0, -1))
    for (const r of positiveIndices(report.lookupGradRowNorm)) earlier.add(r);
  const gradientEarlierOnly = [...earlier]
    .filter((r) => !(last.lookupGradRowNorm[r]! > 0))
    .sort((a, b) => a - b);
  const moved = [...last.movedWithoutGradient];
  return {
    step: last.step,
    movedWithoutGradient: moved,
    gradientEarlierOnly,
    holds: moved.length > 0 && sameIds(moved, gradientEarlierOnly),
  };
}

function causeMedians(
  report: RowReport,
  causes: Uint8Array,
  cause: number,
  grad: Float32Array,
): CauseMedians {
  const update: number[] = [];
  const g: number[] = [];
  for (let r = 0; r < causes.length; r++) {
    if (causes[r] !== cause) continue;
    update.push(report.updateRowNorm[r]!);
    g.push(grad[r]!);
  }
  return { rows: update.length, medianUpdate: median(update), medianGrad: median(g) };
}

export function tiedAdamClaim(reports: readonly RowReport[]): TiedAdamClaim {
  const last = lastOf(reports, 'tied-adamw');
  const { causes } = classifyRows(last);
  const lookup = causeMedians(last, causes, CAUSE_INDEX.lookup, last.lookupGradRowNorm);
  const output = causeMedians(last, causes, CAUSE_INDEX.output, last.outputGradRowNorm);
  const updateRatio = output.medianUpdate / lookup.medianUpdate;
  const gradRatio = lookup.medianGrad / output.medianGrad;
  const outputRows = positiveIndices(causes.map((c) => (c === CAUSE_INDEX.output ? 1 : 0)));
  const spread = (values: Float32Array) => {
    const picked = outputRows.map((r) => values[r]!);
    return quantile(picked, 0.9) / quantile(picked, 0.1);
  };
  const gradSpread = spread(last.outputGradRowNorm);
  const updateSpread = spread(last.updateRowNorm);
  const evenSteps = updateRatio >= 0.5 && updateRatio <= 2;
  const unevenGradients = gradRatio >= 3 || gradRatio <= 1 / 3;
  return {
    step: last.step,
    lookup,
    output,
    updateRatio,
    gradRatio,
    gradSpread,
    updateSpread,
    holds: evenSteps && unevenGradients && Math.log(updateSpread) <= Math.log(gradSpread) / 2,
  };
}

export function lazyClaim(reports: readonly RowReport[]): LazyClaim {
  const last = lastOf(reports, 'untied-lazyadam');
  const moved = positiveIndices(last.updateRowNorm);
  const batchIds = batchTokenIds(last.batch);
  return { step: last.step, moved, batchIds, holds: sameIds(moved, batchIds) };
}

function tiedSentence(t: TiedAdamClaim): string {
  const against = `median ‖g‖ ${num(t.output.medianGrad)} against ${num(t.lookup.medianGrad)} through the lookup`;
  const gradients =
    t.gradRatio >= 3
      ? `on a gradient ${num(t.gradRatio)} times smaller (${against})`
      : t.gradRatio <= 1 / 3
        ? `on a gradient ${num(1 / t.gradRatio)} times larger (${against})`
        : `on a similar gradient (${against})`;
  return `With a tied output and AdamW, at step ${t.step} the ${count(t.output.rows)} rows with only a softmax gradient moved a median ‖Δrow‖ of ${num(t.output.medianUpdate)}, the ${count(t.lookup.rows)} batch rows ${num(t.lookup.medianUpdate)} (ratio ${num(t.updateRatio)}), ${gradients}. Among the softmax-only rows the largest steps (90th percentile over 10th) are ${t.updateSpread.toFixed(2)} times the smallest, their gradients ${t.gradSpread.toFixed(2)} times: under SGD the two would be equal.`;
}

/** Chapter 6: momentum moves rows with no gradient; Adam's scaling evens out step sizes; LazyAdam is sparse. */
export function adamResult(runs: AdamRuns): LessonResult<AdamClaim> {
  const momentum = momentumClaim(runs['untied-adam']);
  const tied = tiedAdamClaim(runs['tied-adamw']);
  const lazy = lazyClaim(runs['untied-lazyadam']);
  const sentences = [
    momentum.holds
      ? `With an untied output and Adam, step ${momentum.step} moved ${count(momentum.movedWithoutGradient.length)} rows that got no gradient: exactly the rows of earlier batches that are not in this one. Their m and v had decayed, not vanished.`
      : `With an untied output and Adam, step ${momentum.step} moved ${count(momentum.movedWithoutGradient.length)} rows that got no gradient; ${count(momentum.gradientEarlierOnly.length)} rows had a gradient only at earlier steps.`,
    tiedSentence(tied),
    lazy.holds
      ? `With LazyAdam (untied), step ${lazy.step} moved exactly the ${count(lazy.batchIds.length)} rows of its batch again, and no other.`
      : `With LazyAdam (untied), step ${lazy.step} moved ${count(lazy.moved.length)} rows; its batch has ${count(lazy.batchIds.length)} distinct ids.`,
  ];
  const holds = momentum.holds && tied.holds && lazy.holds;
  const answer = momentum.holds ? 'yes' : momentum.movedWithoutGradient.length === 0 ? 'no' : null;
  return { chapter: 'adam', answer, sentences, claim: { momentum, tied, lazy, holds } };
}
