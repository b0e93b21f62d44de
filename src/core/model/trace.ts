/**
 * The named intermediates of one forward pass that the views draw: how the three embeddings are
 * looked up and summed, what the embedding LayerNorm does to each position, and where every head
 * attends. Made only when `forward` is asked for it; the caller disposes the tensors.
 */
import type * as tf from '@tensorflow/tfjs';

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

/** Every tensor of a trace, in a fixed order. */
export function traceTensors(trace: ForwardTrace): tf.Tensor[] {
  return [
    trace.tokenEmbedding,
    trace.segmentEmbedding,
    trace.positionEmbedding,
    trace.embeddingSum,
    trace.embeddingNormMean,
    trace.embeddingNormVariance,
    trace.embeddingOutput,
    ...trace.attention,
  ];
}

/** The inverse of `traceTensors`. */
export function traceFromTensors(tensors: readonly tf.Tensor[]): ForwardTrace {
  const at = <T extends tf.Tensor>(i: number): T => {
    const t = tensors[i];
    if (t === undefined) throw new Error(`A trace needs at least 7 tensors, not ${tensors.length}.`);
    return t as T;
  };
  return {
    tokenEmbedding: at(0),
    segmentEmbedding: at(1),
    positionEmbedding: at(2),
    embeddingSum: at(3),
    embeddingNormMean: at(4),
    embeddingNormVariance: at(5),
    embeddingOutput: at(6),
    attention: tensors.slice(7) as tf.Tensor4D[],
  };
}

/** Reads every traced tensor (asynchronously, so a GPU backend is not stalled) without disposing it. */
export async function readTrace(trace: ForwardTrace): Promise<TraceArrays> {
  const data = await Promise.all(traceTensors(trace).map((t) => t.data<'float32'>()));
  const at = (i: number): Float32Array => data[i]!;
  const [B, T, H] = trace.tokenEmbedding.shape;
  const heads = trace.attention[0]?.shape[1] ?? 0;
  return {
    batchSize: B,
    seqLength: T,
    hidden: H,
    heads,
    tokenEmbedding: at(0),
    segmentEmbedding: at(1),
    positionEmbedding: at(2),
    embeddingSum: at(3),
    embeddingNormMean: at(4),
    embeddingNormVariance: at(5),
    embeddingOutput: at(6),
    attention: data.slice(7),
  };
}

export function disposeTrace(trace: ForwardTrace): void {
  for (const t of traceTensors(trace)) t.dispose();
}
