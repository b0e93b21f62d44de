/**
 * The fused step's per-batch-shape buffers (every activation the backward pass reads again, and
 * the backward's scratch), the batch's integer inputs, and what one step's recording needs to
 * know: `StepRecording`, passed to recordForward.ts and recordBackward.ts by recordStep.ts.
 */
import type { BertConfig } from '../model/config';
import type { BertParams } from '../model/params';
import type { DropoutArgs } from './kernels/program';
import type { GpuContext, Recorder, View } from './gpu';
import type { FlatLayout } from './layout';

/**
 * The batch shape a trainer's buffers are made for: B sequences of T slots and at most `maxMasked`
 * masked slots in one batch (B · maxPredictionsPerSeq), the M rows of the MLM head.
 */
export interface BatchShape {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly maxMasked: number;
}

/** Batches of B × T with at most `maxPredictionsPerSeq` masked tokens in each sequence. */
export const batchShape = (
  batchSize: number,
  seqLength: number,
  maxPredictionsPerSeq: number,
): BatchShape => ({
  batchSize,
  seqLength,
  maxMasked: batchSize * maxPredictionsPerSeq,
});

/**
 * Activation buffers for one batch shape, or (with X = number) their sizes in elements. One
 * structure for both, so the sizes the limits are checked against are the sizes allocated.
 */
export interface ActivationsOf<X> {
  readonly ints: X; // the batch's integer inputs, see `intsLayout`
  readonly h: X[]; // L + 1 hidden states [N, H]
  readonly embXhat: X; // [N, H]
  readonly embRstd: X; // [N]
  readonly layer: {
    qkv: X; // [3, N, H]
    probs: X; // [B, A, T, T]
    ctx: X; // [N, H]
    attnOut: X; // [N, H]
    xhat1: X; // [N, H]
    rstd1: X; // [N]
    a: X; // [N, H]
    pre: X; // [N, F]
    inner: X; // [N, F]
    ffnOut: X; // [N, H]
    xhat2: X; // [N, H]
    rstd2: X; // [N]
  }[];
  // MLM head: only the M masked rows go through it, so these are [M, ·], not [N, ·].
  readonly mGathered: X; // [M, H]
  readonly mPre: X; // [M, H]
  readonly mAct: X; // [M, H]
  readonly mXhat: X; // [M, H]
  readonly mRstd: X; // [M]
  readonly mOut: X; // [M, H]
  readonly logits: X; // [M, V], then dL/dlogits
  // Backward scratch.
  readonly dH: [X, X]; // [N, H] ping-pong
  readonly dA: X; // [N, H]
  readonly dFfnOut: X; // [N, H]
  readonly dPre: X; // [N, F]
  readonly dAttnOut: X; // [N, H]
  readonly dCtx: X; // [N, H]
  readonly dQkv: X; // [3, N, H]
  readonly dSum: X; // [N, H]
  readonly dmOut: X; // [M, H]
  readonly dmAct: X; // [M, H]
  readonly dmPre: X; // [M, H]
  readonly dmGathered: X; // [M, H]
  readonly nspScratch: X; // [B, H + 2] and 16 words
}

export interface Activations extends ActivationsOf<GPUBuffer> {
  readonly shape: BatchShape;
}

/**
 * Sections of the batch's integer buffer, in elements, for B·T slots and M masked ones. A step
 * lays out its own M (≤ the buffer's maxMasked), so its sections are packed for its batch.
 */
export function intsLayout(B: number, T: number, M: number) {
  const N = B * T;
  return {
    ids: 0,
    types: N,
    mask: 2 * N,
    maskedSlots: 3 * N,
    labels: 3 * N + M,
    nspLabels: 3 * N + 2 * M,
    uniqueIds: 3 * N + 2 * M + B,
    slotStart: 4 * N + 2 * M + B,
    slots: 5 * N + 2 * M + B + 1,
    length: 6 * N + 2 * M + B + 1,
  };
}

