/**
 * One optimizer update over the flat parameter buffers in ONE dispatch, with the formulas of
 * src/core/train/optimizers.ts (g = the gradient times gradNorm's clipScale, η the rate):
 *
 *   SGD       θ −= η·g;   with momentum μ: buf = μ·buf + g, θ −= η·buf        (slot1 = buf)
 *   Adam      m = β1·m + (1−β1)·g,  v = β2·v + (1−β2)·g²                      (slot1 = m, slot2 = v)
 *             θ −= η · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 *   AdamW     BERT's: no bias correction, θ −= η · (m / (√v + ε) + λ·θ), λ only on weights and
 *             embedding tables
 *   LazyAdam  Adam (global t), but an embedding row whose gradient is zero this step keeps its
 *             m, v and value
 *
 * and nothing at all happens to params and slots when stats[1] (nonFinite) is 1.
 *
 * The segment table (segmentTable, uploaded once) has SEGMENT_WORDS u32 words per parameter, sorted
 * by offset: [offset, length, kind, rowWidth, rowFlagOffset, deltaOffset, 0, 0].
 *   offset, length  the parameter's elements in params/grads/slot1/slot2 (relative to each view);
 *                   elements between segments (the 64-element alignment padding) are left alone
 *   kind            KIND_CODE of its ParamKind: decay applies to 'weight' and 'embedding', LazyAdam
 *                   is lazy on 'embedding'
 *   rowWidth        H for embedding tables (row r = elements [r·H, r·H + H) of the segment)
 *   rowFlagOffset   embedding tables only: rowHasGrad[rowFlagOffset + r] is row r's i32 flag,
 *                   1 when the row's applied gradient is nonzero; rowNorms(..., flags) over each
 *                   table's gradient rows writes them before this dispatch (read by LazyAdam only,
 *                   and for every embedding table: token, segment and position alike)
 *   deltaOffset     embedding tables only: delta[deltaOffset + e] receives Δθ (new − old) of the
 *                   table's element e, written on every update (0 when skipped or, for LazyAdam,
 *                   for rows without gradient)
 * The embedding tables are packed one after another in the order of the segments, in both
 * rowHasGrad (by rows) and delta (by elements): see embeddingBlocks, which the orchestrator uses
 * to find a table's rows there (e.g. for rowNorms of ‖Δ row‖).
 */
import type { ParamKind } from '../../model/params';
import type { OptimizerConfig } from '../../train/optimizers';
import { f32, groupsFor, u32, type Recorder, type View } from '../gpu';
import { WIDE_WG, perThreadMain } from './prelude';
import { fixedKernel, run } from './program';

export interface Segment {
  readonly offset: number;
  readonly length: number;
  readonly kind: ParamKind;
  /** The row width (H) of an embedding table; unused for other kinds. */
  readonly rowWidth: number;
}

export const SEGMENT_WORDS = 8;
export const KIND_CODE: Readonly<Record<ParamKind, number>> = {
  embedding: 0,
  weight: 1,
  bias: 2,
  normGamma: 3,
  normBeta: 4,
};

/** Where an embedding table's row flags and Δθ live in rowHasGrad and delta. */
export interface EmbeddingBlock {
  /** Index of the segment. */
  readonly segment: number;
  readonly rows: number;
  readonly rowWidth: number;
  readonly rowFlagOffset: number;
  readonly deltaOffset: number;
}

/** The embedding tables packed in segment order: rowHasGrad by rows, delta by elements. */
export function embeddingBlocks(segments: readonly Segment[]): EmbeddingBlock[] {
  const blocks: EmbeddingBlock[] = [];
  let rowFlagOffset = 0;
  let deltaOffset = 0;
  segments.forEach((s, segment) => {
    if (s.kind !== 'embedding') return;
    const rows = s.length / s.rowWidth;
    blocks.push({ segment, rows, rowWidth: s.rowWidth, rowFlagOffset, deltaOffset });
    rowFlagOffset += rows;
    deltaOffset += s.length;
  });
  return blocks;
}

export function segmentTable(segments: readonly Segment[]): Uint32Array {
  const table = new Uint32Array(SEGMENT_WORDS * segments.length);
  const blocks = new Map(embeddingBlocks(segments).map((b) => [b.segment, b]));
  let end = 0;
  segments.forEach((s, k) => {
    if (!Number.isInteger(s.offset) || s.offset < end || !(s.length > 0) || !Number.isInteger(s.length)) {
      throw new RangeError(`Segment ${k} (${s.offset}, ${s.length}) overlaps or is out of order.`);
    }
    const block = blocks.get(k);
    if (block !== undefined && (!Number.isInteger(block.rows) || !(s.rowWidth > 0))) {
      throw new RangeError(`Embedding segment ${k}: ${s.length} elements are not rows of ${s.rowWidth}.`);
    }
    table.set(
      [
        s.offset,
        s.length,
        KIND_CODE[s.kind],
        block?.rowWidth ?? 0,
        block?.rowFlagOffset ?? 0,
        block?.deltaOffset ?? 0,
      ],
      k * SEGMENT_WORDS,
    );
    end = s.offset + s.length;
  });
  return table;
}

