/**
 * BERT's training step as one WebGPU submission: forward, backward, the global gradient norm,
 * clipping, the non-finite check and the optimizer, all recorded by `Recorder` into one compute
 * pass on tfjs-backend-webgpu's own device, then one asynchronous read of the step's report.
 * Nothing is read back in the middle of a step: the clip factor and "skip this update" decision
 * are made on the GPU from the gradient norm (kernels/gradNorm.ts) and read by the optimizer.
 *
 * It computes the same function as the composite tfjs step (src/core/train/step.ts) with the same
 * dropout masks (the counter hash of dropoutHash.ts), and produces the same `StepReport`.
 *
 * Buffers: the parameters, gradients and optimizer moments are flat (layout.ts); every activation
 * the backward pass needs is kept in its own buffer, sized once for the batch shape. Shapes: B
 * sequences of T slots, N = B·T rows, H hidden, A heads, F intermediate, V vocabulary, M masked.
 *
 * The sequence of one step (each line one or two dispatches; comments give the math):
 *   embeddings:   h0 = dropout(LN(E_tok[id] + E_seg[type] + E_pos[t]))
 *   each layer l: qkv = h W_{q,k,v} + b                   (one batched matmul)
 *                 ctx = softmax(q kᵀ/√D + mask) v          (heads merged)
 *                 a   = LN(dropout(ctx W_o + b_o) + h)
 *                 h'  = LN(dropout(GELU(a W_1 + b_1) W_2 + b_2) + a)
 *   MLM head:     z = LN(GELU(h_L[masked] W_t + b_t)); logits = z Eᵀ + b_out; CE (+ its gradient)
 *   NSP head:     pooled = tanh(h_L[CLS] W_p + b_p); logits = pooled W_c + b_c; CE, gradients
 *   backward in reverse, then ‖g‖, clip, optimizer, and the row norms of the report.
 *
 * Where: recordStep.ts records and submits a step (recordForward.ts, recordBackward.ts, whose
 * dense layers all go through dense.ts); this module owns the trainer's life (loading and syncing
 * the weights, the error scopes around a step) and turns the raw report (report.ts) into a
 * StepReport.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../math/rng';
import { flattenParams } from '../model/params';
import type { PretrainingBatch } from '../train/pretraining-data';
import { learningRate } from '../train/schedule';
import { headReport, rowReport, type TrainState } from '../train/step';
import type { StepReport } from '../train/stepReport';
import { normsLayout, type BufferLimits } from './bufferPlan';
import { FusedStepError } from './errors';
import { mapScoped, scoped, type GpuContext } from './gpu';
import type { FlatLayout } from './layout';
import { makeTrainerCore, recordStep, type TrainerCore } from './recordStep';
import { impossibleReport, parseReport, type RawReport } from './report';
import type { BatchShape } from './stepBuffers';

export interface FusedTrainer {
  readonly ctx: GpuContext;
  readonly layout: FlatLayout;
  /** The batch shape the buffers were made for; every batch must have it. */
  readonly shape: BatchShape;
  /**
   * Records, submits and reads back one training step. Rejects with a FusedStepError when WebGPU
   * refused the step ('validation', 'out-of-memory') or its report cannot be true
   * ('impossible-report'); the state's step and update counters then do not advance.
   */
  step(batch: PretrainingBatch): Promise<StepReport>;
  /** Copies the flat parameters and optimizer state back into the TrainState's tf.Variables. */
  syncToState(): Promise<void>;
  /** Reloads the flat buffers from the TrainState's variables (after they were restored). */
  loadFromState(): Promise<void>;
  /**
   * The gradient the last step applied, per parameter name, before clipping (E_token holds its
   * two paths summed), for the equality tests against the composite step.
   */
  readGradients(): Promise<Record<string, Float32Array>>;
  /** Dispatches and submits of the last step (for the benchmarks and the budget test). */
  readonly lastCounts: { readonly dispatches: number; readonly submits: number };
  /**
   * Test hooks: the next step also records a copy out of a buffer that lacks COPY_SRC, which
   * WebGPU must reject, so that step's submission is invalid and runs nothing.
   */
  breakNextStep(): void;
  dispose(): void;
}

export interface FusedTrainerOptions {
  /** Test hooks: lower limits than the device's to check the buffers against. */
  readonly limits?: Partial<BufferLimits>;
}

