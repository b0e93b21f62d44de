import type { EngineSettings, OptimizerChoice } from '../../core/domain/settings';

export const OPTIMIZER_LABELS: Readonly<Record<OptimizerChoice, string>> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum 0.9',
  adam: 'Adam (dense)',
  adamw: 'AdamW (BERT’s)',
  lazyadam: 'LazyAdam (sparse)',
};

/** Why rows move under these settings, in one sentence. */
export function movementExplanation(settings: Pick<EngineSettings, 'optimizer' | 'tieOutputEmbeddings'>) {
  const tied = settings.tieOutputEmbeddings
    ? 'The output layer is tied to E_token, so the softmax sends a small gradient to every row'
    : 'The output layer is untied, so only the rows of the batch’s ids get a gradient';
  const optimizer = {
    sgd: 'plain SGD moves exactly the rows with a gradient.',
    momentum:
      'SGD with momentum keeps moving rows that had a gradient in earlier steps: the velocity decays by 0.9 per step but is not zero.',
    adam: 'with Adam, rows with no gradient keep moving on momentum: m and v decay but are not zero.',
    adamw:
      'with AdamW, rows with no gradient keep moving on momentum, and weight decay shrinks every row a little each step.',
    lazyadam: 'with LazyAdam, only rows with a gradient move: the other rows’ m and v are left as they are.',
  }[settings.optimizer];
  return `${tied}; ${optimizer}`;
}
