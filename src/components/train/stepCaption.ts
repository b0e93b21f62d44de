/**
 * One training step in words, for the Training view's live caption: the text alternative to the
 * matrix map and the row counters. The counts are the row classification of the step (see
 * core/train/rowCauses.ts): rows of the batch's ids got a gradient through the input lookup; with a
 * tied output layer every other row gets a small one through the softmax; rows with neither can
 * still move on the optimizer's state (momentum, Adam's m and v) or weight decay.
 */
import type { CauseCounts } from '../../core/train/pure';
import type { OptimizerChoice } from '../../engine/trainProtocol';

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

/**
 * "Step 12: 41 rows updated through the lookup, 30,481 through the output softmax, Adam moved 183
 * rows with no gradient." — plus how many rows stayed put and the loss.
 */
export function stepCaption(facts: StepCaptionFacts): string {
  const { step, counts, optimizer, tied } = facts;
  if (facts.nonFinite)
    return `Step ${number(step)} was not applied: the loss or the gradient was not a finite number, so every weight stayed as it was.`;
  const parts = [`${rows(counts.lookup)} updated through the lookup`];
  if (tied) parts.push(`${counts.output === 0 ? 'none' : number(counts.output)} through the output softmax`);
  else parts.push('none through the output softmax (the output layer is untied)');
  const why = optimizer === 'adamw' ? ' (momentum and weight decay)' : '';
  parts.push(
    counts.momentum > 0
      ? `${MOVER[optimizer]} moved ${rows(counts.momentum)} with no gradient${why}`
      : stillClause(optimizer),
  );
  const unchanged = counts.unchanged === 0 ? ' Every row moved.' : ` ${rows(counts.unchanged)} did not move.`;
  const loss =
    facts.mlmLoss !== undefined && Number.isFinite(facts.mlmLoss)
      ? ` Masked-word loss ${facts.mlmLoss.toFixed(3)}.`
      : '';
  return `Step ${number(step)}: ${parts.join(', ')}.${unchanged}${loss}`;
}
