/**
 * Every buffer the fused step makes, with its size in bytes, computed before any is created, and
 * the check of those sizes against the device's limits. Pure arithmetic (no GPU), so Node tests
 * can size bert-tiny at 64 × 512 without a device.
 *
 * Each storage buffer is bound whole to a shader (gpu.ts binds `{ buffer }` with no range), so it
 * must fit both `maxBufferSize` (any buffer) and `maxStorageBufferBindingSize` (one binding). The
 * report's staging buffer is only copied into and mapped: `maxBufferSize` alone applies.
 */
import type { BertConfig } from '../model/config';
import { FusedStepError } from './errors';
import { GRAD_NORM_PARTIALS } from './kernels/gradNorm';
import { SEGMENT_WORDS } from './kernels/optimizer';
import type { FlatLayout } from './layout';
import { reportLayout, STATS } from './report';
import { activationLeaves, activationSizes, type BatchShape } from './stepBuffers';

/** The report's float section, in elements: lookup norms [R], output norms [V], update norms [R]. */
export function normsLayout(config: BertConfig) {
  const R = config.vocabSize + config.typeVocabSize + config.maxPositions;
  const V = config.vocabSize;
  // lookup [R], output [V], update [R], then E_token's centred update ‖Δrow − mean Δ‖ [V].
  return { R, lookup: 0, output: R, update: R + V, centred: 2 * R + V, length: 2 * R + 2 * V };
}

/** The report staging buffer's words (report.ts's reportLayout): stats, losses, predictions, row norms. */
function reportWords(config: BertConfig, M: number, B: number): number {
  return reportLayout(M, B, normsLayout(config).length).words;
}

/**
 * The trainer's buffers that outlive a step, in elements. Buffers an option leaves unused (slot2
 * for SGD, the output-path gradient of an untied model) keep one element: WebGPU has no
 * zero-sized binding.
 */
export function trainerSizes(config: BertConfig, layout: FlatLayout, slots: number, shape: BatchShape) {
  const R = layout.embeddingBlock.rows;
  const { hidden: H, vocabSize: V } = config;
  return {
    params: layout.length,
    grads: layout.length,
    slot1: slots >= 1 ? layout.length : 1,
    slot2: slots >= 2 ? layout.length : 1,
    tokenOutGrad: config.tieOutputEmbeddings ? V * H : 1, // dE_token (output path) [V, H]
    delta: R * H, // Δ embeddings [R, H]
    rowHasGrad: R,
    segments: SEGMENT_WORDS * layout.leaves.length,
    norms: normsLayout(config).length,
    stats: STATS.words, // [‖g‖, nonFinite, clipScale, ‖g‖²]
    losses: 4, // [MLM, NSP] and padding
    partials: GRAD_NORM_PARTIALS,
    scratchNorms: R,
    columnSums: H, // Σ_r ΔE_token[r] [H]: the common drift, times V
    preds: shape.maxMasked + shape.batchSize, // MLM predictions [M], then NSP [B]
  };
}

export type TrainerBuffer = keyof ReturnType<typeof trainerSizes>;

/** One buffer of the plan. `batch`: its size grows with the batch shape (else with the model). */
export interface PlannedBuffer {
  readonly label: string;
  readonly bytes: number;
  readonly bound: boolean;
  readonly batch: boolean;
}

/** Bytes of a buffer of `elements` 4-byte elements (at least one element: see `trainerSizes`). */
const bufferBytes = (elements: number): number => Math.max(4, elements * 4);

const BATCH_BUFFERS: ReadonlySet<TrainerBuffer> = new Set(['preds']);

export function fusedBufferPlan(
  config: BertConfig,
  layout: FlatLayout,
  slots: number,
  shape: BatchShape,
): PlannedBuffer[] {
  const own = Object.entries(trainerSizes(config, layout, slots, shape)).map(([label, n]) => ({
    label,
    bytes: bufferBytes(n),
    bound: true,
    batch: BATCH_BUFFERS.has(label as TrainerBuffer),
  }));
  const acts = activationLeaves(activationSizes(config, shape)).map(({ label, value }) => ({
    label,
    bytes: bufferBytes(value),
    bound: true,
    batch: true,
  }));
  const report = {
    label: 'report staging',
    bytes: 4 * reportWords(config, shape.maxMasked, shape.batchSize),
    bound: false,
    batch: true,
  };
  return [...own, ...acts, report];
}

/** The limits `checkBufferLimits` reads (a subset of GPUSupportedLimits). */
export interface BufferLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The limit that applies to `b` (a bound buffer must fit both), with its name. */
function limitFor(b: PlannedBuffer, limits: BufferLimits): [string, number] {
  return b.bound && limits.maxStorageBufferBindingSize <= limits.maxBufferSize
    ? ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize]
    : ['maxBufferSize', limits.maxBufferSize];
}

/**
 * Throws FusedStepError('limits') naming the largest buffer of `plan` that the device cannot
 * hold, its size, the limit and what to change. Nothing has been created yet, so the weights are
 * kept.
 */
export function checkBufferLimits(
  plan: readonly PlannedBuffer[],
  limits: BufferLimits,
  shape: BatchShape,
): void {
  const over = plan.filter((b) => b.bytes > limitFor(b, limits)[1]).sort((x, y) => y.bytes - x.bytes);
  const b = over[0];
  if (b === undefined) return;
  const [name, limit] = limitFor(b, limits);
  const others =
    over.length > 1 ? ` (and ${over.length - 1} smaller buffer${over.length > 2 ? 's' : ''})` : '';
  const change = b.batch
    ? `a smaller batch size or sequence length (now ${shape.batchSize} × ${shape.seqLength}, up to ${shape.maxMasked} masked tokens)`
    : 'a smaller model (this buffer does not depend on the batch)';
  throw new FusedStepError(
    'limits',
    `The fused WebGPU step needs a ${MB(b.bytes)} buffer "${b.label}" (${b.bytes} bytes)${others}, over this device's ${name} of ${MB(limit)} (${limit} bytes). Choose ${change}.`,
    true,
  );
}
