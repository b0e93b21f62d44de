/**
 * BERT's pretraining loss (run_pretraining.py): the masked-LM cross-entropy averaged over the
 * masked tokens, plus the next-sentence cross-entropy averaged over the sequences.
 */
import * as tf from '@tensorflow/tfjs-core';

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

/**
 * Mean over rows of -log softmax(logits)[label]: [N, C] logits, N labels -> scalar.
 *
 * Written with its gradient spelled out, (softmax − onehot(label)) / N, rather than through
 * tf.logSoftmax's autodiff: at C = V = 30,522 every [N, C] op costs milliseconds on wasm (an Exp
 * of [40, 30522] about 11 ms), and autodiff takes the exponential twice (in logSoftmax and again
 * in its gradient) plus a scatter into the flattened log-probabilities. Here the forward pass
 * keeps exp(logits − max) and its row sums, and the backward pass reuses them: one Exp in all.
 */
function crossEntropy(logits: tf.Tensor2D, labels: ArrayLike<number>): tf.Scalar {
  const [N, C] = logits.shape;
  if (labels.length !== N) throw new RangeError(`${N} rows of logits for ${labels.length} labels.`);
  if (N === 0) return tf.scalar(0);
  const at = new Int32Array(2 * N); // [N, 2]: (row, label) of each row's target
  for (let n = 0; n < N; n++) {
    const label = labels[n]!;
    if (!Number.isInteger(label) || label < 0 || label >= C)
      throw new RangeError(`Label ${label} at row ${n} is outside the ${C} classes.`);
    at[2 * n] = n;
    at[2 * n + 1] = label;
  }
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const targets = tf.tensor2d(at, [N, 2], 'int32');
    // Subtracting each row's max keeps exp in range; log-sum-exp adds it back implicitly.
    const shifted = x.sub(x.max(1, true)); // [N, C]
    const exps = shifted.exp(); // [N, C]
    const sums = exps.sum(1, true); // [N, 1]
    // -log softmax(x)[label] = log Σ exp(shifted) − shifted[label]
    const picked = tf.gatherND(shifted, targets) as tf.Tensor1D; // [N]
    const value = sums.log().reshape([N]).sub(picked).mean() as tf.Scalar;
    save([exps, sums, targets]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const [e, z, t] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const scale = dy.div(N); // d(mean)/d(row loss) times the upstream gradient: scalar
      // softmax · scale − onehot · scale, with the one-hot's N nonzeros scattered, not built from C·N ones.
      const softmaxScaled = e.mul(scale.div(z)); // [N, C]
      const atLabels = tf.scatterND(t, tf.fill([N], 1).mul(scale), [N, C]); // [N, C]
      return softmaxScaled.sub(atLabels);
    };
    return { value, gradFunc };
  });
  return loss(logits) as tf.Scalar;
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
