/**
 * BERT's forward pass, following Google's modeling.py and run_pretraining.py: embeddings ->
 * L post-LayerNorm Transformer encoder layers -> the masked-LM head at the masked positions and
 * the next-sentence head on [CLS]. Shapes: B sequences of T slots, hidden width H, A heads of
 * D = H / A dimensions, M masked tokens in the batch, V vocabulary entries.
 *
 * The code only uses ops that every tfjs backend implements, and takes all its randomness
 * (dropout) from the counter hash of ../fused/dropoutHash.ts, computed in TypeScript, so a given
 * seed and step compute the same function on cpu, wasm, webgl and webgpu, and drop exactly the
 * units the fused WebGPU kernels drop (they evaluate the same hash in WGSL).
 */
import * as tf from '@tensorflow/tfjs-core';
import { DROPOUT_SITE, dropoutMask } from '../fused/dropoutHash';
import type { BertConfig } from './config';
import { gatherRows } from './lookup';
import { matMulPlain, projectOntoRows } from './projection';
import type { BertParams, DenseParams, EncoderLayerParams, LayerNormParams } from './params';
import { traceFromTensors, traceTensors, type ForwardTrace } from './trace';

/** One batch as the model reads it: plain row-major integer arrays. */
export interface BertInput {
  readonly batchSize: number; // B
  readonly seqLength: number; // T
  readonly inputIds: Int32Array; // [B * T]
  readonly tokenTypeIds: Int32Array; // [B * T]  0 for sentence A, 1 for sentence B
  readonly attentionMask: Int32Array; // [B * T]  1 for a real token, 0 for [PAD]
  /** The flat slot b * T + t of every masked token, where the MLM head predicts: [M]. */
  readonly maskedSlots: Int32Array;
}

/** What a step's dropout masks are drawn from: the run's dropout seed and the 1-based step. */
export interface DropoutKey {
  readonly seed: number;
  readonly step: number;
}

export interface ForwardOptions {
  /** Dropout is on only while training. */
  readonly training: boolean;
  /**
   * Keys the dropout masks: unit i of site s is dropped by hash(seed, step, s, i) alone, so the
   * same seed and step drop the same units. Needed when training with dropout.
   */
  readonly dropout?: DropoutKey;
  /** Also return the trace of named intermediates (costs memory; off by default). */
  readonly trace?: boolean;
  /**
   * The copy of E_token the tied output projection reads; by default the same tensor as the
   * lookup. The training step passes a second copy so the gradients of the two paths into
   * E_token come out separately.
   */
  readonly tiedOutputTable?: tf.Tensor2D;
}

export interface BertOutputs {
  readonly mlmLogits: tf.Tensor2D; // [M, V]
  readonly nspLogits: tf.Tensor2D; // [B, 2]  class 0 = IsNext, 1 = NotNext, as in Google's data
  readonly trace: ForwardTrace | null;
}

/** BERT's additive attention mask: -10000 on the logits of [PAD] keys, so exp() makes them 0. */
const MASKED_LOGIT = -10000;

type Params = BertParams<tf.Tensor>;
/** Dropout at numbered site `site` (DROPOUT_SITE), unit index = row-major element index of x. */
type Dropout = <R extends tf.Rank>(x: tf.Tensor<R>, rate: number, site: number) => tf.Tensor<R>;

/** y = x · W + b over the last axis of x, for x of any rank. */
function dense<R extends tf.Rank>(x: tf.Tensor<R>, p: DenseParams<tf.Tensor>): tf.Tensor<R> {
  const [inputs, outputs] = p.kernel.shape as [number, number];
  const rows = x.reshape([-1, inputs]); // [N, in]
  const y = matMulPlain(rows as tf.Tensor2D, p.kernel as tf.Tensor2D).add(p.bias); // [N, out]
  return y.reshape([...x.shape.slice(0, -1), outputs]); // [..., out]
}

/** GELU in its exact form, as BERT: x · Φ(x) = x · ½ (1 + erf(x / √2)). */
function gelu<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
  return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5)); // same shape as x
}

/**
 * LayerNorm over the last axis: (x - μ) / √(σ² + ε) · γ + β, with μ and σ² the mean and the
 * (biased) variance of each position's H values. Returns μ and σ² too, for the trace.
 */
