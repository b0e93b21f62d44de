/**
 * One training step with a full account of what happened to each embedding row: which rows got
 * a gradient through the input lookup, which through the tied output projection, how far each
 * row actually moved, and which rows moved with no gradient at all (Adam's momentum, weight
 * decay). The report is plain data (numbers and typed arrays), ready to post from a Worker.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argmaxRows, nonzeroIndices, uniqueSorted } from '../math/arrays';
import { deriveSeed } from '../math/rng';
import type { BertConfig } from '../model/config';
import type { TokenId } from '../tokenizer';
import { flattenParams, paramInfos, type BertParams } from '../model/params';
import { createParams, disposeParams } from '../model/variables';
import { computeGradients, disposeGradients } from './gradients';
import { nspLabel } from './loss';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizers';
import type { PretrainingBatch } from './pretraining-data';
import type { StepReport } from './stepReport';
import { CAUSE_INDEX, causeOf } from './rowCauses';
import { checkSchedule, clipScale, learningRate, type Schedule } from './schedule';

export interface TrainOptions {
  readonly optimizer: OptimizerConfig;
  readonly schedule: Schedule;
  /** Clip the global gradient norm to this (BERT: 1.0). */
  readonly clipNorm: number;
  /** Seeds the initial weights and, with the step number, every step's dropout. */
  readonly seed: number;
}

export interface TrainState {
  readonly config: BertConfig;
  readonly options: TrainOptions;
  readonly params: BertParams;
  readonly optimizer: Optimizer;
  /** Updates applied so far. */
  step: number;
}

export const DEFAULT_CLIP_NORM = 1.0;

export function createTrainState(config: BertConfig, options: TrainOptions): TrainState {
  checkSchedule(options.schedule);
  if (!(options.clipNorm > 0)) throw new RangeError(`clipNorm must be positive, not ${options.clipNorm}.`);
  const optimizer = createOptimizer(options.optimizer);
  return { config, options, params: createParams(config, options.seed), optimizer, step: 0 };
}

export function disposeState(state: TrainState): void {
  disposeParams(state.config, state.params);
  state.optimizer.dispose();
}

/** The E_token rows of `ids`, as plain arrays of H numbers. */
export async function snapshotRows(state: TrainState, ids: readonly number[]): Promise<Float32Array[]> {
  const { hidden: H, vocabSize: V } = state.config;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= V)
      throw new RangeError(`Row ${id} is not in E_token's ${V} rows.`);
  }
  const rows = tf.gather(state.params.embeddings.token, Int32Array.from(ids));
  const data = await rows.data<'float32'>();
  rows.dispose();
  return ids.map((_, i) => data.slice(i * H, (i + 1) * H));
}

/** ‖row‖ for every row of a [rows, cols] tensor: [rows]. */
function rowNorm(t: tf.Tensor): tf.Tensor1D {
  return t.square().sum(1).sqrt() as tf.Tensor1D;
}

async function readScalar(t: tf.Tensor): Promise<number> {
  return (await t.data())[0] ?? NaN;
}

function readFloats(t: tf.Tensor): Promise<Float32Array> {
  return t.data<'float32'>();
}

/**
 * ‖(d[r] − m)‖ for every row of d [rows, cols], with m = mean_r d[r] [cols]: each row's change
 * with the change all rows share taken out. Under a tied output every row that is not a target
 * gets the softmax gradient p_r · h (one direction h for all), and Adam's per-coordinate m/√v
 * turns it into nearly one step for all rows: the mean is that common drift.
 */
export function centredRowNorm(d: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => rowNorm(d.sub(d.mean(0, true))));
}

/** ‖Δrow‖ of the token, position and segment tables, then the token table's centred ‖Δrow − mean Δ‖. */
type UpdateNorms = [Float32Array, Float32Array, Float32Array, Float32Array];

/**
 * Clips and applies the gradient, and returns ‖new row - old row‖ for the token, position and
 * segment tables, and E_token's centred change (centredRowNorm). The old values are clones that
 * share the data until the optimizer assigns.
 */
