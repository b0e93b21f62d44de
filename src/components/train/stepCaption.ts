/**
 * One training step in words, for the Training view's live caption: the text alternative to the
 * matrix map and the row counters. The counts are the row classification of the step (see
 * core/train/rowCauses.ts), which reads both whether a row moved and which paths gave it a
 * gradient: rows of the batch's ids get one through the input lookup; with a tied output layer
 * every row gets a small one through the softmax; rows with neither can still move on the
 * optimizer's state (momentum, Adam's m and v) or weight decay; and at a learning rate of 0 rows
 * with a gradient do not move at all. The caption names the path that gave a row its gradient, not
 * a cause of its step size: how far rows moved is a sentence of its own, from the median ‖Δrow‖
 * of each group (core/train/moveSizes.ts), because under Adam a small gradient moves a row as far
 * as a large one.
 */
import { movedRows, type CauseCounts, type GradientRows } from '../../core/train/pure';
import type { OptimizerChoice } from '../../core/domain/settings';
import type { MoveSizeCause } from '../../core/train/moveSizes';
import { formatNorm } from './moveSizeText';

export interface StepCaptionFacts {
  readonly step: number;
  readonly counts: CauseCounts;
  readonly optimizer: OptimizerChoice;
  /** Whether the output layer is tied to E_token, so that the softmax reaches every row. */
  readonly tied: boolean;
  /** The step's loss or gradient was not finite and nothing was applied. */
  readonly nonFinite?: boolean;
  /** The step's masked-language-model loss, when known. */
  readonly mlmLoss?: number;
  /** The step's learning rate, when known. */
  readonly learningRate?: number;
  /** Rows with a gradient through each path, moved or not, when the step's report is at hand. */
  readonly gradient?: GradientRows;
  /**
   * Each nonempty group's median ‖Δrow‖ and median ‖g‖ through its path (core/train/moveSizes.ts),
   * when the report is at hand: the first screen's "how far", beside the map.
   */
  readonly medians?: Partial<Record<MoveSizeCause, { readonly update: number; readonly grad: number }>>;
}

const MEDIAN_PLACES: Readonly<Record<MoveSizeCause, string>> = {
  lookup: 'through the lookup',
  output: 'through the output softmax only',
  momentum: 'with no gradient',
};

/**
 * " Median ‖Δrow‖ (‖g‖): 1.9e-2 (1.7e-3) through the lookup, 2.4e-2 (1.9e-4) through the output
 * softmax only." Rows that moved with no gradient have ‖g‖ = 0, which is not written.
 */
function mediansSentence(medians: StepCaptionFacts['medians']): string {
  const parts = (['lookup', 'output', 'momentum'] as const).flatMap((g) => {
    const m = medians?.[g];
    if (m === undefined || !(m.update > 0)) return [];
    const grad = m.grad > 0 ? ` (${formatNorm(m.grad)})` : '';
    return [`${formatNorm(m.update)}${grad} ${MEDIAN_PLACES[g]}`];
  });
  return parts.length ? ` Median ‖Δrow‖ (‖g‖): ${parts.join(', ')}.` : '';
}

/** The optimizer as the subject of "… moved N rows with no gradient". */
const MOVER: Readonly<Record<OptimizerChoice, string>> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  adam: 'Adam',
  adamw: 'AdamW',
  lazyadam: 'LazyAdam',
};

const number = (n: number) => n.toLocaleString('en-US');
const rows = (n: number) => `${number(n)} ${n === 1 ? 'row' : 'rows'}`;

/** Why nothing moved without a gradient, when nothing did. */
function stillClause(optimizer: OptimizerChoice): string {
  switch (optimizer) {
    case 'sgd':
      return 'plain SGD moved no row without a gradient';
    case 'lazyadam':
      return 'LazyAdam left every row without a gradient where it was';
    default:
      return `${MOVER[optimizer]} moved no row without a gradient`;
  }
}

/** "41 rows got a gradient through the lookup but none moved", naming the softmax's rows when tied. */
function stalledLead(facts: StepCaptionFacts): string {
  const { counts, gradient: g, tied } = facts;
  if (counts.stalled === 0) return 'no row got a gradient or moved';
  if (!g) return `${rows(counts.stalled)} got a gradient but none moved`;
  const lookup = `${rows(g.lookup)} got a gradient through the lookup`;
  return tied && g.outputOnly > 0
    ? `${lookup} and ${number(g.outputOnly)} through the output softmax only, but none moved`
    : `${lookup} but none moved`;
}

/**
 * "Step 12: 41 rows moved through the lookup, 30,481 through the output softmax only, Adam moved
 * 183 rows with no gradient." — plus the rows that had a gradient but did not move, the rows with
 * none, and the loss. When no row moved: "Step 12: learning rate 0 — 41 rows got a gradient
 * through the lookup but none moved."
 */
export function stepCaption(facts: StepCaptionFacts): string {
  const { step, counts, optimizer, tied } = facts;
  if (facts.nonFinite)
    return `Step ${number(step)} was not applied: the loss or the gradient was not a finite number, so every weight stayed as it was.`;
  const loss =
    facts.mlmLoss !== undefined && Number.isFinite(facts.mlmLoss)
      ? ` Masked-word loss ${facts.mlmLoss.toFixed(3)}.`
      : '';
  const noGradient =
    counts.unchanged > 0 ? ` ${rows(counts.unchanged)} got no gradient and did not move.` : '';

  if (movedRows(counts) === 0) {
    const rate = facts.learningRate === 0 ? 'learning rate 0 — ' : '';
    return `Step ${number(step)}: ${rate}${stalledLead(facts)}.${noGradient}${loss}`;
  }

  const parts = [`${rows(counts.lookup)} moved through the lookup`];
  if (tied)
    parts.push(`${counts.output === 0 ? 'none' : number(counts.output)} through the output softmax only`);
  else parts.push('none through the output softmax (the output layer is untied)');
  const why = optimizer === 'adamw' ? ' (momentum and weight decay)' : '';
  parts.push(
    counts.momentum > 0
      ? `${MOVER[optimizer]} moved ${rows(counts.momentum)} with no gradient${why}`
      : stillClause(optimizer),
  );
  const stalled = counts.stalled > 0 ? ` ${rows(counts.stalled)} got a gradient but did not move.` : '';
  const rest =
    counts.unchanged === 0 && counts.stalled === 0 ? ' Every row moved.' : `${stalled}${noGradient}`;
  return `Step ${number(step)}: ${parts.join(', ')}.${rest}${mediansSentence(facts.medians)}${loss}`;
}
