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
import type { BertConfig } from '../model/config';
import { flattenParams } from '../model/params';
import { nspLabel } from '../train/loss';
import type { PretrainingBatch } from '../train/pretraining-data';
import { learningRate } from '../train/schedule';
import { headReport, rowReport, type StepReport, type TrainState } from '../train/step';
import { GpuContext, Recorder, view, type View } from './gpu';
import { addInto } from './kernels/elementwise';
import { lookupPlan } from './kernels/embeddings';
import { gradNorm } from './kernels/gradNorm';
import type { DropoutArgs } from './kernels/program';
import { optimizerStep, segmentTable } from './kernels/optimizer';
import { rowNorms } from './kernels/rowNorms';
import { flatLayout, type FlatLayout } from './layout';
import { recordHeadsAndBackward } from './recordBackward';
import { recordForward } from './recordForward';
import {
  activationBuffers,
  allocateActivations,
  intsLayout,
  type Activations,
  type StepRecording,
} from './stepBuffers';

export interface FusedTrainer {
  readonly ctx: GpuContext;
  readonly layout: FlatLayout;
  /** Records, submits and reads back one training step. */
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
  dispose(): void;
}

/** The report's float section, in elements: lookup norms [R], output norms [V], update norms [R]. */
function normsLayout(config: BertConfig) {
  const R = config.vocabSize + config.typeVocabSize + config.maxPositions;
  return { R, lookup: 0, output: R, update: R + config.vocabSize, length: 2 * R + config.vocabSize };
}

/**
 * A fused trainer for `state` (or for whatever state `state()` returns now: a session replaces
 * its TrainState object when the learning rate changes). The trainer keeps the weights in its own
 * flat buffers, loaded from the state's variables before the first step; `syncToState` writes them
 * back, and the state's `step` and update count advance with every applied step.
 */
export function createFusedTrainer(state: TrainState | (() => TrainState), device: GPUDevice): FusedTrainer {
  const current = typeof state === 'function' ? state : () => state;
  const { config } = current();
  const ctx = new GpuContext(device);
  const layout = flatLayout(config);
  const { hidden: H, vocabSize: V } = config;
  const optimizerConfig = current().optimizer.config;
  const slots = current().optimizer.slotNames.length; // 0, 1 (momentum) or 2 (m, v)

  const params = ctx.storage('params', layout.length);
  const grads = ctx.storage('grads', layout.length);
  const slot1 = ctx.storage('slot1', slots >= 1 ? layout.length : 4);
  const slot2 = ctx.storage('slot2', slots >= 2 ? layout.length : 4);
  const R = layout.embeddingBlock.rows;
  const tokenOutGrad = ctx.storage('dE_token (output path)', config.tieOutputEmbeddings ? V * H : 4);
  const delta = ctx.storage('Δ embeddings', R * H);
  const rowHasGrad = ctx.storage('rows with gradient', R);
  const segmentInfo = segmentTable(
    layout.leaves.map((leaf) => ({
      offset: leaf.offset,
      length: leaf.length,
      kind: leaf.kind,
      rowWidth: leaf.kind === 'embedding' ? (leaf.shape[1] ?? 1) : 1,
    })),
  );
  const segments = ctx.storage('segments', segmentInfo.length);
  ctx.write(segments, segmentInfo);
  const nl = normsLayout(config);
  const norms = ctx.storage('row norms', nl.length);
  const stats = ctx.storage('gradient stats', 4);
  const losses = ctx.storage('losses', 4);
  const partials = ctx.storage('norm partials', 1024);
  const scratchNorms = ctx.storage('norm scratch', R);

  const P = (name: string): View => view(params, layout.byName(name).offset);
  const G = (name: string): View => view(grads, layout.byName(name).offset);

  let acts: Activations | null = null;
  let preds: GPUBuffer | null = null;
  let loaded: Promise<void> | null = null;
  const lastCounts = { dispatches: 0, submits: 0 };

  function releaseActivations(): void {
    if (acts === null) return;
    for (const b of activationBuffers(acts)) ctx.release(b);
    if (preds !== null) ctx.release(preds);
    acts = null;
    preds = null;
  }

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
    if (acts === null || acts.B !== B || acts.T !== T) {
      releaseActivations();
      acts = allocateActivations(ctx, config, B, T);
      preds = ctx.storage('predictions', N + B);
    }
    const a = acts;
    const il = intsLayout(B, T);

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
      preds: preds!,
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
    const sizes = { stats: 4, losses: 2, preds: N + B, norms: nl.length };
    const bytes = 4 * (sizes.stats + sizes.losses + sizes.preds + sizes.norms);
    const staging = device.createBuffer({ size: bytes, usage: 0x01 | 0x08 });
    const predsBuffer = preds!;
    rec.encoderCommand((e) => {
      let at = 0;
      for (const [src, n] of [
        [stats, sizes.stats],
        [losses, sizes.losses],
        [predsBuffer, sizes.preds],
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

  async function step(batch: PretrainingBatch): Promise<StepReport> {
    loaded ??= loadFromState();
    await loaded;
    const state = current();
    const stepNumber = state.step + 1;
    const lr = learningRate(state.options.schedule, stepNumber);
    const t0 = performance.now();
    const { staging } = record(batch, stepNumber, lr);
    await staging.mapAsync(1);
    const data = staging.getMappedRange().slice(0);
    staging.destroy();
    const t2 = performance.now();

    const { batchSize: B, seqLength: T } = batch;
    const N = B * T;
    const M = batch.maskedSlots.length;
    const f = new Float32Array(data);
    const i32 = new Int32Array(data);
    const gradNormValue = f[0]!;
    const nonFinite = f[1]! !== 0;
    const scale = f[2]!;
    const mlmLoss = f[4]!;
    const nspLoss = f[5]!;
    const predsAt = 6;
    const normsAt = predsAt + N + B;
    const mlmPredictions = Int32Array.from(i32.subarray(predsAt, predsAt + M));
    const nspPredicted = Int32Array.from(i32.subarray(predsAt + N, predsAt + N + B));
    const norm = (start: number, n: number) => f.slice(normsAt + start, normsAt + start + n);
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
      loss: { mlm: mlmLoss, nsp: nspLoss, total: Math.fround(mlmLoss + nspLoss) },
      ...headReport(batch, mlmPredictions, nspPredicted),
      learningRate: lr,
      gradNorm: gradNormValue,
      clipScale: nonFinite ? 1 : scale,
      ...rowReport(batch, lookupGradRowNorm, outputGradRowNorm, updateRowNorm),
      positionGradRowNorm: lookupAll.slice(V + S, V + S + Pn),
      positionUpdateRowNorm: nonFinite ? zero(Pn) : updateAll.slice(V + S, V + S + Pn),
      segmentGradRowNorm: lookupAll.slice(V, V + S),
      segmentUpdateRowNorm: nonFinite ? zero(S) : updateAll.slice(V, V + S),
      // The GPU runs the whole step between t1 and t2; recording is t0..t1.
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
    dispose() {
      releaseActivations();
      ctx.destroy();
    },
  };
}
