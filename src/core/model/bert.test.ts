import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward, type BertInput } from './bert';
import { microConfig } from './config';
import { flattenParams, initialValues, paramInfos, unflattenParams } from './params';
import { createParams, disposeParams } from './variables';
import { disposeTrace, readTrace } from './trace';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = microConfig(40);
const params = createParams(config, 7);
afterAll(() => disposeParams(config, params));

const [B, T, H, A] = [2, 5, config.hidden, config.heads];
/** Two sequences; the second ends in a [PAD] slot (id 0, attention 0). */
const input: BertInput = {
  batchSize: B,
  seqLength: T,
  inputIds: Int32Array.from([2, 10, 11, 3, 12, 2, 13, 13, 3, 0]),
  tokenTypeIds: Int32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
  maskedSlots: Int32Array.from([1, 7, 8]),
};

describe('forward', () => {
  it('returns MLM logits only at the masked slots and NSP logits per sequence', () => {
    const out = forward(params, config, input, { training: false });
    expect(out.mlmLogits.shape).toEqual([3, config.vocabSize]);
    expect(out.nspLogits.shape).toEqual([B, 2]);
    expect(out.trace).toBeNull();
    tf.dispose([out.mlmLogits, out.nspLogits]);
  });

  it('releases every intermediate tensor: only the outputs remain', () => {
    const before = tf.memory().numTensors;
    const out = forward(params, config, input, {
      training: true,
      dropout: { seed: 1, step: 1 },
      trace: true,
    });
    const traced = 7 + config.layers;
    expect(tf.memory().numTensors - before).toBe(2 + traced);
    disposeTrace(out.trace!);
    tf.dispose([out.mlmLogits, out.nspLogits]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("runs inside the caller's tf.tidy, which then releases the outputs and the trace too", () => {
    const before = tf.memory().numTensors;
    const predicted = tf.tidy(() =>
      forward(params, config, input, { training: false, trace: true }).mlmLogits.argMax(1),
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    predicted.dispose();
  });

  it('traces the three lookups, their sum, and the embedding LayerNorm statistics', async () => {
    const out = forward(params, config, input, { training: false, trace: true });
    const trace = await readTrace(out.trace!);
    disposeTrace(out.trace!);
    tf.dispose([out.mlmLogits, out.nspLogits]);
    const init = initialValues(config, 7);
    const slot = 6; // sequence 1, position 1, token 13, segment 0
    for (let h = 0; h < H; h++) {
      const token = init.embeddings.token[13 * H + h]!;
      const segment = init.embeddings.segment[0 * H + h]!;
      const position = init.embeddings.position[1 * H + h]!;
      expect(trace.tokenEmbedding[slot * H + h]).toBe(token);
      expect(trace.segmentEmbedding[slot * H + h]).toBe(segment);
      expect(trace.positionEmbedding[1 * H + h]).toBe(position);
      expect(trace.embeddingSum[slot * H + h]).toBeCloseTo(token + segment + position, 6);
    }
    const sum = trace.embeddingSum.subarray(slot * H, (slot + 1) * H);
    const mean = sum.reduce((s, x) => s + x, 0) / H;
    const variance = sum.reduce((s, x) => s + (x - mean) ** 2, 0) / H;
    expect(trace.embeddingNormMean[slot]).toBeCloseTo(mean, 6);
    expect(trace.embeddingNormVariance[slot]).toBeCloseTo(variance, 6);
    // With γ = 1 and β = 0 at initialization, each position comes out with mean 0 and variance 1.
    const normed = trace.embeddingOutput.subarray(slot * H, (slot + 1) * H);
    expect(normed.reduce((s, x) => s + x, 0) / H).toBeCloseTo(0, 5);
    expect(normed.reduce((s, x) => s + x * x, 0) / H).toBeCloseTo(1, 3);
  });

  it('traces attention rows that sum to 1 and give [PAD] keys no weight', async () => {
    const out = forward(params, config, input, { training: false, trace: true });
    const trace = await readTrace(out.trace!);
    disposeTrace(out.trace!);
    tf.dispose([out.mlmLogits, out.nspLogits]);
    expect(trace.attention).toHaveLength(config.layers);
    for (const probs of trace.attention) {
      expect(probs).toHaveLength(B * A * T * T);
      for (let row = 0; row < B * A * T; row++) {
        const p = probs.subarray(row * T, (row + 1) * T);
        expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
        if (row >= A * T) expect(p[T - 1]).toBe(0); // sequence 1's last key is [PAD]
      }
    }
  });

  it('drops the same units for the same dropout seed and step and none when not training', () => {
    const run = (training: boolean, seed: number, step = 1): Float32Array => {
      const out = forward(params, config, input, { training, dropout: { seed, step } });
      const values = out.mlmLogits.dataSync() as Float32Array;
      tf.dispose([out.mlmLogits, out.nspLogits]);
      return values;
    };
    expect(run(true, 1)).toEqual(run(true, 1));
    expect(run(true, 1)).not.toEqual(run(true, 2));
    expect(run(true, 1, 1)).not.toEqual(run(true, 1, 2));
    expect(run(false, 1)).toEqual(run(false, 2));
    expect(run(false, 1)).not.toEqual(run(true, 1));
  });

  it('rejects a batch whose arrays do not match B x T, or a sequence longer than the positions', () => {
    expect(() =>
      forward(params, config, { ...input, inputIds: new Int32Array(3) }, { training: false }),
    ).toThrow(/inputIds holds 3 values, not B x T = 10/);
    const long = config.maxPositions + 1;
    const tooLong = { ...input, batchSize: 1, seqLength: long };
    expect(() => forward(params, config, tooLong, { training: false })).toThrow(
      /sequence length must be in \[1, 64\]/,
    );
  });
});

describe('parameters', () => {
  it('starts like BERT: truncated normal weights within 2σ, zero biases, γ = 1, β = 0', () => {
    const init = initialValues(config, 7);
    const infos = paramInfos(config);
    flattenParams(config, init).forEach((values, i) => {
      const { kind } = infos[i]!;
      if (kind === 'bias' || kind === 'normBeta') expect(values.every((v) => v === 0)).toBe(true);
      if (kind === 'normGamma') expect(values.every((v) => v === 1)).toBe(true);
      if (kind === 'weight' || kind === 'embedding') {
        expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(2 * config.initStd);
        expect(values.some((v) => v !== 0)).toBe(true);
      }
    });
  });

  it('gives identical initial values for the same seed, and keeps the embeddings when a layer is added', () => {
    expect(initialValues(config, 7).embeddings.token).toEqual(initialValues(config, 7).embeddings.token);
    expect(initialValues(config, 7).embeddings.token).not.toEqual(initialValues(config, 8).embeddings.token);
    const deeper = microConfig(40, { layers: 3 });
    expect(initialValues(deeper, 7).embeddings.token).toEqual(initialValues(config, 7).embeddings.token);
  });

  it('names every leaf and flattens and rebuilds the structure in the same order', () => {
    const infos = paramInfos(config);
    expect(infos[0]).toEqual({ name: 'embeddings.token', kind: 'embedding', shape: [40, 32] });
    expect(infos.map((i) => i.name)).toContain('layers.1.attentionNorm.gamma');
    expect(infos.map((i) => i.name)).not.toContain('mlm.outputKernel');
    const names = infos.map((i) => i.name);
    expect(flattenParams(config, unflattenParams(config, names))).toEqual(names);
    expect(paramInfos(microConfig(40, { tieOutputEmbeddings: false })).map((i) => i.name)).toContain(
      'mlm.outputKernel',
    );
  });
});
