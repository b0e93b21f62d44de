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
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../math/rng';
import type { BertConfig } from '../model/config';
import { flattenParams } from '../model/params';
import { nspLabel } from '../train/loss';
import type { PretrainingBatch } from '../train/pretraining-data';
import { learningRate } from '../train/schedule';
import { headReport, rowReport, type StepReport, type TrainState } from '../train/step';
import { DROPOUT_SITE } from './dropoutHash';
import { GpuContext, Recorder, view, type View } from './gpu';
import { attentionBackward, attentionForward } from './kernels/attention';
import { addInto, geluBackward } from './kernels/elementwise';
import { embeddingsBackward, embeddingsForward, lookupPlan } from './kernels/embeddings';
import { gradNorm } from './kernels/gradNorm';
import { gatherRows, scatterAddRows, softmaxCrossEntropy } from './kernels/heads';
import { layerNormBackward, layerNormForward, type DropoutArgs } from './kernels/layerNorm';
import { matmul } from './kernels/matmul';
import { nspForwardBackward } from './kernels/nsp';
import { optimizerStep, segmentTable } from './kernels/optimizer';
import { columnSum } from './kernels/reduce';
import { rowNorms } from './kernels/rowNorms';
import { flatLayout, type FlatLayout } from './layout';

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

/** Activation buffers for one batch shape. */
interface Activations {
  readonly B: number;
  readonly T: number;
  readonly ints: GPUBuffer; // the batch's integer inputs, see `intsLayout`
  readonly h: GPUBuffer[]; // L + 1 hidden states [N, H]
  readonly embXhat: GPUBuffer;
  readonly embRstd: GPUBuffer;
  readonly layer: {
    qkv: GPUBuffer; // [3, N, H]
    probs: GPUBuffer; // [B, A, T, T]
    ctx: GPUBuffer; // [N, H]
    attnOut: GPUBuffer; // [N, H]
    xhat1: GPUBuffer;
    rstd1: GPUBuffer;
    a: GPUBuffer; // [N, H]
    pre: GPUBuffer; // [N, F]
    inner: GPUBuffer; // [N, F]
    ffnOut: GPUBuffer; // [N, H]
    xhat2: GPUBuffer;
    rstd2: GPUBuffer;
  }[];
  // MLM head, M ≤ N rows.
  readonly mGathered: GPUBuffer; // [M, H]
  readonly mPre: GPUBuffer; // [M, H]
  readonly mAct: GPUBuffer; // [M, H]
  readonly mXhat: GPUBuffer;
  readonly mRstd: GPUBuffer;
  readonly mOut: GPUBuffer; // [M, H]
  readonly logits: GPUBuffer; // [M, V], then dL/dlogits
  // Backward scratch.
  readonly dH: [GPUBuffer, GPUBuffer]; // [N, H] ping-pong
  readonly dA: GPUBuffer;
  readonly dFfnOut: GPUBuffer;
  readonly dPre: GPUBuffer; // [N, F]
  readonly dAttnOut: GPUBuffer;
  readonly dCtx: GPUBuffer;
  readonly dQkv: GPUBuffer; // [3, N, H]
  readonly dSum: GPUBuffer;
  readonly dmOut: GPUBuffer; // [M, H]
  readonly dmAct: GPUBuffer;
  readonly dmPre: GPUBuffer;
  readonly dmGathered: GPUBuffer;
  readonly nspScratch: GPUBuffer;
}