async function applyUpdate(
  state: TrainState,
  gradients: readonly tf.Tensor[],
  scale: number,
  lr: number,
): Promise<UpdateNorms> {
  const e = state.params.embeddings;
  const tables = [e.token, e.position, e.segment];
  const before = tables.map((t) => t.clone());
  // One scalar for all parameters: a JS number per mul would upload a buffer per parameter.
  const scaleTensor = scale === 1 ? null : tf.scalar(scale);
  const clipped = scaleTensor === null ? gradients : gradients.map((a) => a.mul(scaleTensor));
  scaleTensor?.dispose();
  state.optimizer.apply(flattenParams(state.config, state.params), clipped, paramInfos(state.config), lr);
  if (clipped !== gradients) tf.dispose([...clipped]);
  const moved = tf.tidy(() => {
    const deltas = tables.map((t, i) => t.sub(before[i]!));
    return [...deltas.map(rowNorm), centredRowNorm(deltas[0] as tf.Tensor2D)];
  });
  tf.dispose(before);
  const [token, position, segment, centred] = await Promise.all(moved.map(readFloats));
  tf.dispose(moved);
  return [token!, position!, segment!, centred!];
}

/**
 * The heads' part of a step report from the predicted classes (argmax of each row's logits):
 * accuracies against the batch's targets, and the NSP guesses as the batch's isNext.
 */
export function headReport(
  batch: PretrainingBatch,
  mlmPredicted: Int32Array, // [M] token ids
  nspPredicted: Int32Array, // [B] classes, 0 = IsNext
): Pick<StepReport, 'mlmAccuracy' | 'mlmPredictions' | 'nspAccuracy' | 'nspPredictions'> {
  const M = batch.maskedLabels.length;
  const mlmCorrect = batch.maskedLabels.filter((label, m) => mlmPredicted[m] === label).length;
  const nspCorrect = Array.from(batch.isNext).filter(
    (isNext, b) => nspPredicted[b] === nspLabel(isNext),
  ).length;
  return {
    mlmAccuracy: M === 0 ? 0 : mlmCorrect / M,
    mlmPredictions: mlmPredicted,
    // Class 0 of the NSP head is IsNext (Google's convention); report it as the batch's isNext.
    nspPredictions: Int32Array.from(nspPredicted, (c) => (c === nspLabel(1) ? 1 : 0)),
    nspAccuracy: nspCorrect / batch.batchSize,
  };
}

/** The E_token rows of a step report: what each path's gradient and the update did to each row. */
export function rowReport(
  batch: PretrainingBatch,
  lookupGradRowNorm: Float32Array,
  outputGradRowNorm: Float32Array,
  updateRowNorm: Float32Array,
): Pick<
  StepReport,
  'lookupRows' | 'lookupGradRowNorm' | 'outputGradRowNorm' | 'updateRowNorm' | 'movedWithoutGradient'
> {
  // The row classification's own rule, so that this list and its 'momentum' count always agree.
  const movedWithoutGradient = nonzeroIndices(updateRowNorm).filter(
    (r) => causeOf(lookupGradRowNorm[r]!, outputGradRowNorm[r]!, updateRowNorm[r]!) === CAUSE_INDEX.momentum,
  ) as TokenId[];
  return {
    lookupRows: uniqueSorted(batch.inputIds) as TokenId[],
    lookupGradRowNorm,
    outputGradRowNorm,
    updateRowNorm,
    movedWithoutGradient,
  };
}