function layerNorm<R extends tf.Rank>(x: tf.Tensor<R>, p: LayerNormParams<tf.Tensor>, eps: number) {
  const mean = tf.mean(x, -1, true); // [..., 1]
  const centered = x.sub(mean); // [..., H]
  const variance = tf.mean(centered.square(), -1, true); // [..., 1]
  const output = centered
    .mul(tf.rsqrt(variance.add(eps)))
    .mul(p.gamma)
    .add(p.beta) as tf.Tensor<R>; // [..., H]
  return { mean, variance, output };
}

/**
 * Inverted dropout: zero each unit with probability `rate`, scale the rest by 1 / (1 - rate).
 * The mask is the counter hash's (dropoutMask), so no state is drawn in order: each site's mask
 * depends only on (seed, step, site) and each unit's on its index.
 */
function hashedDropout(training: boolean, key: DropoutKey | undefined): Dropout {
  return (x, rate, site) => {
    if (!training || rate === 0) return x;
    if (key === undefined) throw new Error('Training with dropout needs a dropout { seed, step }.');
    return x.mul(tf.tensor(dropoutMask(key.seed, key.step, site, x.size, rate), x.shape)); // same shape as x
  };
}

/** [B, T, H] -> [B, A, T, D]: each head gets its own D = H / A columns. */
function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [B, T, H] = x.shape;
  return x.reshape([B, T, heads, H / heads]).transpose([0, 2, 1, 3]); // [B, A, T, D]
}

/**
 * One post-LN encoder layer (BERT, like the original Transformer, normalizes after each residual
 * add): self-attention, add & norm, feed-forward with GELU, add & norm.
 */
function encoderLayer(
  x: tf.Tensor3D, // [B, T, H]
  p: EncoderLayerParams<tf.Tensor>,
  maskAdd: tf.Tensor4D, // [B, 1, 1, T]
  config: BertConfig,
  dropout: Dropout,
  layerIndex: number,
): { output: tf.Tensor3D; probs: tf.Tensor4D } {
  const [B, T, H] = x.shape;
  const D = H / config.heads;
  const q = splitHeads(dense(x, p.query), config.heads); // [B, A, T, D]
  const k = splitHeads(dense(x, p.key), config.heads); // [B, A, T, D]
  const v = splitHeads(dense(x, p.value), config.heads); // [B, A, T, D]
  // Scaled dot-product attention: softmax(q kᵀ / √D + mask) v.
  const scores = tf
    .matMul(q, k, false, true)
    .mul(1 / Math.sqrt(D))
    .add(maskAdd); // [B, A, T, T]
  const probs = tf.softmax(scores) as tf.Tensor4D; // [B, A, T, T]  each row sums to 1 over keys
  const context = tf.matMul(
    dropout(probs, config.attentionDropout, DROPOUT_SITE.attentionProbs(layerIndex)),
    v,
  ); // [B, A, T, D]
  const merged = context.transpose([0, 2, 1, 3]).reshape([B, T, H]) as tf.Tensor3D; // [B, T, H]
  const attended = dropout(
    dense(merged, p.attentionOutput),
    config.hiddenDropout,
    DROPOUT_SITE.attentionOutput(layerIndex),
  ); // [B, T, H]
  const afterAttention = layerNorm(attended.add(x), p.attentionNorm, config.layerNormEps).output; // [B, T, H]
  const inner = gelu(dense(afterAttention, p.intermediate)); // [B, T, FFN]
  const ffn = dropout(
    dense(inner, p.output),
    config.hiddenDropout,
    DROPOUT_SITE.ffnOutput(layerIndex),
  ) as tf.Tensor3D; // [B, T, H]
  const output = layerNorm(ffn.add(afterAttention), p.outputNorm, config.layerNormEps).output; // [B, T, H]
  return { output: output as tf.Tensor3D, probs };
}

function checkInput(config: BertConfig, input: BertInput): void {
  const { batchSize: B, seqLength: T } = input;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`The batch size must be at least 1, not ${B}.`);
  if (!Number.isInteger(T) || T < 1 || T > config.maxPositions) {
    throw new RangeError(`The sequence length must be in [1, ${config.maxPositions}], not ${T}.`);
  }
  for (const name of ['inputIds', 'tokenTypeIds', 'attentionMask'] as const) {
    if (input[name].length !== B * T) {
      throw new RangeError(`${name} holds ${input[name].length} values, not B x T = ${B * T}.`);
    }
  }
  for (const t of input.tokenTypeIds) {
    if (t < 0 || t >= config.typeVocabSize) throw new RangeError(`Token type ${t} is not a segment.`);
  }
  for (const s of input.maskedSlots) {
    if (s < 0 || s >= B * T) throw new RangeError(`Masked slot ${s} is outside the ${B * T} slots.`);
  }
}

