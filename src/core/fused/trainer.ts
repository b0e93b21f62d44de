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
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../math/rng';
import { flattenParams } from '../model/params';
import { nspLabel } from '../train/loss';
import type { PretrainingBatch } from '../train/pretraining-data';
import { learningRate } from '../train/schedule';
import { headReport, rowReport, type StepReport, type TrainState } from '../train/step';
import { normsLayout, reportWords, type BufferLimits } from './bufferPlan';
import { FusedStepError } from './errors';
import type { GpuContext } from './gpu';
import { mapScoped, Recorder, scoped, view, type View } from './gpu';
import { addInto } from './kernels/elementwise';
import { lookupPlan } from './kernels/embeddings';
import { gradNorm } from './kernels/gradNorm';
import type { DropoutArgs } from './kernels/program';
import { optimizerStep } from './kernels/optimizer';
import { rowNorms } from './kernels/rowNorms';
import { flatLayout, type FlatLayout } from './layout';
import { recordHeadsAndBackward } from './recordBackward';
import { recordForward } from './recordForward';
import { impossibleReport, parseReport } from './report';
import { intsLayout, type BatchShape, type StepRecording } from './stepBuffers';
import { makeTrainerBuffers } from './trainerBuffers';

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
  const { config } = current();
  const layout = flatLayout(config);
  const { hidden: H, vocabSize: V } = config;
  const optimizerConfig = current().optimizer.config;
  const slots = current().optimizer.slotNames.length; // 0, 1 (momentum) or 2 (m, v)
  const R = layout.embeddingBlock.rows;
  const nl = normsLayout(config);

  const made = await makeTrainerBuffers(device, config, layout, slots, shape, options.limits);
  const { ctx, acts } = made;
  const { params, grads, slot1, slot2, tokenOutGrad, delta, rowHasGrad, segments } = made.own;
  const { norms, stats, losses, partials, scratchNorms, preds } = made.own;

  const P = (name: string): View => view(params, layout.byName(name).offset);
  const G = (name: string): View => view(grads, layout.byName(name).offset);

  let loaded: Promise<void> | null = null;
  let breakArmed = false;
  const lastCounts = { dispatches: 0, submits: 0 };

  /** The flat buffers from the TrainState's variables (initial or restored values). */
  async function loadFromState(): Promise<void> {
    const state = current();
    const leaves = flattenParams(config, state.params);
    const values = await Promise.all(leaves.map((v) => v.data<'float32'>()));
    layout.leaves.forEach((leaf, i) => ctx.write(params, values[i]!, leaf.offset));
    if (slots > 0) {
      const vars = state.optimizer.stateVariables(leaves);
      const data = await Promise.all(vars.map((v) => v.data<'float32'>()));
      layout.leaves.forEach((leaf, i) => {
        ctx.write(slot1, data[i * slots]!, leaf.offset);
        if (slots === 2) ctx.write(slot2, data[i * slots + 1]!, leaf.offset);
      });
    }
  }

  async function syncToState(): Promise<void> {
    await loaded;
    const state = current();
    const [p, s1, s2] = await Promise.all([
      ctx.read(params),
      slots >= 1 ? ctx.read(slot1) : null,
      slots >= 2 ? ctx.read(slot2) : null,
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

  /** Records the whole step; returns the staging buffer the report will be read from. */
  function record(batch: PretrainingBatch, step: number, lr: number): { staging: GPUBuffer; bytes: number } {
    const state = current();
    const { batchSize: B, seqLength: T } = batch;
    const N = B * T;
    const M = batch.maskedSlots.length;
    const a = acts;
    const il = intsLayout(B, T, M);

    // The batch's integers, uploaded with writeBuffer (queued before the submit, no extra submit).
    const ints = new Int32Array(il.length);
    ints.set(batch.inputIds, il.ids);
    ints.set(batch.tokenTypeIds, il.types);
    ints.set(batch.attentionMask, il.mask);
    ints.set(batch.maskedSlots, il.maskedSlots);
    ints.set(batch.maskedLabels, il.labels);
    ints.set(Int32Array.from(batch.isNext, nspLabel), il.nspLabels);
    const plan = lookupPlan(batch.inputIds);
    const U = plan.uniqueIds.length;
    ints.set(plan.uniqueIds, il.uniqueIds);
    ints.set(plan.slotStart, il.slotStart);
    ints.set(plan.slots, il.slots);
    ctx.write(a.ints, ints);
    const I = (section: keyof ReturnType<typeof intsLayout>) => view(a.ints, il[section]);

    const seed = deriveSeed(state.options.seed, 'dropout');
    const drop = (site: number, rate: number): DropoutArgs | undefined =>
      rate > 0 ? { seed, step, site, rate } : undefined;
    const rec = new Recorder(ctx);
    rec.encoderCommand((e) => {
      e.clearBuffer(grads);
      e.clearBuffer(delta);
      e.clearBuffer(a.dH[0]);
      e.clearBuffer(losses);
      if (config.tieOutputEmbeddings && M === 0) e.clearBuffer(tokenOutGrad);
    });

    const recording: StepRecording = {
      rec,
      config,
      layout,
      a,
      params,
      grads,
      tokenOutGrad,
      losses,
      preds,
      B,
      T,
      N,
      M,
      U,
      P,
      G,
      I,
      drop,
    };
    recordForward(recording);
    recordHeadsAndBackward(recording);

    // ---- The report's gradient row norms, then E_token's two paths summed ----
    const block = view(grads, layout.embeddingBlock.offset);
    rowNorms(rec, { x: block, rows: R, width: H, out: view(norms, nl.lookup) });
    if (config.tieOutputEmbeddings) {
      rowNorms(rec, { x: view(tokenOutGrad), rows: V, width: H, out: view(norms, nl.output) });
      addInto(rec, { x: G('embeddings.token'), y: view(tokenOutGrad), n: V * H });
    }
    if (optimizerConfig.kind === 'lazyadam') {
      rowNorms(rec, { x: block, rows: R, width: H, out: view(scratchNorms), flags: view(rowHasGrad) });
    }

    // ---- ‖g‖, clip, non-finite, and the update: no readback in between ----
    gradNorm(rec, {
      grads: view(grads),
      length: layout.length,
      losses: view(losses),
      lossCount: 2,
      clipNorm: state.options.clipNorm,
      partials: view(partials),
      stats: view(stats),
    });
    optimizerStep(rec, {
      config: optimizerConfig,
      params: view(params),
      grads: view(grads),
      slot1: view(slot1),
      slot2: view(slot2),
      segments: view(segments),
      segmentCount: layout.leaves.length,
      length: layout.length,
      stats: view(stats),
      rowHasGrad: view(rowHasGrad),
      delta: view(delta),
      lr,
      t: state.optimizer.updates + 1,
    });
    rowNorms(rec, { x: view(delta), rows: R, width: H, out: view(norms, nl.update) });

    // ---- One staging buffer for the whole report, copied in the same submission ----
    const sizes = { stats: 4, losses: 2, preds: M + B, norms: nl.length };
    const bytes = 4 * reportWords(config, M, B);
    const staging = device.createBuffer({ label: 'report staging', size: bytes, usage: 0x01 | 0x08 });
    if (breakArmed) {
      breakArmed = false;
      // Test hooks: the staging buffer has no COPY_SRC usage, so WebGPU rejects this copy, the
      // command buffer is invalid and the submission runs nothing (a real validation error).
      rec.encoderCommand((e) => e.copyBufferToBuffer(staging, 0, norms, 0, 4));
    }
    rec.encoderCommand((e) => {
      let at = 0;
      for (const [src, n] of [
        [stats, sizes.stats],
        [losses, sizes.losses],
        [preds, sizes.preds],
        [norms, sizes.norms],
      ] as const) {
        e.copyBufferToBuffer(src, 0, staging, at, n * 4);
        at += n * 4;
      }
    });
    const before = { ...ctx.counts };
    rec.submit();
    lastCounts.dispatches = ctx.counts.dispatches - before.dispatches;
    lastCounts.submits = ctx.counts.submits - before.submits;
    return { staging, bytes };
  }

  /** A batch the buffers were not made for is a caller's mistake, refused before any GPU work. */
  function checkShape(batch: PretrainingBatch): void {
    const M = batch.maskedSlots.length;
    if (batch.batchSize === shape.batchSize && batch.seqLength === shape.seqLength && M <= shape.maxMasked)
      return;
    throw new RangeError(
      `A ${batch.batchSize} × ${batch.seqLength} batch with ${M} masked tokens does not fit buffers made for ${shape.batchSize} × ${shape.seqLength} with at most ${shape.maxMasked}.`,
    );
  }

  /** Submits the step inside error scopes; its report's bytes, or FusedStepError, nothing applied. */
  async function submitAndRead(
    batch: PretrainingBatch,
    stepNumber: number,
    lr: number,
  ): Promise<ArrayBuffer> {
    const { value: staging, fault } = scoped(device, () => record(batch, stepNumber, lr).staging);
    const read = await mapScoped(staging, fault);
    if ('bytes' in read) return read.bytes;
    throw new FusedStepError(
      read.fault.kind,
      `WebGPU refused fused step ${stepNumber} (${read.fault.kind}: ${read.fault.message}); nothing was applied.`,
      true,
    );
  }

  async function step(batch: PretrainingBatch): Promise<StepReport> {
    checkShape(batch);
    loaded ??= loadFromState();
    await loaded;
    const state = current();
    const stepNumber = state.step + 1;
    const lr = learningRate(state.options.schedule, stepNumber);
    const t0 = performance.now();
    const data = await submitAndRead(batch, stepNumber, lr);
    const t2 = performance.now();

    const { batchSize: B } = batch;
    const M = batch.maskedSlots.length;
    const r = parseReport(data, M, B);
    const impossible = impossibleReport(r, state.options.clipNorm);
    if (impossible !== null) {
      throw new FusedStepError(
        'impossible-report',
        `Fused step ${stepNumber} ran, but its report cannot be true (${impossible}); its buffers are not trusted and nothing was counted.`,
        false,
      );
    }
    const nonFinite = r.nonFiniteFlag === 1;
    const norm = (start: number, n: number) => r.norms.slice(start, start + n);
    const S = config.typeVocabSize;
    const Pn = config.maxPositions;
    const lookupAll = norm(nl.lookup, R);
    const updateAll = norm(nl.update, R);
    const zero = (n: number) => new Float32Array(n);
    const lookupGradRowNorm = lookupAll.slice(0, V);
    const outputGradRowNorm = config.tieOutputEmbeddings ? norm(nl.output, V) : zero(V);
    const updateRowNorm = nonFinite ? zero(V) : updateAll.slice(0, V);
    if (!nonFinite) {
      state.step = stepNumber;
      state.optimizer.setUpdates(state.optimizer.updates + 1);
    }
    const t3 = performance.now();
    return {
      step: stepNumber,
      nonFinite,
      loss: { mlm: r.mlmLoss, nsp: r.nspLoss, total: Math.fround(r.mlmLoss + r.nspLoss) },
      ...headReport(batch, r.mlmPredictions, r.nspPredictions),
      learningRate: lr,
      gradNorm: r.gradNorm,
      clipScale: nonFinite ? 1 : r.clipScale,
      ...rowReport(batch, lookupGradRowNorm, outputGradRowNorm, updateRowNorm),
      positionGradRowNorm: lookupAll.slice(V + S, V + S + Pn),
      positionUpdateRowNorm: nonFinite ? zero(Pn) : updateAll.slice(V + S, V + S + Pn),
      segmentGradRowNorm: lookupAll.slice(V, V + S),
      segmentUpdateRowNorm: nonFinite ? zero(S) : updateAll.slice(V, V + S),
      // The GPU runs the whole step between t0 and t2 (recording included).
      ms: { forwardBackward: t2 - t0, optimizer: 0, report: t3 - t2 },
      batch,
    };
  }

  return {
    ctx,
    layout,
    step,
    syncToState,
    async loadFromState() {
      loaded = loadFromState();
      await loaded;
    },
    async readGradients() {
      const g = await ctx.read(grads);
      return Object.fromEntries(layout.leaves.map((l) => [l.name, g.slice(l.offset, l.offset + l.length)]));
    },
    lastCounts,
    shape,
    breakNextStep() {
      breakArmed = true;
    },
    dispose() {
      ctx.destroy();
    },
  };
}
