/**
 * BERT's pretraining loss (run_pretraining.py): the masked-LM cross-entropy averaged over the
 * masked tokens, plus the next-sentence cross-entropy averaged over the sequences.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../model/lookup';

/** What the two heads should predict for one batch. */
export interface PretrainingTargets {
  /** The original id at each masked slot: [M]. */
  readonly maskedLabels: Int32Array;
  /** 1 where sentence B really follows A, 0 where it came from another document: [B]. */
  readonly isNext: Uint8Array;
}

export interface PretrainingLoss {
  readonly mlm: tf.Scalar;
  readonly nsp: tf.Scalar;
  readonly total: tf.Scalar;
}

/** Next-sentence class of a pair: Google labels IsNext 0 and NotNext ("is_random_next") 1. */
export function nspLabel(isNext: number): 0 | 1 {
  return isNext === 1 ? 0 : 1;
}

/** Mean over rows of -log softmax(logits)[label]: [N, C] logits, N labels -> scalar. */
function crossEntropy(logits: tf.Tensor2D, labels: ArrayLike<number>): tf.Scalar {
  const [N, C] = logits.shape;
  if (labels.length !== N) throw new RangeError(`${N} rows of logits for ${labels.length} labels.`);
  if (N === 0) return tf.scalar(0);
  // Pick each row's label with a row lookup into the flattened log-probabilities (index n·C + label):
  // it differentiates without an [N, C] one-hot, which would be large at C = V.
  const logProbs = tf.logSoftmax(logits).reshape<tf.Tensor2D>([N * C, 1]); // [N·C, 1]
  const picked = Int32Array.from({ length: N }, (_, n) => n * C + labels[n]!);
  return gatherRows(logProbs, picked).mean().neg() as tf.Scalar; // scalar
}

export function pretrainingLoss(
  mlmLogits: tf.Tensor2D, // [M, V]
  nspLogits: tf.Tensor2D, // [B, 2]
  targets: PretrainingTargets,
): PretrainingLoss {
  const mlm = crossEntropy(mlmLogits, targets.maskedLabels);
  const nsp = crossEntropy(nspLogits, Array.from(targets.isNext, nspLabel));
  return { mlm, nsp, total: mlm.add(nsp) };
}