/** The update rules, chosen by a uniform so one pipeline serves them all. */
const METHOD = { sgd: 0, momentum: 1, adam: 2, adamw: 3, lazyadam: 4 } as const;

const STEP = fixedKernel(
  'optimizer',
  perThreadMain(
    WIDE_WG,
    /* wgsl */ `
  if (i >= u.length) { return; }
  // The segment of element i: the last one whose offset is <= i (binary search).
  var lo = 0u;
  var hi = u.segmentCount;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (segments(mid * ${SEGMENT_WORDS}u) <= i) { lo = mid; } else { hi = mid; }
  }
  let s = lo * ${SEGMENT_WORDS}u;
  let start = segments(s);
  if (i < start || i >= start + segments(s + 1u)) { return; } // alignment padding
  let kind = segments(s + 2u);
  let embedding = kind == 0u;
  let e = i - start; // element within the parameter
  let deltaAt = segments(s + 5u) + e;
  if (stats(1u) != 0.0) { // not finite: nothing is applied
    if (embedding) { delta_put(deltaAt, 0.0); }
    return;
  }
  let g = grads(i) * stats(2u);
  let old = params(i);
  var next = old;
  switch u.method {
    case 0u: { next = old - g * u.lr; }
    case 1u: {
      let buf = slot1(i) * u.momentum + g;
      slot1_put(i, buf);
      next = old - buf * u.lr;
    }
    default: {
      // LazyAdam leaves an embedding row without gradient exactly as it was: m, v and θ.
      let lazySkip = u.method == 4u && embedding &&
        rowHasGrad(segments(s + 4u) + e / segments(s + 3u)) == 0;
      if (!lazySkip) {
        let m = slot1(i) * u.beta1 + g * u.oneMinusBeta1;
        let v = slot2(i) * u.beta2 + g * g * u.oneMinusBeta2;
        slot1_put(i, m);
        slot2_put(i, v);
        if (u.method == 3u) {
          var update = m / (sqrt(v) + u.epsilon);
          if (kind <= 1u) { update += old * u.weightDecay; } // embedding or weight
          next = old - update * u.lr;
        } else {
          next = old - m / u.correction1 / (sqrt(v / u.correction2) + u.epsilon) * u.lr;
        }
      }
    }
  }
  params_put(i, next);
  if (embedding) { delta_put(deltaAt, next - old); }
`,
  ),
);

export function optimizerStep(
  rec: Recorder,
  a: {
    config: OptimizerConfig;
    params: View;
    grads: View;
    slot1: View;
    slot2: View;
    segments: View;
    segmentCount: number;
    length: number;
    stats: View;
    rowHasGrad: View;
    delta: View;
    lr: number;
    t: number;
  },
): void {
  const c = a.config;
  if (!(a.segmentCount >= 1)) throw new RangeError('The segment table is empty.');
  if (!Number.isInteger(a.t) || a.t < 1) throw new RangeError(`t is 1-based, not ${a.t}.`);
  const adam = c.kind === 'sgd' ? { beta1: 0, beta2: 0, epsilon: 1 } : c;
  const method = c.kind === 'sgd' ? (c.momentum === 0 ? METHOD.sgd : METHOD.momentum) : METHOD[c.kind];
  // β^t in f64, then rounded once to f32, like optimizers.ts's tf.scalar(1 − β1 ** t).
  const uniforms = {
    method: u32(method),
    segmentCount: u32(a.segmentCount),
    length: u32(a.length),
    lr: f32(a.lr),
    momentum: f32(c.kind === 'sgd' ? c.momentum : 0),
    beta1: f32(adam.beta1),
    beta2: f32(adam.beta2),
    oneMinusBeta1: f32(1 - adam.beta1),
    oneMinusBeta2: f32(1 - adam.beta2),
    epsilon: f32(adam.epsilon),
    correction1: f32(1 - adam.beta1 ** a.t),
    correction2: f32(1 - adam.beta2 ** a.t),
    weightDecay: f32(c.kind === 'adamw' ? c.weightDecay : 0),
  };
  run(
    rec,
    STEP,
    {
      params: { view: a.params, write: true },
      grads: a.grads,
      slot1: { view: a.slot1, write: true },
      slot2: { view: a.slot2, write: true },
      segments: { view: a.segments, type: 'u32' },
      stats: a.stats,
      rowHasGrad: { view: a.rowHasGrad, type: 'i32' },
      delta: { view: a.delta, write: true },
    },
    uniforms,
    groupsFor(a.length, WIDE_WG),
  );
}