/**
 * Runs BERT on one batch. The returned tensors belong to the caller (dispose them, or call
 * inside tf.tidy); every intermediate is released here. Token ids are range-checked by the lookup.
 */
export function forward(
  params: Params,
  config: BertConfig,
  input: BertInput,
  options: ForwardOptions,
): BertOutputs {
  checkInput(config, input);
  const { batchSize: B, seqLength: T } = input;
  const H = config.hidden;
  const dropout = hashedDropout(options.training, options.dropout);
  const e = params.embeddings;

  // tf.tidy releases every intermediate and hands the returned list to the caller's scope.
  const [mlmLogits, nspLogits, ...traced] = tf.tidy((): tf.Tensor[] => {
    // Embeddings: three table lookups, added. BERT's position ids are 0..T-1 in every sequence,
    // so the position lookup is the first T rows of E_position, broadcast over the batch.
    const token = gatherRows(e.token as tf.Tensor2D, input.inputIds).reshape<tf.Tensor3D>([B, T, H]); // [B, T, H]
    const segment = gatherRows(e.segment as tf.Tensor2D, input.tokenTypeIds).reshape<tf.Tensor3D>([B, T, H]); // [B, T, H]
    const position = tf.slice(e.position as tf.Tensor2D, [0, 0], [T, H]); // [T, H]
    const sum = token.add(segment).add(position) as tf.Tensor3D; // [B, T, H]
    const norm = layerNorm(sum, e.norm, config.layerNormEps); // mean, variance [B, T, 1]; output [B, T, H]
    let x = dropout(norm.output, config.hiddenDropout, DROPOUT_SITE.embeddings); // [B, T, H]

    const mask = tf.tensor4d(input.attentionMask, [B, 1, 1, T], 'int32').toFloat(); // [B, 1, 1, T]
    const maskAdd = tf.sub(1, mask).mul(MASKED_LOGIT) as tf.Tensor4D; // [B, 1, 1, T]  0 or -10000

    const attention: tf.Tensor4D[] = [];
    for (const [l, layer] of params.layers.entries()) {
      const out = encoderLayer(x, layer, maskAdd, config, dropout, l);
      x = out.output; // [B, T, H]
      if (options.trace === true) attention.push(out.probs);
    }

    // Masked LM: only the M masked slots go through the head. The output projection is h · E_tokenᵀ
    // when tied (the same table the input looked up), h · W_outᵀ when not; plus a bias per word.
    const atMasked = gatherRows(x.reshape([B * T, H]), input.maskedSlots); // [M, H]
    const transformed = gelu(dense(atMasked, params.mlm.transform)); // [M, H]
    const h = layerNorm(transformed, params.mlm.norm, config.layerNormEps).output; // [M, H]
    const outputTable = params.mlm.outputKernel ?? options.tiedOutputTable ?? e.token; // [V, H]
    const mlmLogits = projectOntoRows(h as tf.Tensor2D, outputTable as tf.Tensor2D).add(
      params.mlm.outputBias,
    ) as tf.Tensor2D; // [M, V]

    // Next sentence: the pooler reads the final [CLS] state, tanh(W · h_CLS + b), then 2 classes.
    const cls = tf.slice(x, [0, 0, 0], [B, 1, H]).reshape([B, H]) as tf.Tensor2D; // [B, H]
    const pooled = tf.tanh(dense(cls, params.nsp.pooler)); // [B, H]
    const nspLogits = dense(pooled, params.nsp.classifier); // [B, 2]

    if (options.trace !== true) return [mlmLogits, nspLogits];
    const trace: ForwardTrace = {
      tokenEmbedding: token, // [B, T, H]
      segmentEmbedding: segment, // [B, T, H]
      positionEmbedding: position, // [T, H]
      embeddingSum: sum, // [B, T, H]
      embeddingNormMean: norm.mean.reshape<tf.Tensor2D>([B, T]), // [B, T]
      embeddingNormVariance: norm.variance.reshape<tf.Tensor2D>([B, T]), // [B, T]
      embeddingOutput: norm.output, // [B, T, H]
      attention, // L x [B, A, T, T]
    };
    return [mlmLogits, nspLogits, ...traceTensors(trace)];
  });
  return {
    mlmLogits: mlmLogits as tf.Tensor2D,
    nspLogits: nspLogits as tf.Tensor2D,
    trace: options.trace === true ? traceFromTensors(traced) : null,
  };
}