export async function trainStep(state: TrainState, batch: PretrainingBatch): Promise<StepReport> {
  const { config, params, options } = state;
  const step = state.step + 1;
  const lr = learningRate(options.schedule, step);
  const V = config.vocabSize;
  const infos = paramInfos(config);

  // Phase 1: forward and backward, ending with a read of the loss and the gradient norm.
  const t0 = performance.now();
  // One dropout seed per run; the step number is a counter of the hash, so each step (and the
  // fused WebGPU kernels, which evaluate the same hash) draws its own masks.
  const dropout = { seed: deriveSeed(options.seed, 'dropout'), step };
  const g = computeGradients(params, config, batch, { training: true, dropout });
  try {
    // The gradient that is applied: E_token gets the sum of its two paths.
    const applied = flattenParams(config, g.grads).map((grad, i) =>
      infos[i]!.name === 'embeddings.token' && g.tokenOutputGrad !== null
        ? grad.add(g.tokenOutputGrad)
        : grad.clone(),
    );
    // ‖g‖ = √(Σ_p ‖g_p‖²), summed one parameter at a time: tf.addN would bind all 46 inputs to
    // one WebGPU shader, past the 8 storage buffers a stage may use, and the invalid pipeline
    // silently reads as 0 on real GPUs (found on an H100), which turned clipping off.
    const norm = tf.tidy(() =>
      applied.reduce<tf.Tensor>((sum, a) => sum.add(a.square().sum()), tf.scalar(0)).sqrt(),
    );
    const [mlmLoss, nspLoss, totalLoss, gradNorm] = await Promise.all([
      readScalar(g.mlmLoss),
      readScalar(g.nspLoss),
      readScalar(g.loss),
      readScalar(norm),
    ]);
    norm.dispose();
    const nonFinite = ![mlmLoss, nspLoss, totalLoss, gradNorm].every(Number.isFinite);

    // Phase 2: clip and update, unless the step is not finite; measure how far each row moved.
    const t1 = performance.now();
    const scale = nonFinite ? 1 : clipScale(gradNorm, options.clipNorm);
    const noUpdate = (): UpdateNorms => [
      new Float32Array(V),
      new Float32Array(config.maxPositions),
      new Float32Array(config.typeVocabSize),
      new Float32Array(V),
    ];
    let updateNorms: UpdateNorms;
    try {
      updateNorms = nonFinite ? noUpdate() : await applyUpdate(state, applied, scale, lr);
    } finally {
      tf.dispose(applied);
    }
    const [updateRowNorm, positionUpdateRowNorm, segmentUpdateRowNorm, centredUpdateRowNorm] = updateNorms;
    if (!nonFinite) state.step = step;

    // Phase 3: per-row gradient norms and accuracies, read into plain arrays.
    const t2 = performance.now();
    const rowNorms = tf.tidy(() => [
      g.tokenOutputGrad === null ? tf.zeros([V]) : rowNorm(g.tokenOutputGrad),
      rowNorm(g.grads.embeddings.token),
      rowNorm(g.grads.embeddings.position),
      rowNorm(g.grads.embeddings.segment),
    ]);
    const [
      outputGradRowNorm,
      lookupGradRowNorm,
      positionGradRowNorm,
      segmentGradRowNorm,
      mlmLogits,
      nspLogits,
    ] = await Promise.all([...rowNorms, g.mlmLogits, g.nspLogits].map(readFloats));
    tf.dispose(rowNorms);

    const M = batch.maskedLabels.length;
    const heads = headReport(batch, argmaxRows(mlmLogits!, M, V), argmaxRows(nspLogits!, batch.batchSize, 2));
    const rows = rowReport(batch, lookupGradRowNorm!, outputGradRowNorm!, updateRowNorm);
    const t3 = performance.now();

    return {
      step,
      nonFinite,
      loss: { mlm: mlmLoss, nsp: nspLoss, total: totalLoss },
      ...heads,
      learningRate: lr,
      gradNorm,
      clipScale: scale,
      ...rows,
      centredUpdateRowNorm,
      positionGradRowNorm: positionGradRowNorm!,
      positionUpdateRowNorm,
      segmentGradRowNorm: segmentGradRowNorm!,
      segmentUpdateRowNorm,
      ms: { forwardBackward: t1 - t0, optimizer: t2 - t1, report: t3 - t2 },
      batch,
    };
  } finally {
    disposeGradients(config, g);
  }
}