/** Every activation's size in elements for `shape`: what `allocateActivations` makes. */
export function activationSizes(config: BertConfig, shape: BatchShape): ActivationsOf<number> {
  const { hidden: H, intermediate: F, vocabSize: V, heads: A, layers: L } = config;
  const { batchSize: B, seqLength: T, maxMasked: M } = shape;
  const N = B * T;
  return {
    ints: intsLayout(B, T, M).length,
    h: Array.from({ length: L + 1 }, () => N * H),
    embXhat: N * H,
    embRstd: N,
    layer: Array.from({ length: L }, () => ({
      qkv: 3 * N * H,
      probs: B * A * T * T,
      ctx: N * H,
      attnOut: N * H,
      xhat1: N * H,
      rstd1: N,
      a: N * H,
      pre: N * F,
      inner: N * F,
      ffnOut: N * H,
      xhat2: N * H,
      rstd2: N,
    })),
    mGathered: M * H,
    mPre: M * H,
    mAct: M * H,
    mXhat: M * H,
    mRstd: M,
    mOut: M * H,
    logits: M * V,
    dH: [N * H, N * H],
    dA: N * H,
    dFfnOut: N * H,
    dPre: N * F,
    dAttnOut: N * H,
    dCtx: N * H,
    dQkv: 3 * N * H,
    dSum: N * H,
    dmOut: M * H,
    dmAct: M * H,
    dmPre: M * H,
    dmGathered: M * H,
    nspScratch: B * (H + 2) + 16,
  };
}

/** `sizes` with every leaf replaced by `f(label, size)`; labels name the buffer ("l0.probs"). */
function mapActivations<X, Y>(sizes: ActivationsOf<X>, f: (label: string, x: X) => Y): ActivationsOf<Y> {
  const { h, layer, dH, ...rest } = sizes;
  const flat = Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, f(k, x as X)]));
  return {
    ...(flat as Omit<ActivationsOf<Y>, 'h' | 'layer' | 'dH'>),
    h: h.map((x, l) => f(`h${l}`, x)),
    layer: layer.map((lay, l) => {
      const entries = Object.entries(lay).map(([k, x]) => [k, f(`l${l}.${k}`, x as X)]);
      return Object.fromEntries(entries) as ActivationsOf<Y>['layer'][number];
    }),
    dH: [f('dH0', dH[0]), f('dH1', dH[1])],
  };
}

/** Every leaf of `a`, in a fixed order (to size, check or release them together). */
export function activationLeaves<X>(a: ActivationsOf<X>): { label: string; value: X }[] {
  const out: { label: string; value: X }[] = [];
  mapActivations(a, (label, value) => out.push({ label, value }));
  return out;
}

export function allocateActivations(ctx: GpuContext, config: BertConfig, shape: BatchShape): Activations {
  const buffers = mapActivations(activationSizes(config, shape), (label, n) => ctx.storage(label, n));
  return { ...buffers, shape };
}

/** One step being recorded: the recorder, the buffers, and views into them by name. */
export interface StepRecording {
  readonly rec: Recorder;
  readonly config: BertConfig;
  readonly layout: FlatLayout;
  readonly a: Activations;
  /** Every parameter's View (P) and its gradient's (G), in the model's typed structure. */
  readonly P: BertParams<View>;
  readonly G: BertParams<View>;
  /** dL/dE_token through the tied output projection, [V, H], kept apart for the report. */
  readonly tokenOutGrad: GPUBuffer;
  /** [MLM loss, NSP loss]. */
  readonly losses: GPUBuffer;
  /** MLM predictions [M], then NSP predictions [B] (argmax on the GPU). */
  readonly preds: GPUBuffer;
  readonly B: number;
  readonly T: number;
  readonly N: number;
  readonly M: number;
  /** Distinct ids in the batch. */
  readonly U: number;
  /** A section of the batch's integer buffer. */
  I(section: keyof ReturnType<typeof intsLayout>): View;
  /** This step's dropout at `site`, or undefined when `rate` is 0. */
  drop(site: number, rate: number): DropoutArgs | undefined;
}

/** `{ [key]: value }` when there is a value, else nothing: for optional kernel arguments. */
export function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
