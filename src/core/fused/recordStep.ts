/**
 * One whole fused step recorded and submitted (see trainer.ts for the math): the batch's integers
 * uploaded, the gradients cleared, the forward (recordForward.ts), the heads and the backward
 * (recordBackward.ts), the report's gradient row norms, ‖g‖, clipping and the non-finite check,
 * the optimizer, the update row norms, and the copy of the report into its staging buffer, all in
 * one command buffer and one submit.
 */
import type { BertConfig } from '../model/config';
import type { BertParams } from '../model/params';
import type { OptimizerConfig } from '../train/optimizers';
import { nspLabel } from '../train/loss';
import type { PretrainingBatch } from '../train/pretraining-data';
import { normsLayout, type BufferLimits, type TrainerBuffer } from './bufferPlan';
import { Recorder, view, type GpuContext, type View } from './gpu';
import { addInto } from './kernels/elementwise';
import { lookupPlan } from './kernels/embeddings';
import { gradNorm } from './kernels/gradNorm';
import { optimizerStep } from './kernels/optimizer';
import type { DropoutArgs } from './kernels/program';
import { columnSum } from './kernels/reduce';
import { rowNorms } from './kernels/rowNorms';
import { flatLayout, paramViews, type FlatLayout } from './layout';
import { recordHeadsAndBackward } from './recordBackward';
import { recordForward } from './recordForward';
import { LOSSES, REPORT_SECTIONS, reportLayout } from './report';
import { intsLayout, type Activations, type BatchShape, type StepRecording } from './stepBuffers';
import { makeTrainerBuffers } from './trainerBuffers';

/** What a trainer keeps from one step to the next: the model's shape and every buffer. */
export interface TrainerCore {
  readonly ctx: GpuContext;
  readonly config: BertConfig;
  readonly layout: FlatLayout;
  readonly optimizer: OptimizerConfig;
  readonly own: Readonly<Record<TrainerBuffer, GPUBuffer>>;
  readonly acts: Activations;
  /** Every parameter's View, and its gradient's (paramViews of own.params and own.grads). */
  readonly P: BertParams<View>;
  readonly G: BertParams<View>;
}

/**
 * The core of a trainer for `config` and its optimizer (with `slots` moments per parameter) on
 * `device`, its buffers made for `shape`; fails as makeTrainerBuffers does.
 */
export async function makeTrainerCore(
  device: GPUDevice,
  config: BertConfig,
  optimizer: { readonly config: OptimizerConfig; readonly slots: number },
  shape: BatchShape,
  limits?: Partial<BufferLimits>,
): Promise<TrainerCore> {
  const layout = flatLayout(config);
  const { ctx, own, acts } = await makeTrainerBuffers(device, config, layout, optimizer.slots, shape, limits);
  return {
    ctx,
    config,
    layout,
    optimizer: optimizer.config,
    own,
    acts,
    P: paramViews(config, layout, own.params),
    G: paramViews(config, layout, own.grads),
  };
}

/** The scalars of one step. */
export interface StepInputs {
  readonly step: number;
  readonly lr: number;
  /** The dropout seed (deriveSeed of the run's seed). */
  readonly dropoutSeed: number;
  readonly clipNorm: number;
  /** The optimizer's 1-based update count t, for Adam's bias corrections. */
  readonly t: number;
  /** Test hooks: also record a copy WebGPU must reject (trainer.ts's breakNextStep). */
  readonly breakSubmission: boolean;
}

/**
 * Records and submits the step; returns the staging buffer the report will be read from and
 * the dispatches it made.
 */
export function recordStep(
  core: TrainerCore,
  batch: PretrainingBatch,
  s: StepInputs,
): { staging: GPUBuffer; dispatches: number } {
  const { ctx, config, own, acts } = core;
  const rec = new Recorder(ctx);
  const M = batch.maskedSlots.length;
  rec.encoderCommand((e) => {
    e.clearBuffer(own.grads);
    e.clearBuffer(own.delta);
    e.clearBuffer(acts.dH[0]);
    e.clearBuffer(own.losses);
    if (config.tieOutputEmbeddings && M === 0) e.clearBuffer(own.tokenOutGrad);
  });
  const recording = stepRecording(core, rec, batch, s);
  recordForward(recording);
  recordHeadsAndBackward(recording);
  recordUpdate(core, rec, s);
  const staging = copyReport(core, rec, M, batch.batchSize, s.breakSubmission);
  return { staging, dispatches: rec.submit() };
}

/**
 * Uploads the batch's integers (writeBuffer, queued before the submit: no extra submit) and
 * names everything the forward and backward record into.
 */
