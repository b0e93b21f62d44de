/**
 * The named intermediates of one forward pass that the views draw: how the three embeddings are
 * looked up and summed, what the embedding LayerNorm does to each position, and where every head
 * attends. Made only when `forward` is asked for it; the caller disposes the tensors.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface ForwardTrace {
  readonly tokenEmbedding: tf.Tensor3D; // [B, T, H]  E_token[inputIds]
  readonly segmentEmbedding: tf.Tensor3D; // [B, T, H]  E_segment[tokenTypeIds]
  readonly positionEmbedding: tf.Tensor2D; // [T, H]  E_position[0..T-1], the same for every sequence
  readonly embeddingSum: tf.Tensor3D; // [B, T, H]  the three added
  readonly embeddingNormMean: tf.Tensor2D; // [B, T]  mean over H of the sum, per position
  readonly embeddingNormVariance: tf.Tensor2D; // [B, T]  variance over H of the sum, per position
  readonly embeddingOutput: tf.Tensor3D; // [B, T, H]  LayerNorm output, before dropout
  readonly attention: readonly tf.Tensor4D[]; // L x [B, A, T, T]  softmax probabilities per layer
}

/** The same trace as plain row-major Float32Arrays, ready to post from a Worker. */
export interface TraceArrays {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly hidden: number;
  readonly heads: number;
  readonly tokenEmbedding: Float32Array; // [B, T, H]
  readonly segmentEmbedding: Float32Array; // [B, T, H]
  readonly positionEmbedding: Float32Array; // [T, H]
  readonly embeddingSum: Float32Array; // [B, T, H]
  readonly embeddingNormMean: Float32Array; // [B, T]
  readonly embeddingNormVariance: Float32Array; // [B, T]
  readonly embeddingOutput: Float32Array; // [B, T, H]
  readonly attention: readonly Float32Array[]; // L x [B, A, T, T]
}

/** The per-position fields of a trace, in the fixed order its tensors are listed and read in. */
const FIELDS = [
  'tokenEmbedding',
  'segmentEmbedding',
  'positionEmbedding',
  'embeddingSum',
  'embeddingNormMean',
  'embeddingNormVariance',
  'embeddingOutput',
] as const;
type Field = (typeof FIELDS)[number];

/** Names a list laid out as FIELDS followed by one entry per layer's attention. */
function byName<T>(items: readonly T[]): Record<Field, T> & { attention: T[] } {
  if (items.length < FIELDS.length) {
    throw new Error(`A trace needs at least ${FIELDS.length} tensors, not ${items.length}.`);
  }
  const named = Object.fromEntries(FIELDS.map((field, i) => [field, items[i]!])) as Record<Field, T>;
  return { ...named, attention: items.slice(FIELDS.length) };
}

/** Every tensor of a trace, in a fixed order. */
export function traceTensors(trace: ForwardTrace): tf.Tensor[] {
  return [...FIELDS.map((field) => trace[field]), ...trace.attention];
}

/** The inverse of `traceTensors`. */
export function traceFromTensors(tensors: readonly tf.Tensor[]): ForwardTrace {
  return byName(tensors) as unknown as ForwardTrace;
}

/** Reads every traced tensor (asynchronously, so a GPU backend is not stalled) without disposing it. */
export async function readTrace(trace: ForwardTrace): Promise<TraceArrays> {
  const data = await Promise.all(traceTensors(trace).map((t) => t.data<'float32'>()));
  const [B, T, H] = trace.tokenEmbedding.shape;
  return {
    batchSize: B,
    seqLength: T,
    hidden: H,
    heads: trace.attention[0]?.shape[1] ?? 0,
    ...byName(data),
  };
}

export function disposeTrace(trace: ForwardTrace): void {
  for (const t of traceTensors(trace)) t.dispose();
}