/**
 * A fused trainer for `state` (or for whatever state `state()` returns now: a session replaces
 * its TrainState object when the learning rate changes), with its buffers made for batches of
 * `shape`. The trainer keeps the weights in its own flat buffers, loaded from the state's
 * variables before the first step; `syncToState` writes them back, and the state's `step` and
 * update count advance with every applied step.
 *
 * Every buffer is sized and checked against `device.limits` before any is made (FusedStepError
 * 'limits'), and made inside error scopes ('out-of-memory', or 'validation'); on either failure
 * the buffers made so far are destroyed and the state's variables were never touched.
 */
export async function createFusedTrainer(
  state: TrainState | (() => TrainState),
  device: GPUDevice,
  shape: BatchShape,
  options: FusedTrainerOptions = {},
): Promise<FusedTrainer> {
  const current = typeof state === 'function' ? state : () => state;
  const { config, optimizer } = current();
  const slots = optimizer.slotNames.length; // 0, 1 (momentum) or 2 (m, v)
  const core = await makeTrainerCore(
    device,
    config,
    { config: optimizer.config, slots },
    shape,
    options.limits,
  );
  return new FusedStepTrainer(core, current, shape, slots);
}

class FusedStepTrainer implements FusedTrainer {
  readonly ctx: GpuContext;
  readonly layout: FlatLayout;
  readonly lastCounts = { dispatches: 0, submits: 0 };
  private loaded: Promise<void> | null = null;
  private breakArmed = false;

  constructor(
    private readonly core: TrainerCore,
    private readonly current: () => TrainState,
    readonly shape: BatchShape,
    /** Optimizer slots per parameter: 0, 1 (momentum) or 2 (Adam's m and v). */
    private readonly slots: number,
  ) {
    this.ctx = core.ctx;
    this.layout = core.layout;
  }

  async step(batch: PretrainingBatch): Promise<StepReport> {
    this.checkShape(batch);
    this.loaded ??= this.load();
    await this.loaded;
    const state = this.current();
    const stepNumber = state.step + 1;
    const lr = learningRate(state.options.schedule, stepNumber);
    const t0 = performance.now();
    const data = await this.submitAndRead(batch, stepNumber, lr);
    const t2 = performance.now();
    const r = parseReport(data, batch.maskedSlots.length, batch.batchSize);
    const impossible = impossibleReport(r, state.options.clipNorm);
    if (impossible !== null) {
      throw new FusedStepError(
        'impossible-report',
        `Fused step ${stepNumber} ran, but its report cannot be true (${impossible}); its buffers are not trusted and nothing was counted.`,
        false,
      );
    }
    const nonFinite = r.nonFiniteFlag === 1;
    if (!nonFinite) {
      state.step = stepNumber;
      state.optimizer.setUpdates(state.optimizer.updates + 1);
    }
    // The GPU runs the whole step between t0 and t2 (recording included).
    const ms = { forwardBackward: t2 - t0, optimizer: 0, report: performance.now() - t2 };
    return stepReport(this.core, batch, r, { step: stepNumber, lr, ms });
  }

  /** A batch the buffers were not made for is a caller's mistake, refused before any GPU work. */
  private checkShape(batch: PretrainingBatch): void {
    const { shape } = this;
    const M = batch.maskedSlots.length;
    if (batch.batchSize === shape.batchSize && batch.seqLength === shape.seqLength && M <= shape.maxMasked)
      return;
    throw new RangeError(
      `A ${batch.batchSize} × ${batch.seqLength} batch with ${M} masked tokens does not fit buffers made for ${shape.batchSize} × ${shape.seqLength} with at most ${shape.maxMasked}.`,
    );
  }

  /** Submits the step inside error scopes; its report's bytes, or FusedStepError, nothing applied. */
  private async submitAndRead(batch: PretrainingBatch, stepNumber: number, lr: number): Promise<ArrayBuffer> {
    const state = this.current();
    const inputs = {
      step: stepNumber,
      lr,
      dropoutSeed: deriveSeed(state.options.seed, 'dropout'),
      clipNorm: state.options.clipNorm,
      t: state.optimizer.updates + 1,
      breakSubmission: this.breakArmed,
    };
    this.breakArmed = false;
    const before = { ...this.ctx.counts };
    const { value: staging, fault } = scoped(
      this.ctx.device,
      () => recordStep(this.core, batch, inputs).staging,
    );
    this.lastCounts.dispatches = this.ctx.counts.dispatches - before.dispatches;
    this.lastCounts.submits = this.ctx.counts.submits - before.submits;
    const read = await mapScoped(staging, fault);
    if ('bytes' in read) return read.bytes;
    throw new FusedStepError(
      read.fault.kind,
      `WebGPU refused fused step ${stepNumber} (${read.fault.kind}: ${read.fault.message}); nothing was applied.`,
      true,
    );
  }