/** Sections of the batch's integer buffer, in elements. */
function intsLayout(B: number, T: number) {
  const N = B * T;
  return {
    ids: 0,
    types: N,
    mask: 2 * N,
    maskedSlots: 3 * N,
    labels: 4 * N,
    nspLabels: 5 * N,
    uniqueIds: 5 * N + B,
    slotStart: 6 * N + B,
    slots: 7 * N + B + 1,
    length: 8 * N + B + 1,
  };
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
  const { hidden: H, intermediate: F, vocabSize: V, heads: A, layers: L } = config;
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

  function allocate(B: number, T: number): Activations {
    const N = B * T;
    const s = (label: string, n: number) => ctx.storage(label, n);
    const layer = Array.from({ length: L }, (_, l) => ({
      qkv: s(`l${l}.qkv`, 3 * N * H),
      probs: s(`l${l}.probs`, B * A * T * T),
      ctx: s(`l${l}.ctx`, N * H),
      attnOut: s(`l${l}.attnOut`, N * H),
      xhat1: s(`l${l}.xhat1`, N * H),
      rstd1: s(`l${l}.rstd1`, N),
      a: s(`l${l}.a`, N * H),
      pre: s(`l${l}.pre`, N * F),
      inner: s(`l${l}.inner`, N * F),
      ffnOut: s(`l${l}.ffnOut`, N * H),
      xhat2: s(`l${l}.xhat2`, N * H),
      rstd2: s(`l${l}.rstd2`, N),
    }));
    return {
      B,
      T,
      ints: s('batch ints', intsLayout(B, T).length),
      h: Array.from({ length: L + 1 }, (_, l) => s(`h${l}`, N * H)),
      embXhat: s('emb.xhat', N * H),
      embRstd: s('emb.rstd', N),
      layer,
      mGathered: s('mlm.gathered', N * H),
      mPre: s('mlm.pre', N * H),
      mAct: s('mlm.act', N * H),
      mXhat: s('mlm.xhat', N * H),
      mRstd: s('mlm.rstd', N),
      mOut: s('mlm.out', N * H),
      logits: s('mlm.logits', N * V),
      dH: [s('dH0', N * H), s('dH1', N * H)],
      dA: s('dA', N * H),
      dFfnOut: s('dFfnOut', N * H),
      dPre: s('dPre', N * F),
      dAttnOut: s('dAttnOut', N * H),
      dCtx: s('dCtx', N * H),
      dQkv: s('dQkv', 3 * N * H),
      dSum: s('dSum', N * H),
      dmOut: s('dmOut', N * H),
      dmAct: s('dmAct', N * H),
      dmPre: s('dmPre', N * H),
      dmGathered: s('dmGathered', N * H),
      nspScratch: s('nsp scratch', B * (H + 2) + 16),
    };
  }

  function releaseActivations(): void {
    if (acts === null) return;
    const all: GPUBuffer[] = [
      acts.ints,
      ...acts.h,
      acts.embXhat,
      acts.embRstd,
      ...acts.layer.flatMap((l) => Object.values(l)),
      acts.mGathered,
      acts.mPre,
      acts.mAct,
      acts.mXhat,
      acts.mRstd,
      acts.mOut,
      acts.logits,
      ...acts.dH,
      acts.dA,
      acts.dFfnOut,
      acts.dPre,
      acts.dAttnOut,
      acts.dCtx,
      acts.dQkv,
      acts.dSum,
      acts.dmOut,
      acts.dmAct,
      acts.dmPre,
      acts.dmGathered,
      acts.nspScratch,
    ];
    for (const b of all) ctx.release(b);
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
      acts = allocate(B, T);
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
    const hidden = config.hiddenDropout;
    const attention = config.attentionDropout;
    const dims = { batch: B, seq: T, hidden: H };
    const opt = <T extends object>(key: string, value: T | undefined) =>
      value === undefined ? {} : { [key]: value };

    const rec = new Recorder(ctx);
    rec.encoderCommand((e) => {
      e.clearBuffer(grads);
      e.clearBuffer(delta);
      e.clearBuffer(a.dH[0]);
      e.clearBuffer(losses);
      if (config.tieOutputEmbeddings && M === 0) e.clearBuffer(tokenOutGrad);
    });

    // ---- Forward ----
    embeddingsForward(rec, {
      ids: I('ids'),
      types: I('types'),
      token: P('embeddings.token'),
      segment: P('embeddings.segment'),
      position: P('embeddings.position'),
      gamma: P('embeddings.norm.gamma'),
      beta: P('embeddings.norm.beta'),
      out: view(a.h[0]!),
      xhat: view(a.embXhat),
      rstd: view(a.embRstd),
      ...dims,
      eps: config.layerNormEps,
      ...opt('dropout', drop(DROPOUT_SITE.embeddings, hidden)),
    });
    for (let l = 0; l < L; l++) {
      const p = `layers.${l}`;
      const s = a.layer[l]!;
      const x = view(a.h[l]!);
      // q, k, v in one dispatch: batch j reads W_j and b_j one qkvStride apart, writes qkv[j].
      matmul(rec, {
        a: x,
        b: P(`${p}.query.kernel`),
        bias: P(`${p}.query.bias`),
        c: view(s.qkv),
        m: N,
        n: H,
        k: H,
        batch: 3,
        strideA: 0,
        strideB: layout.qkvStride,
        strideBias: layout.qkvStride,
        strideC: N * H,
      });
      attentionForward(rec, {
        qkv: view(s.qkv),
        mask: I('mask'),
        context: view(s.ctx),
        probs: view(s.probs),
        ...dims,
        heads: A,
        ...opt('dropout', drop(DROPOUT_SITE.attentionProbs(l), attention)),
      });
      matmul(rec, {
        a: view(s.ctx),
        b: P(`${p}.attentionOutput.kernel`),
        bias: P(`${p}.attentionOutput.bias`),
        c: view(s.attnOut),
        m: N,
        n: H,
        k: H,
      });
      layerNormForward(rec, {
        x: view(s.attnOut),
        residual: x,
        ...opt('dropout', drop(DROPOUT_SITE.attentionOutput(l), hidden)),
        gamma: P(`${p}.attentionNorm.gamma`),
        beta: P(`${p}.attentionNorm.beta`),
        out: view(s.a),
        xhat: view(s.xhat1),
        rstd: view(s.rstd1),
        rows: N,
        width: H,
        eps: config.layerNormEps,
      });
      matmul(rec, {
        a: view(s.a),
        b: P(`${p}.intermediate.kernel`),
        bias: P(`${p}.intermediate.bias`),
        c: view(s.inner),
        m: N,
        n: F,
        k: H,
        epilogue: 'gelu',
        preActivation: view(s.pre),
      });
      matmul(rec, {
        a: view(s.inner),
        b: P(`${p}.output.kernel`),
        bias: P(`${p}.output.bias`),
        c: view(s.ffnOut),
        m: N,
        n: H,
        k: F,
      });
      layerNormForward(rec, {
        x: view(s.ffnOut),
        residual: view(s.a),
        ...opt('dropout', drop(DROPOUT_SITE.ffnOutput(l), hidden)),
        gamma: P(`${p}.outputNorm.gamma`),
        beta: P(`${p}.outputNorm.beta`),
        out: view(a.h[l + 1]!),
        xhat: view(s.xhat2),
        rstd: view(s.rstd2),
        rows: N,
        width: H,
        eps: config.layerNormEps,
      });
    }
    const top = view(a.h[L]!);
    const dTop = view(a.dH[0]);

    // ---- Heads: forward, loss and the gradient into the top hidden state ----
    nspForwardBackward(rec, {
      hidden: top,
      poolerKernel: P('nsp.pooler.kernel'),
      poolerBias: P('nsp.pooler.bias'),
      classifierKernel: P('nsp.classifier.kernel'),
      classifierBias: P('nsp.classifier.bias'),
      labels: I('nspLabels'),
      loss: view(losses, 1),
      predictions: view(preds!, N),
      dHidden: dTop,
      dPoolerKernel: G('nsp.pooler.kernel'),
      dPoolerBias: G('nsp.pooler.bias'),
      dClassifierKernel: G('nsp.classifier.kernel'),
      dClassifierBias: G('nsp.classifier.bias'),
      scratch: view(a.nspScratch),
      batch: B,
      seq: T,
      hiddenSize: H,
    });
    const outputTable = config.tieOutputEmbeddings ? P('embeddings.token') : P('mlm.outputKernel');
    const outputGrad = config.tieOutputEmbeddings ? view(tokenOutGrad) : G('mlm.outputKernel');
    if (M > 0) {
      gatherRows(rec, { src: top, index: I('maskedSlots'), out: view(a.mGathered), rows: M, width: H });
      matmul(rec, {
        a: view(a.mGathered),
        b: P('mlm.transform.kernel'),
        bias: P('mlm.transform.bias'),
        c: view(a.mAct),
        m: M,
        n: H,
        k: H,
        epilogue: 'gelu',
        preActivation: view(a.mPre),
      });
      layerNormForward(rec, {
        x: view(a.mAct),
        gamma: P('mlm.norm.gamma'),
        beta: P('mlm.norm.beta'),
        out: view(a.mOut),
        xhat: view(a.mXhat),
        rstd: view(a.mRstd),
        rows: M,
        width: H,
        eps: config.layerNormEps,
      });
      // logits = z · Eᵀ + b_out: E is stored [V, H], i.e. op(B) = Eᵀ with transB.
      matmul(rec, {
        a: view(a.mOut),
        b: outputTable,
        transB: true,
        bias: P('mlm.outputBias'),
        c: view(a.logits),
        m: M,
        n: V,
        k: H,
      });
      softmaxCrossEntropy(rec, {
        logits: view(a.logits),
        labels: I('labels'),
        loss: view(losses, 0),
        predictions: view(preds!, 0),
        rows: M,
        classes: V,
      });
      // dE_out[V, H] = dlogitsᵀ · z  (every row of the table: the softmax touches all V words).
      matmul(rec, { a: view(a.logits), transA: true, b: view(a.mOut), c: outputGrad, m: V, n: H, k: M });
      columnSum(rec, { x: view(a.logits), rows: M, cols: V, out: G('mlm.outputBias') });
      // dz = dlogits · E.
      matmul(rec, { a: view(a.logits), b: outputTable, c: view(a.dmOut), m: M, n: H, k: V });
      layerNormBackward(rec, {
        dy: view(a.dmOut),
        xhat: view(a.mXhat),
        rstd: view(a.mRstd),
        gamma: P('mlm.norm.gamma'),
        ds: view(a.dmAct),
        dGamma: G('mlm.norm.gamma'),
        dBeta: G('mlm.norm.beta'),
        rows: M,
        width: H,
      });
      geluBackward(rec, { dy: view(a.dmAct), pre: view(a.mPre), dx: view(a.dmPre), n: M * H });
      matmul(rec, {
        a: view(a.mGathered),
        transA: true,
        b: view(a.dmPre),
        c: G('mlm.transform.kernel'),
        m: H,
        n: H,
        k: M,
      });
      columnSum(rec, { x: view(a.dmPre), rows: M, cols: H, out: G('mlm.transform.bias') });
      matmul(rec, {
        a: view(a.dmPre),
        b: P('mlm.transform.kernel'),
        transB: true,
        c: view(a.dmGathered),
        m: M,
        n: H,
        k: H,
      });
      scatterAddRows(rec, { src: view(a.dmGathered), index: I('maskedSlots'), out: dTop, rows: M, width: H });
    }

    // ---- Encoder layers, backward ----
    let dCur = 0; // a.dH[dCur] holds dL/dh_{l+1}
    for (let l = L - 1; l >= 0; l--) {
      const p = `layers.${l}`;
      const s = a.layer[l]!;
      const dOut = view(a.dH[dCur as 0 | 1]);
      const dIn = view(a.dH[(1 - dCur) as 0 | 1]);
      const x = view(a.h[l]!);
      // Without dropout the sublayer's gradient is the residual's (dx = ds), so it is read from
      // dA / dIn itself, before the FFN's and the projections' dX are added into them.
      const ffnDrop = drop(DROPOUT_SITE.ffnOutput(l), hidden);
      const outDrop = drop(DROPOUT_SITE.attentionOutput(l), hidden);
      const dFfnOut = ffnDrop === undefined ? view(a.dA) : view(a.dFfnOut);
      const dAttnOut = outDrop === undefined ? dIn : view(a.dAttnOut);
      // h' = LN(dropout(ffnOut) + a): ds → dA (the residual's share), mask ⊙ ds → dFfnOut.
      layerNormBackward(rec, {
        dy: dOut,
        xhat: view(s.xhat2),
        rstd: view(s.rstd2),
        gamma: P(`${p}.outputNorm.gamma`),
        ds: view(a.dA),
        ...(ffnDrop === undefined ? {} : { dropout: ffnDrop, dx: dFfnOut }),
        dGamma: G(`${p}.outputNorm.gamma`),
        dBeta: G(`${p}.outputNorm.beta`),
        rows: N,
        width: H,
      });
      // ffnOut = inner · W_2 + b_2
      matmul(rec, {
        a: view(s.inner),
        transA: true,
        b: dFfnOut,
        c: G(`${p}.output.kernel`),
        m: F,
        n: H,
        k: N,
      });
      columnSum(rec, { x: dFfnOut, rows: N, cols: H, out: G(`${p}.output.bias`) });
      // d pre = (dFfnOut · W_2ᵀ) ⊙ GELU'(pre)
      matmul(rec, {
        a: dFfnOut,
        b: P(`${p}.output.kernel`),
        transB: true,
        c: view(a.dPre),
        m: N,
        n: F,
        k: H,
        geluGradOf: view(s.pre),
      });
      // pre = a · W_1 + b_1
      matmul(rec, {
        a: view(s.a),
        transA: true,
        b: view(a.dPre),
        c: G(`${p}.intermediate.kernel`),
        m: H,
        n: F,
        k: N,
      });
      columnSum(rec, { x: view(a.dPre), rows: N, cols: F, out: G(`${p}.intermediate.bias`) });
      matmul(rec, {
        a: view(a.dPre),
        b: P(`${p}.intermediate.kernel`),
        transB: true,
        c: view(a.dA),
        m: N,
        n: H,
        k: F,
        accumulate: true,
      });
      // a = LN(dropout(attnOut) + x): ds → dIn (the residual's share), mask ⊙ ds → dAttnOut.
      layerNormBackward(rec, {
        dy: view(a.dA),
        xhat: view(s.xhat1),
        rstd: view(s.rstd1),
        gamma: P(`${p}.attentionNorm.gamma`),
        ds: dIn,
        ...(outDrop === undefined ? {} : { dropout: outDrop, dx: dAttnOut }),
        dGamma: G(`${p}.attentionNorm.gamma`),
        dBeta: G(`${p}.attentionNorm.beta`),
        rows: N,
        width: H,
      });
      // attnOut = ctx · W_o + b_o
      matmul(rec, {
        a: view(s.ctx),
        transA: true,
        b: dAttnOut,
        c: G(`${p}.attentionOutput.kernel`),
        m: H,
        n: H,
        k: N,
      });
      columnSum(rec, { x: dAttnOut, rows: N, cols: H, out: G(`${p}.attentionOutput.bias`) });
      matmul(rec, {
        a: dAttnOut,
        b: P(`${p}.attentionOutput.kernel`),
        transB: true,
        c: view(a.dCtx),
        m: N,
        n: H,
        k: H,
      });
      attentionBackward(rec, {
        dContext: view(a.dCtx),
        qkv: view(s.qkv),
        probs: view(s.probs),
        mask: I('mask'),
        dQkv: view(a.dQkv),
        ...dims,
        heads: A,
        ...opt('dropout', drop(DROPOUT_SITE.attentionProbs(l), attention)),
      });
      // qkv_j = x · W_j + b_j: dW_j = xᵀ · dqkv_j and db_j (batched over j), dx += dqkv_j · W_jᵀ.
      matmul(rec, {
        a: x,
        transA: true,
        b: view(a.dQkv),
        c: G(`${p}.query.kernel`),
        m: H,
        n: H,
        k: N,
        batch: 3,
        strideA: 0,
        strideB: N * H,
        strideC: layout.qkvStride,
      });
      columnSum(rec, {
        x: view(a.dQkv),
        rows: N,
        cols: H,
        out: G(`${p}.query.bias`),
        batch: 3,
        strideX: N * H,
        strideOut: layout.qkvStride,
      });
      const q = layout.byName(`${p}.query.kernel`).offset;
      for (let j = 0; j < 3; j++) {
        matmul(rec, {
          a: view(a.dQkv, j * N * H),
          b: view(params, q + j * layout.qkvStride),
          transB: true,
          c: dIn,
          m: N,
          n: H,
          k: H,
          accumulate: true,
        });
      }
      dCur = 1 - dCur;
    }

    // ---- Embeddings, backward: the lookup's scatter into E_token, E_segment, E_position ----
    embeddingsBackward(rec, {
      dOut: view(a.dH[dCur as 0 | 1]),
      xhat: view(a.embXhat),
      rstd: view(a.embRstd),
      gamma: P('embeddings.norm.gamma'),
      ...opt('dropout', drop(DROPOUT_SITE.embeddings, hidden)),
      types: I('types'),
      uniqueIds: I('uniqueIds'),
      slotStart: I('slotStart'),
      slots: I('slots'),
      uniqueCount: U,
      dSum: view(a.dSum),
      dToken: G('embeddings.token'),
      dSegment: G('embeddings.segment'),
      dPosition: G('embeddings.position'),
      dGamma: G('embeddings.norm.gamma'),
      dBeta: G('embeddings.norm.beta'),
      ...dims,
      typeVocab: config.typeVocabSize,
    });

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
