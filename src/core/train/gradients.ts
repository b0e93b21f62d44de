/**
 * The loss and its gradient for every parameter, with E_token's two gradient paths kept apart.
 *
 * E_token is read twice when the output is tied: by the input lookup (only the rows of the ids
 * in the batch) and by the MLM output projection h · E_tokenᵀ (every row, because softmax spreads
 * the gradient over the whole vocabulary). The loss function here takes the table twice, as two
 * separate inputs holding the same values, so autodiff returns dL/dE_lookup and dL/dE_output
 * separately; the optimizer applies their sum, which is the gradient of the tied model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forward, type BertInput, type DropoutKey } from '../model/bert';
import type { BertConfig } from '../model/config';
import { flattenParams, unflattenParams, type BertParams } from '../model/params';
import { pretrainingLoss, type PretrainingTargets } from './loss';

export type TrainingInput = BertInput & PretrainingTargets;

export interface GradientOptions {
  readonly training: boolean;
  /** The dropout masks' seed and 1-based step (see ForwardOptions.dropout). */
  readonly dropout?: DropoutKey;
}

/** Tensors the caller owns; release them with `disposeGradients`. */
export interface Gradients {
  readonly mlmLoss: tf.Scalar;
  readonly nspLoss: tf.Scalar;
  readonly loss: tf.Scalar;
  readonly mlmLogits: tf.Tensor2D; // [M, V]
  readonly nspLogits: tf.Tensor2D; // [B, 2]
  /** dL/dθ for every leaf; `embeddings.token` holds the input-lookup path only. */
  readonly grads: BertParams<tf.Tensor>;
  /** dL/dE_token through the tied output projection: [V, H]; null when the output is untied. */
  readonly tokenOutputGrad: tf.Tensor2D | null;
}

export function computeGradients(
  params: BertParams<tf.Tensor>,
  config: BertConfig,
  batch: TrainingInput,
  options: GradientOptions,
): Gradients {
  const leaves = flattenParams(config, params);
  const tied = config.tieOutputEmbeddings;
  // A second tensor with the values of E_token (tf.clone shares the data, not a copy).
  const outputCopy = tied ? tf.clone(params.embeddings.token) : null;
  const inputs = outputCopy === null ? leaves : [...leaves, outputCopy];

  type Outputs = Pick<Gradients, 'mlmLoss' | 'nspLoss' | 'mlmLogits' | 'nspLogits'>;
  const kept: Outputs[] = [];
  const lossOf = (...args: tf.Tensor[]): tf.Scalar => {
    const model = unflattenParams(config, args.slice(0, leaves.length));
    const forwardOptions = {
      training: options.training,
      ...(options.dropout === undefined ? {} : { dropout: options.dropout }),
      ...(tied ? { tiedOutputTable: args[leaves.length] as tf.Tensor2D } : {}),
    };
    const out = forward(model, config, batch, forwardOptions);
    const loss = pretrainingLoss(out.mlmLogits, out.nspLogits, batch);
    // The gradient function returns only its value; keep what the step report also needs.
    kept.push({
      mlmLoss: tf.keep(loss.mlm),
      nspLoss: tf.keep(loss.nsp),
      mlmLogits: tf.keep(out.mlmLogits),
      nspLogits: tf.keep(out.nspLogits),
    });
    return loss.total;
  };

  try {
    const { value, grads } = tf.valueAndGrads(lossOf)(inputs);
    const outputs = kept[0];
    if (outputs === undefined) throw new Error('The loss function did not run.');
    return {
      ...outputs,
      loss: value as tf.Scalar,
      grads: unflattenParams(config, grads.slice(0, leaves.length)),
      tokenOutputGrad: tied ? (grads[leaves.length] as tf.Tensor2D) : null,
    };
  } finally {
    outputCopy?.dispose();
  }
}

export function disposeGradients(config: BertConfig, g: Gradients): void {
  for (const t of [g.mlmLoss, g.nspLoss, g.loss, g.mlmLogits, g.nspLogits]) t.dispose();
  for (const t of flattenParams(config, g.grads)) t.dispose();
  g.tokenOutputGrad?.dispose();
}
