/**
 * The gradient check: tfjs's gradients of the whole model and loss against central finite
 * differences of an independent float64 forward pass (model/test/reference.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { validateConfig, type BertConfig } from '../model/config';
import { flattenParams, initialValues, mapParams, paramInfos, type BertParams } from '../model/params';
import { referenceForward, type ReferenceBatch } from '../model/test/reference';
import { computeGradients, disposeGradients, type TrainingInput } from './gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyConfig(tieOutputEmbeddings: boolean): BertConfig {
  return validateConfig({
    vocabSize: 20,
    hidden: 8,
    layers: 2,
    heads: 2,
    intermediate: 16,
    maxPositions: 8,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    hiddenDropout: 0,
    attentionDropout: 0,
    tieOutputEmbeddings,
    // Larger than BERT's 0.02 so every path carries a gradient well above float32 rounding.
    initStd: 0.4,
  });
}

/** Two sequences with repeated tokens (5, 7) and one [PAD] slot (id 0, attention 0). */
const batch: TrainingInput & ReferenceBatch = {
  batchSize: 2,
  seqLength: 6,
  inputIds: Int32Array.from([2, 5, 7, 5, 3, 9, 2, 7, 7, 11, 3, 0]),
  tokenTypeIds: Int32Array.from([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0]),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
  maskedSlots: Int32Array.from([2, 3, 8]),
  maskedLabels: Int32Array.from([4, 6, 7]),
  isNext: Uint8Array.from([1, 0]),
};

/** Random values for every leaf (LayerNorm γ/β and biases too), the same in float32 and float64. */
function randomValues(config: BertConfig): BertParams<Float64Array> {
  const rng = new Rng(5);
  const init = initialValues(config, 3);
  return mapParams(config, init, (values, info) => {
    const noisy =
      info.kind === 'weight' || info.kind === 'embedding'
        ? values
        : values.map((v) => v + (info.kind === 'normGamma' ? 0.3 : 0.5) * rng.normal());
    return Float64Array.from(Float32Array.from(noisy));
  });
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-12);
}

/** Central differences of the float64 loss in every entry of `target`, with step h. */
function numericGradient(target: Float64Array, loss: () => number, h = 1e-4): Float64Array {
  const grad = new Float64Array(target.length);
  for (let i = 0; i < target.length; i++) {
    const saved = target[i]!;
    target[i] = saved + h;
    const plus = loss();
    target[i] = saved - h;
    const minus = loss();
    target[i] = saved;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

describe.each([true, false])('the gradient check with the output tied: %s', (tied) => {
  const config = tinyConfig(tied);
  const values = randomValues(config);
  const outputCopy = Float64Array.from(values.embeddings.token);
  const referenceLoss = (): number => referenceForward(values, config, batch, outputCopy).loss;

  function tfjsGradients() {
    const params = mapParams(config, values, (v, info) => tf.tensor(Float32Array.from(v), [...info.shape]));
    const g = computeGradients(params, config, batch, { training: false });
    const read = {
      mlmLogits: g.mlmLogits.dataSync(),
      nspLogits: g.nspLogits.dataSync(),
      loss: g.loss.dataSync()[0]!,
      grads: flattenParams(config, g.grads).map((t) => t.dataSync()),
      tokenOutputGrad: g.tokenOutputGrad?.dataSync() ?? null,
    };
    disposeGradients(config, g);
    for (const t of flattenParams(config, params)) t.dispose();
    return read;
  }
  const got = tfjsGradients();

  it('runs a forward pass that agrees with the float64 reference within 1e-4', () => {
    const want = referenceForward(values, config, batch, outputCopy);
    expect(relativeError(got.mlmLogits, want.mlmLogits)).toBeLessThan(1e-4);
    for (let i = 0; i < want.nspLogits.length; i++)
      expect(Math.abs(got.nspLogits[i]! - want.nspLogits[i]!)).toBeLessThan(1e-4);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-4);
  });

  it('matches finite differences within 1e-3 relative error for every parameter', () => {
    const leaves = flattenParams(config, values);
    const infos = paramInfos(config);
    leaves.forEach((leaf, i) => {
      const name = infos[i]!.name;
      const numeric = numericGradient(leaf, referenceLoss);
      if (name.endsWith('.key.bias')) {
        // q·(k_j + b) = q·k_j + q·b shifts every score of a query by the same amount, which softmax
        // ignores: the true gradient is zero, so only its size can be compared.
        for (const g of [...got.grads[i]!, ...numeric]) expect(Math.abs(g), name).toBeLessThan(1e-6);
      } else {
        expect(relativeError(got.grads[i]!, numeric), name).toBeLessThan(1e-3);
      }
    });
  });

  if (tied) {
    it('matches finite differences on each of the two paths into E_token', () => {
      const outputPath = numericGradient(outputCopy, referenceLoss);
      expect(relativeError(got.tokenOutputGrad!, outputPath)).toBeLessThan(1e-3);
      const lookupPath = numericGradient(values.embeddings.token, referenceLoss);
      expect(relativeError(got.grads[0]!, lookupPath)).toBeLessThan(1e-3);
    });
  }

  it('gives the [PAD] row no lookup gradient, since padded slots are masked out of attention and loss', () => {
    const H = config.hidden;
    expect(Array.from(got.grads[0]!.subarray(0, H))).toEqual(new Array(H).fill(0));
  });
});
