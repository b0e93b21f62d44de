/**
 * The fused step's per-batch-shape buffers (every activation the backward pass reads again, and
 * the backward's scratch), the batch's integer inputs, and what one step's recording needs to
 * know: `StepRecording`, passed to recordForward.ts and recordBackward.ts by trainer.ts.
 */
import type { BertConfig } from '../model/config';
import type { DropoutArgs } from './kernels/program';
import type { GpuContext, Recorder, View } from './gpu';
import type { FlatLayout } from './layout';

/** Activation buffers for one batch shape. */
export interface Activations {
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
export function intsLayout(B: number, T: number) {
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

export function allocateActivations(ctx: GpuContext, config: BertConfig, B: number, T: number): Activations {
  const { hidden: H, intermediate: F, vocabSize: V, heads: A, layers: L } = config;
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

/** Every buffer of `a`, to release them together. */
export function activationBuffers(a: Activations): GPUBuffer[] {
  return [
    a.ints,
    ...a.h,
    a.embXhat,
    a.embRstd,
    ...a.layer.flatMap((l) => Object.values(l)),
    a.mGathered,
    a.mPre,
    a.mAct,
    a.mXhat,
    a.mRstd,
    a.mOut,
    a.logits,
    ...a.dH,
    a.dA,
    a.dFfnOut,
    a.dPre,
    a.dAttnOut,
    a.dCtx,
    a.dQkv,
    a.dSum,
    a.dmOut,
    a.dmAct,
    a.dmPre,
    a.dmGathered,
    a.nspScratch,
  ];
}

/** One step being recorded: the recorder, the buffers, and views into them by name. */
export interface StepRecording {
  readonly rec: Recorder;
  readonly config: BertConfig;
  readonly layout: FlatLayout;
  readonly a: Activations;
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  /** dL/dE_token through the tied output projection, [V, H], kept apart for the report. */
  readonly tokenOutGrad: GPUBuffer;
  /** [MLM loss, NSP loss]. */
  readonly losses: GPUBuffer;
  /** MLM predictions [N], then NSP predictions [B] (argmax on the GPU). */
  readonly preds: GPUBuffer;
  readonly B: number;
  readonly T: number;
  readonly N: number;
  readonly M: number;
  /** Distinct ids in the batch. */
  readonly U: number;
  /** A parameter's (P) or its gradient's (G) view, by paramInfos name. */
  P(name: string): View;
  G(name: string): View;
  /** A section of the batch's integer buffer. */
  I(section: keyof ReturnType<typeof intsLayout>): View;
  /** This step's dropout at `site`, or undefined when `rate` is 0. */
  drop(site: number, rate: number): DropoutArgs | undefined;
}

/** `{ [key]: value }` when there is a value, else nothing: for optional kernel arguments. */
export function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