function stepRecording(
  core: TrainerCore,
  rec: Recorder,
  batch: PretrainingBatch,
  s: StepInputs,
): StepRecording {
  const { batchSize: B, seqLength: T } = batch;
  const M = batch.maskedSlots.length;
  const il = intsLayout(B, T, M);
  const ints = new Int32Array(il.length);
  ints.set(batch.inputIds, il.ids);
  ints.set(batch.tokenTypeIds, il.types);
  ints.set(batch.attentionMask, il.mask);
  ints.set(batch.maskedSlots, il.maskedSlots);
  ints.set(batch.maskedLabels, il.labels);
  ints.set(Int32Array.from(batch.isNext, nspLabel), il.nspLabels);
  const plan = lookupPlan(batch.inputIds);
  ints.set(plan.uniqueIds, il.uniqueIds);
  ints.set(plan.slotStart, il.slotStart);
  ints.set(plan.slots, il.slots);
  core.ctx.write(core.acts.ints, ints);
  const { step, dropoutSeed: seed } = s;
  return {
    rec,
    config: core.config,
    layout: core.layout,
    a: core.acts,
    P: core.P,
    G: core.G,
    tokenOutGrad: core.own.tokenOutGrad,
    losses: core.own.losses,
    preds: core.own.preds,
    B,
    T,
    N: B * T,
    M,
    U: plan.uniqueIds.length,
    I: (section) => view(core.acts.ints, il[section]),
    drop: (site: number, rate: number): DropoutArgs | undefined =>
      rate > 0 ? { seed, step, site, rate } : undefined,
  };
}

/**
 * The report's gradient row norms, then E_token's two paths summed; ‖g‖, clip and non-finite,
 * and the update, with no readback in between; then the update's row norms.
 */
function recordUpdate(core: TrainerCore, rec: Recorder, s: StepInputs): void {
  const { config, layout, own } = core;
  const { hidden: H, vocabSize: V } = config;
  const nl = normsLayout(config);
  const R = layout.embeddingBlock.rows;
  const block = view(own.grads, layout.embeddingBlock.offset);
  rowNorms(rec, { x: block, rows: R, width: H, out: view(own.norms, nl.lookup) });
  if (config.tieOutputEmbeddings) {
    rowNorms(rec, { x: view(own.tokenOutGrad), rows: V, width: H, out: view(own.norms, nl.output) });
    addInto(rec, { x: core.G.embeddings.token, y: view(own.tokenOutGrad), n: V * H });
  }
  if (core.optimizer.kind === 'lazyadam') {
    const flags = view(own.rowHasGrad);
    rowNorms(rec, { x: block, rows: R, width: H, out: view(own.scratchNorms), flags });
  }
  gradNorm(rec, {
    grads: view(own.grads),
    length: layout.length,
    losses: view(own.losses),
    lossCount: LOSSES.words,
    clipNorm: s.clipNorm,
    partials: view(own.partials),
    stats: view(own.stats),
  });
  optimizerStep(rec, {
    config: core.optimizer,
    params: view(own.params),
    grads: view(own.grads),
    slot1: view(own.slot1),
    slot2: view(own.slot2),
    segments: view(own.segments),
    segmentCount: layout.leaves.length,
    length: layout.length,
    stats: view(own.stats),
    rowHasGrad: view(own.rowHasGrad),
    delta: view(own.delta),
    lr: s.lr,
    t: s.t,
  });
  rowNorms(rec, { x: view(own.delta), rows: R, width: H, out: view(own.norms, nl.update) });
  // The common drift: Σ_r ΔE_token[r] over the V token rows (deterministic column sums), then
  // each token row's ‖Δrow − Σ/V‖: one extra pass over ΔE_token.
  columnSum(rec, { x: view(own.delta), rows: V, cols: H, out: view(own.columnSums) });
  rowNorms(rec, {
    x: view(own.delta),
    rows: V,
    width: H,
    out: view(own.norms, nl.centred),
    centre: { sums: view(own.columnSums), scale: 1 / V },
  });
}

/** One staging buffer for the whole report, copied section by section in the same submission. */
function copyReport(core: TrainerCore, rec: Recorder, M: number, B: number, breakIt: boolean): GPUBuffer {
  const { own } = core;
  const { sections, words } = reportLayout(M, B, normsLayout(core.config).length);
  const staging = core.ctx.device.createBuffer({
    label: 'report staging',
    size: 4 * words,
    usage: 0x01 | 0x08,
  });
  if (breakIt) {
    // Test hooks: the staging buffer has no COPY_SRC usage, so WebGPU rejects this copy, the
    // command buffer is invalid and the submission runs nothing (a real validation error).
    rec.encoderCommand((e) => e.copyBufferToBuffer(staging, 0, own.norms, 0, 4));
  }
  rec.encoderCommand((e) => {
    for (const name of REPORT_SECTIONS) {
      e.copyBufferToBuffer(own[name], 0, staging, sections[name].at * 4, sections[name].words * 4);
    }
  });
  return staging;
}
