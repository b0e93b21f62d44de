import type { EngineSettings, OptimizerChoice } from '../../core/domain/settings';

export const OPTIMIZER_LABELS: Readonly<Record<OptimizerChoice, string>> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum 0.9',
  adam: 'Adam (dense)',
  adamw: 'AdamW (BERT’s)',
  lazyadam: 'LazyAdam (sparse)',
};

/** The optimizers that divide each coordinate's step by the root mean square of its gradient. */
const ADAM_KINDS: ReadonlySet<OptimizerChoice> = new Set(['adam', 'adamw', 'lazyadam']);

/**
 * Why rows move under these settings, in a sentence or two. The learning rate, when given, is the
 * one the learner set: at 0 every step is multiplied by 0 and no row moves, whatever the optimizer.
 */
export function movementExplanation(
  settings: Pick<EngineSettings, 'optimizer' | 'tieOutputEmbeddings'> & { readonly learningRate?: number },
) {
  if (settings.learningRate === 0)
    return 'The learning rate is 0: every update is multiplied by 0, so no row moves, however large its gradient.';
  const tied = settings.tieOutputEmbeddings
    ? 'The output layer is tied to E_token, so the softmax sends a gradient to every row'
    : 'The output layer is untied, so only the rows of the batch’s ids get a gradient';
  const optimizer = {
    sgd: 'plain SGD moves exactly the rows with a gradient, each by the learning rate times its gradient.',
    momentum:
      'SGD with momentum keeps moving rows that had a gradient in earlier steps: the velocity decays by 0.9 per step but is not zero.',
    adam: 'with Adam, rows with no gradient keep moving on momentum: m and v decay but are not zero.',
    adamw:
      'with AdamW, rows with no gradient keep moving on momentum, and weight decay shrinks every row a little each step.',
    lazyadam: 'with LazyAdam, only rows with a gradient move: the other rows’ m and v are left as they are.',
  }[settings.optimizer];
  // Where the per-coordinate scaling matters: the softmax's gradients against the lookup's.
  const scaling =
    settings.tieOutputEmbeddings && ADAM_KINDS.has(settings.optimizer)
      ? ` Each coordinate’s step is divided by ${settings.optimizer === 'adamw' ? '√v' : '√v̂'}, the root mean square of its own gradient, so rows with only the softmax’s gradient move about as far as the looked-up rows, whichever gradient is the larger.`
      : '';
  return `${tied}; ${optimizer}${scaling}`;
}
