/**
 * The "Last step" sentence under the first screen: the step's rows by the path that gave them a
 * gradient, and what moved rows that had none, named for the optimizer in use (core/train/
 * optimizers.ts): SGD's velocity, Adam's m and v, AdamW's m, v and weight decay.
 */
import type { OptimizerChoice } from '../../core/domain/settings';

export interface RowFactsInput {
  readonly vocabSize: number;
  readonly lookupGradient: number;
  readonly outputGradient: number;
  readonly moved: number;
  readonly movedWithoutGradient: number;
  readonly optimizer: OptimizerChoice;
  readonly tied: boolean;
  readonly learningRate: number;
}

const n = (x: number) => x.toLocaleString('en-US');

/** What moves a row with no gradient under each optimizer. */
const STATE_MOVER: Readonly<Record<OptimizerChoice, string>> = {
  sgd: 'plain SGD keeps no state, so nothing can',
  momentum: 'the momentum velocity from earlier steps',
  adam: 'Adam’s m and v from earlier steps',
  adamw: 'AdamW’s m and v from earlier steps, and its weight decay',
  lazyadam: 'LazyAdam moves only rows with a gradient',
};

export function rowFactsSentence(f: RowFactsInput): string {
  const output = f.tied
    ? `${n(f.outputGradient)} through the output softmax`
    : 'none through the output softmax (the output layer is untied)';
  const moved =
    f.moved === 0 && f.learningRate === 0
      ? 'none moved, as the learning rate is 0'
      : `${n(f.moved)} moved, ${n(f.movedWithoutGradient)} of them with no gradient at all (${STATE_MOVER[f.optimizer]})`;
  return `Last step: ${n(f.lookupGradient)} of ${n(f.vocabSize)} token rows got a gradient through the lookup; ${output}; ${moved}.`;
}
