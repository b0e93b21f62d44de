import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DROPOUT_SITE, dropoutMask } from '../fused/dropoutHash';
import { computeGradients, disposeGradients } from '../train/gradients';
import { microConfig, type BertConfig } from './config';
import { createParams, disposeParams } from './variables';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// No encoder layer (validateConfig asks for one, the forward pass does not), so the dropped
// embedding output x = dropout(LN(e)) feeds the two heads directly: the pooler reads x[b, 0] and
// the MLM transform reads x at the masked slot.
const config: BertConfig = { ...microConfig(30, { hiddenDropout: 0.5, attentionDropout: 0 }), layers: 0 };
const params = createParams(config, 3);
afterAll(() => disposeParams(config, params));

const [T, H] = [6, config.hidden];
const MASKED_SLOT = 4;
const batch = {
  batchSize: 1,
  seqLength: T,
  inputIds: Int32Array.from([2, 10, 11, 3, 4, 3]),
  tokenTypeIds: Int32Array.from([0, 0, 0, 0, 1, 1]),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1]),
  maskedSlots: Int32Array.from([MASKED_SLOT]),
  maskedLabels: Int32Array.from([12]),
  isNext: Uint8Array.from([1]),
};

/**
 * With one sequence and one masked slot, dL/dW[i, j] = x[slot, i] · δ[j] for the dense kernel W
 * that reads slot `slot`, so row i of that gradient is zero exactly where unit x[slot, i] was
 * dropped (δ, the gradient at the dense output, has no zero entries for random weights).
 */
function zeroRows(grad: tf.Tensor): number[] {
  const g = grad.arraySync() as number[][];
  return g.flatMap((row, i) => (row.every((v) => v === 0) ? [i] : []));
}

/** The units i of slot `slot` that dropoutMask drops at the embeddings' site. */
function droppedUnits(seed: number, step: number, slot: number): number[] {
  const mask = dropoutMask(seed, step, DROPOUT_SITE.embeddings, T * H, 0.5);
  return [...Array(H).keys()].filter((i) => mask[slot * H + i] === 0);
}

describe('composite dropout', () => {
  it("drops exactly dropoutMask's units of the embeddings' output, indexed row-major in [B, T, H]", () => {
    for (const [seed, step] of [
      [5, 1],
      [5, 2],
      [99, 7],
    ] as const) {
      const g = computeGradients(params, config, batch, { training: true, dropout: { seed, step } });
      try {
        const pooled = zeroRows(g.grads.nsp.pooler.kernel); // reads x[0, 0]
        const transformed = zeroRows(g.grads.mlm.transform.kernel); // reads x[0, MASKED_SLOT]
        // Rate 0.5 drops about half: a check that cannot pass on an all-kept or all-dropped mask.
        expect(pooled.length).toBeGreaterThan(H / 4);
        expect(pooled.length).toBeLessThan((3 * H) / 4);
        expect(pooled).toEqual(droppedUnits(seed, step, 0));
        expect(transformed).toEqual(droppedUnits(seed, step, MASKED_SLOT));
      } finally {
        disposeGradients(config, g);
      }
    }
  });

  it('keeps every unit when not training', () => {
    const g = computeGradients(params, config, batch, { training: false });
    try {
      expect(zeroRows(g.grads.nsp.pooler.kernel)).toEqual([]);
    } finally {
      disposeGradients(config, g);
    }
  });
});
