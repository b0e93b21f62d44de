/**
 * BERT's input embeddings (Figure 2 of the paper) in plain arithmetic, with no tfjs: look up the
 * token, segment and position rows, add them cell by cell, then LayerNorm each position. With the
 * initial tables from the seed this is exactly what the engine computes at step 0, so the page can
 * show the step-0 numbers before the engine has even loaded; a test holds the two equal.
 */
import type { BertConfig } from './config';
import { initialLeafNamed } from './params';

/** The three lookup tables and the embedding LayerNorm's parameters, as plain arrays. */
export interface EmbeddingTables {
  readonly vocabSize: number;
  readonly hidden: number;
  readonly maxPositions: number;
  readonly token: Float32Array; // [V, H]
  readonly segment: Float32Array; // [2, H]
  readonly position: Float32Array; // [P, H]
  readonly gamma: Float32Array; // [H]
  readonly beta: Float32Array; // [H]
  readonly step: number;
}

/** The tables before any step: BERT's initialization from the seed (params.ts), leaf by leaf. */
export function initialEmbeddingTables(config: BertConfig, seed: number): EmbeddingTables {
  const leaf = (name: string): Float32Array => initialLeafNamed(config, seed, name);
  return {
    vocabSize: config.vocabSize,
    hidden: config.hidden,
    maxPositions: config.maxPositions,
    token: leaf('embeddings.token'),
    segment: leaf('embeddings.segment'),
    position: leaf('embeddings.position'),
    gamma: leaf('embeddings.norm.gamma'),
    beta: leaf('embeddings.norm.beta'),
    step: 0,
  };
}

/** One sequence's embedding intermediates, row-major [T, H] (or [T] for the statistics). */
export interface EmbeddingSumArrays {
  readonly tokenEmbedding: Float32Array;
  readonly segmentEmbedding: Float32Array;
  readonly positionEmbedding: Float32Array;
  readonly embeddingSum: Float32Array;
  readonly embeddingNormMean: Float32Array;
  readonly embeddingNormVariance: Float32Array;
  /** (x − μ) / √(σ² + ε), before γ and β. */
  readonly embeddingNormalized: Float32Array;
  readonly embeddingOutput: Float32Array;
}

/**
 * x_t = E_token[id_t] + E_segment[s_t] + E_position[t]; then per position, over the H columns,
 * μ = mean(x), σ² = mean((x − μ)²) (the biased variance, as tf.moments and BERT's LayerNorm),
 * x̂ = (x − μ) / √(σ² + ε), y = γ ⊙ x̂ + β.
 */
export function embeddingSum(
  tables: EmbeddingTables,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[],
  layerNormEps: number,
): EmbeddingSumArrays {
  const H = tables.hidden;
  const T = inputIds.length;
  const make = () => new Float32Array(T * H);
  const out = {
    tokenEmbedding: make(),
    segmentEmbedding: make(),
    positionEmbedding: make(),
    embeddingSum: make(),
    embeddingNormMean: new Float32Array(T),
    embeddingNormVariance: new Float32Array(T),
    embeddingNormalized: make(),
    embeddingOutput: make(),
  };
  for (let t = 0; t < T; t++) {
    const id = inputIds[t]!;
    const segment = tokenTypeIds[t]!;
    if (id < 0 || id >= tables.vocabSize) throw new RangeError(`Token id ${id} is outside the vocabulary.`);
    if (t >= tables.maxPositions) throw new RangeError(`Position ${t} is beyond the position table.`);
    let mean = 0;
    for (let j = 0; j < H; j++) {
      const k = t * H + j;
      out.tokenEmbedding[k] = tables.token[id * H + j]!;
      out.segmentEmbedding[k] = tables.segment[segment * H + j]!;
      out.positionEmbedding[k] = tables.position[t * H + j]!;
      // Summed in float32, in the order the model adds them: (token + segment) + position.
      out.embeddingSum[k] = out.tokenEmbedding[k]! + out.segmentEmbedding[k]! + out.positionEmbedding[k]!;
      mean += out.embeddingSum[k]!;
    }
    mean /= H;
    let variance = 0;
    for (let j = 0; j < H; j++) variance += (out.embeddingSum[t * H + j]! - mean) ** 2;
    variance /= H;
    out.embeddingNormMean[t] = mean;
    out.embeddingNormVariance[t] = variance;
    const inv = 1 / Math.sqrt(variance + layerNormEps);
    for (let j = 0; j < H; j++) {
      const k = t * H + j;
      out.embeddingNormalized[k] = (out.embeddingSum[k]! - mean) * inv;
      out.embeddingOutput[k] = out.embeddingNormalized[k]! * tables.gamma[j]! + tables.beta[j]!;
    }
  }
  return out;
}
