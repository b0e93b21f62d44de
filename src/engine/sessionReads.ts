/**
 * What a session reads out of its model for the page: one sentence pair's intermediates, copies of
 * the embedding tables, and probe gradients. Each reads the weights as they are; the session makes
 * them current first (the fused path keeps them in its own buffers).
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  disposeTrace,
  flattenParams,
  forward,
  paramInfos,
  readTrace,
  type EmbeddingTables,
  type TraceArrays,
} from '../core/model';
import type { BertTokenizer } from '../core/tokenizer';
import { learnedReport, type LearnedAxes } from '../core/learned/report';
import type { LearnedReport, LearnedRequest } from '../core/learned/types';
import { computeGradients, disposeGradients, type PretrainingBatch, type TrainState } from '../core/train';

export interface PairTrace extends TraceArrays {
  readonly tokens: readonly string[];
  readonly inputIds: readonly number[];
  readonly tokenTypeIds: readonly number[];
  readonly step: number;
  /** (sum − mean) / sqrt(variance + ε), before γ and β: [1, T, H]. */
  readonly embeddingNormalized: Float32Array;
  readonly gamma: Float32Array; // [H], the embedding LayerNorm's scale
  readonly beta: Float32Array; // [H], and its shift
  readonly layerNormEps: number;
  /** The position table's length: longer pairs were cut to it. */
  readonly maxPositions: number;
  /** Word pieces of A and B that truncation to maxPositions cut off. */
  readonly truncatedPieces: number;
}

/** A copy of a tensor's values: some backends hand out their own storage, which must not be transferred. */
async function copyOf(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data<'float32'>());
}

export /** The model's intermediates for one sentence pair, packed as the tokenizer does, no dropout. */
async function traceOf(
  state: TrainState,
  tokenizer: BertTokenizer,
  a: string,
  b?: string,
): Promise<PairTrace> {
  const config = state.config;
  // Truncated to the position table, the longest input this model can read.
  const packed = tokenizer.encodePair(a, b, { maxLength: config.maxPositions });
  const T = packed.inputIds.length;
  const input = {
    batchSize: 1,
    seqLength: T,
    inputIds: Int32Array.from(packed.inputIds),
    tokenTypeIds: Int32Array.from(packed.tokenTypeIds),
    attentionMask: Int32Array.from(packed.attentionMask),
    maskedSlots: new Int32Array(0),
  };
  const out = forward(state.params, config, input, { training: false, trace: true });
  try {
    const arrays = await readTrace(out.trace!);
    const norm = state.params.embeddings.norm;
    const H = config.hidden;
    // LayerNorm's first half, from the traced sum and statistics: x̂ = (x − μ) / sqrt(σ² + ε).
    const normalized = arrays.embeddingSum.map((x, i) => {
      const t = Math.floor(i / H);
      return (
        (x - arrays.embeddingNormMean[t]!) / Math.sqrt(arrays.embeddingNormVariance[t]! + config.layerNormEps)
      );
    });
    return {
      ...arrays,
      tokens: packed.tokens,
      inputIds: packed.inputIds,
      tokenTypeIds: packed.tokenTypeIds,
      step: state.step,
      embeddingNormalized: normalized,
      gamma: await copyOf(norm.gamma),
      beta: await copyOf(norm.beta),
      layerNormEps: config.layerNormEps,
      maxPositions: config.maxPositions,
      truncatedPieces: packed.truncated.a + packed.truncated.b,
    };
  } finally {
    disposeTrace(out.trace!);
    out.mlmLogits.dispose();
    out.nspLogits.dispose();
  }
}

/** The tables as the page gets them: with E_token as it was at step 0, to show what changed since. */
export interface SessionTables extends EmbeddingTables {
  /** E_token before the first step, from the seed alone (core/model/params.ts): [V, H]. */
  readonly tokenAtStart: Float32Array;
}

/**
 * Copies of the embedding tables and the embedding LayerNorm's γ and β, and a copy of
 * `tokenAtStart` (the Worker moves the buffers to the page, so each read gets its own).
 */
export async function tablesOf(state: TrainState, tokenAtStart: Float32Array): Promise<SessionTables> {
  const config = state.config;
  const e = state.params.embeddings;
  return {
    tokenAtStart: tokenAtStart.slice(),
    vocabSize: config.vocabSize,
    hidden: config.hidden,
    maxPositions: config.maxPositions,
    token: await copyOf(e.token),
    segment: await copyOf(e.segment),
    position: await copyOf(e.position),
    gamma: await copyOf(e.norm.gamma),
    beta: await copyOf(e.norm.beta),
    step: state.step,
  };
}

/** Gradients of `batch` without dropout, by parameter name; nothing is applied. */
export async function probeGradientsOf(
  state: TrainState,
  batch: PretrainingBatch,
): Promise<Record<string, Float32Array>> {
  const config = state.config;
  const g = computeGradients(state.params, config, batch, { training: false });
  try {
    const named: Record<string, Float32Array> = {};
    const infos = paramInfos(config);
    const grads = flattenParams(config, g.grads);
    const arrays = await Promise.all(grads.map((t) => t.data<'float32'>()));
    infos.forEach((info, i) => (named[info.name] = arrays[i]!));
    if (g.tokenOutputGrad)
      named['embeddings.token (output path)'] = await g.tokenOutputGrad.data<'float32'>();
    named.loss = Float32Array.of((await g.loss.data())[0]!);
    return named;
  } finally {
    disposeGradients(config, g);
  }
}

/** What a "What the rows learned" report needs besides the weights: fixed for a session, but the axes. */
export interface LearnedSource {
  readonly vocab: readonly string[];
  /** How often each id occurs in the training corpus: [V]. */
  readonly pieceCounts: Uint32Array;
  /** E_segment at step 0, from the seed: [2, H]. */
  readonly segmentAtStart: Float32Array;
  readonly seqLength: number;
  readonly previousAxes: LearnedAxes | null;
}

/**
 * The report of core/learned for the weights as they are. The tables are read, not copied: the
 * report is computed from them at once and holds only arrays of its own, which may be transferred.
 */
export async function learnedOf(
  state: TrainState,
  request: LearnedRequest,
  source: LearnedSource,
): Promise<{ report: LearnedReport; axes: LearnedAxes }> {
  const { vocabSize, hidden, maxPositions } = state.config;
  const e = state.params.embeddings;
  const [token, position, segment] = await Promise.all(
    [e.token, e.position, e.segment].map((t) => t.data<'float32'>()),
  );
  return learnedReport({
    tables: {
      step: state.step,
      vocabSize,
      hidden,
      maxPositions,
      token: token!,
      position: position!,
      segment: segment!,
      segmentAtStart: source.segmentAtStart,
    },
    vocab: source.vocab,
    pieceCounts: source.pieceCounts,
    request,
    seqLength: source.seqLength,
    previousAxes: source.previousAxes,
  });
}