  /** The flat buffers from the TrainState's variables (initial or restored values). */
  private async load(): Promise<void> {
    const { ctx, config, layout, own } = this.core;
    const state = this.current();
    const leaves = flattenParams(config, state.params);
    const values = await Promise.all(leaves.map((v) => v.data<'float32'>()));
    layout.leaves.forEach((leaf, i) => ctx.write(own.params, values[i]!, leaf.offset));
    const { slots } = this;
    if (slots === 0) return;
    const vars = state.optimizer.stateVariables(leaves);
    const data = await Promise.all(vars.map((v) => v.data<'float32'>()));
    layout.leaves.forEach((leaf, i) => {
      ctx.write(own.slot1, data[i * slots]!, leaf.offset);
      if (slots === 2) ctx.write(own.slot2, data[i * slots + 1]!, leaf.offset);
    });
  }

  async loadFromState(): Promise<void> {
    this.loaded = this.load();
    await this.loaded;
  }

  async syncToState(): Promise<void> {
    // Before the first step the buffers were never loaded: the variables are the weights, and
    // reading the empty buffers back would overwrite them with zeros.
    if (this.loaded === null) return;
    await this.loaded;
    const { ctx, config, layout, own } = this.core;
    const { slots } = this;
    const state = this.current();
    const [p, s1, s2] = await Promise.all([
      ctx.read(own.params),
      slots >= 1 ? ctx.read(own.slot1) : null,
      slots >= 2 ? ctx.read(own.slot2) : null,
    ]);
    const leaves = flattenParams(config, state.params);
    const vars = slots > 0 ? state.optimizer.stateVariables(leaves) : [];
    tf.tidy(() => {
      layout.leaves.forEach((leaf, i) => {
        const slice = (a: Float32Array) =>
          tf.tensor(a.subarray(leaf.offset, leaf.offset + leaf.length), [...leaf.shape]);
        leaves[i]!.assign(slice(p));
        if (s1 !== null) vars[i * slots]!.assign(slice(s1));
        if (s2 !== null) vars[i * slots + 1]!.assign(slice(s2));
      });
    });
  }

  async readGradients(): Promise<Record<string, Float32Array>> {
    const g = await this.ctx.read(this.core.own.grads);
    return Object.fromEntries(
      this.layout.leaves.map((l) => [l.name, g.slice(l.offset, l.offset + l.length)]),
    );
  }

  breakNextStep(): void {
    this.breakArmed = true;
  }

  dispose(): void {
    this.ctx.destroy();
  }
}

/**
 * The StepReport of a step whose raw report passed `impossibleReport`: losses, predictions, and
 * the row norms sliced out of the report's norms section (bufferPlan.ts's normsLayout). On a
 * non-finite step nothing was applied, so every update norm is 0 and the clip factor 1.
 */
function stepReport(
  core: TrainerCore,
  batch: PretrainingBatch,
  r: RawReport,
  s: { step: number; lr: number; ms: StepReport['ms'] },
): StepReport {
  const { config } = core;
  const nl = normsLayout(config);
  const R = core.layout.embeddingBlock.rows;
  const { vocabSize: V, typeVocabSize: S, maxPositions: Pn } = config;
  const nonFinite = r.nonFiniteFlag === 1;
  const norm = (start: number, n: number) => r.norms.slice(start, start + n);
  const zero = (n: number) => new Float32Array(n);
  const lookupAll = norm(nl.lookup, R);
  const updateAll = norm(nl.update, R);
  const outputGradRowNorm = config.tieOutputEmbeddings ? norm(nl.output, V) : zero(V);
  const updateRowNorm = nonFinite ? zero(V) : updateAll.slice(0, V);
  return {
    step: s.step,
    nonFinite,
    loss: { mlm: r.mlmLoss, nsp: r.nspLoss, total: Math.fround(r.mlmLoss + r.nspLoss) },
    ...headReport(batch, r.mlmPredictions, r.nspPredictions),
    learningRate: s.lr,
    gradNorm: r.gradNorm,
    clipScale: nonFinite ? 1 : r.clipScale,
    ...rowReport(batch, lookupAll.slice(0, V), outputGradRowNorm, updateRowNorm),
    centredUpdateRowNorm: nonFinite ? zero(V) : norm(nl.centred, V),
    positionGradRowNorm: lookupAll.slice(V + S, V + S + Pn),
    positionUpdateRowNorm: nonFinite ? zero(Pn) : updateAll.slice(V + S, V + S + Pn),
    segmentGradRowNorm: lookupAll.slice(V, V + S),
    segmentUpdateRowNorm: nonFinite ? zero(S) : updateAll.slice(V, V + S),
    ms: s.ms,
    batch,
  };
}
