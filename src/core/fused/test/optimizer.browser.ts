/**
 * The end of the fused step: gradNorm (global norm, non-finite rule, clip factor), rowNorms and
 * optimizerStep, checked against step.ts's rules and optimizers.ts's createOptimizer(...).apply on
 * the cpu backend over parameters of every kind, for three updates and one non-finite step.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamInfo } from '../../model/params';
import { createOptimizer, defaultOptimizerConfig, type OptimizerConfig } from '../../train/optimizers';
import { clipScale } from '../../train/schedule';
import { Recorder, view } from '../gpu';
import { gradNorm } from '../kernels/gradNorm';
import { embeddingBlocks, optimizerStep, segmentTable, type Segment } from '../kernels/optimizer';
import { rowNorms } from '../kernels/rowNorms';
import {
  FORWARD_BOUND,
  GRADIENT_BOUND,
  gpu,
  randomArray,
  register,
  result,
  upload,
  type CaseResult,
} from './harness';

function exact(what: string, got: ArrayLike<number>, want: ArrayLike<number>): CaseResult {
  let n = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (!Object.is(got[i], want[i])) n++;
  return { what, error: n, bound: 0 };
}

/** step.ts's ‖g‖ (one tf sum of squares per parameter, then √) and schedule.ts's clipScale. */
function referenceNorm(parts: readonly Float32Array[]): number {
  return tf.tidy(
    () =>
      parts
        .reduce<tf.Tensor>((sum, g) => sum.add(tf.tensor1d(g).square().sum()), tf.scalar(0))
        .sqrt()
        .dataSync()[0]!,
  );
}

async function gradNormCase(
  grads: Float32Array,
  losses: Float32Array,
  clipNorm: number,
  nonFinite: boolean,
): Promise<CaseResult[]> {
  const ctx = await gpu();
  const pad = 11;
  const gb = ctx.storage('grads', grads.length + pad);
  ctx.write(gb, grads, pad);
  // losses and stats in one small buffer, read and written by the same dispatch.
  const scalars = upload(ctx, 'scalars', Float32Array.of(...losses, NaN, NaN, NaN, NaN));
  const partials = ctx.storage('partials', 1024);
  // Twice: no atomics, so the second run must give the same bits.
  const runs: Float32Array[] = [];
  let dispatches = 0;
  for (let run = 0; run < 2; run++) {
    const rec = new Recorder(ctx);
    gradNorm(rec, {
      grads: view(gb, pad),
      length: grads.length,
      losses: view(scalars),
      lossCount: losses.length,
      clipNorm,
      partials: view(partials),
      stats: view(scalars, losses.length),
    });
    dispatches = rec.submit();
    runs.push(await ctx.read(scalars, losses.length, 4));
  }
  const stats = runs[0]!;
  const norm = referenceNorm([grads]);
  const flag = [stats[1]!];
  const checks = [
    exact('the same stats on a second run', runs[1]!, stats),
    { what: 'dispatches over 2', error: Math.max(0, dispatches - 2), bound: 0 },
  ];
  if (nonFinite) return [...checks, exact('nonFinite', flag, [1]), exact('clipScale', [stats[2]!], [1])];
  return [
    ...checks,
    exact('nonFinite', flag, [0]),
    result('‖g‖', [stats[0]!], [norm], FORWARD_BOUND),
    result('clipScale', [stats[2]!], [clipScale(norm, clipNorm)], FORWARD_BOUND),
    result('‖g‖²', [stats[3]!], [norm * norm], FORWARD_BOUND),
  ];
}

/** A small model of every parameter kind, laid out as the fused layout does (64-aligned leaves). */
const H = 36;
const INFOS: ParamInfo[] = [
  { name: 'embeddings.token', kind: 'embedding', shape: [50, H] },
  { name: 'embeddings.segment', kind: 'embedding', shape: [2, H] },
  { name: 'embeddings.position', kind: 'embedding', shape: [13, H] },
  { name: 'embeddings.norm.gamma', kind: 'normGamma', shape: [H] },
  { name: 'embeddings.norm.beta', kind: 'normBeta', shape: [H] },
  { name: 'layers.0.intermediate.kernel', kind: 'weight', shape: [H, 20] },
  { name: 'layers.0.intermediate.bias', kind: 'bias', shape: [20] },
];
const size = (info: ParamInfo) => info.shape.reduce((a, b) => a * b, 1);
const SEGMENTS: Segment[] = [];
let LENGTH = 0;
for (const info of INFOS) {
  SEGMENTS.push({ offset: LENGTH, length: size(info), kind: info.kind, rowWidth: H });
  LENGTH += Math.ceil(size(info) / 64) * 64;
}
const BLOCKS = embeddingBlocks(SEGMENTS);
const PAD_VALUE = 5;

/** Update k's gradient of parameter i; embedding rows with (row + k) % 3 === 0 get none. */
function gradient(i: number, k: number): Float32Array {
  const info = INFOS[i]!;
  const scale = k === 3 ? 1e-3 : 0.2; // updates 1, 2 are clipped, update 3 is under the limit
  const g = randomArray(100 * k + i, size(info), scale);
  if (info.kind === 'embedding') {
    for (let r = 0; r < info.shape[0]!; r++) if ((r + k) % 3 === 0) g.fill(0, r * H, r * H + H);
  }
  return g;
}

/** The leaves in one buffer; the alignment padding holds `pad`. */
function flat(parts: readonly Float32Array[], pad: number): Float32Array {
  const out = new Float32Array(LENGTH).fill(pad);
  parts.forEach((p, i) => out.set(p, SEGMENTS[i]!.offset));
  return out;
}

const leaves = (data: Float32Array) => SEGMENTS.map((s) => data.slice(s.offset, s.offset + s.length));
const concat = (parts: readonly ArrayLike<number>[]) =>
  Float32Array.from(parts.flatMap((p) => Array.from(p)));

async function optimizerCase(config: OptimizerConfig, lr: number): Promise<CaseResult[]> {
  const ctx = await gpu();
  const clipNorm = 1;
  const initial = INFOS.map((info, i) => randomArray(7 + i, size(info), 0.5));
  const params = upload(ctx, 'params', flat(initial, PAD_VALUE));
  const grads = ctx.storage('grads', LENGTH);
  const slots = ctx.storage('slots', 2 * LENGTH); // slot1 and slot2: two written views of one buffer
  const table = upload(ctx, 'segments', segmentTable(SEGMENTS));
  const flagRows = BLOCKS.reduce((n, b) => n + b.rows, 0);
  const deltaLength = BLOCKS.reduce((n, b) => n + b.rows * b.rowWidth, 0);
  const rowHasGrad = ctx.storage('rowHasGrad', flagRows);
  const delta = upload(ctx, 'delta', new Float32Array(deltaLength).fill(NaN));
  const scratch = ctx.storage('scratch', 1024 + flagRows + 8); // partials, row norms, losses, stats
  const [normsAt, lossAt, statsAt] = [1024, 1024 + flagRows, 1024 + flagRows + 4];

  const reference = INFOS.map((info, i) =>
    tf.tidy(() => tf.variable(tf.tensor(initial[i]!, [...info.shape]))),
  );
  const optimizer = createOptimizer(config);
  const results: CaseResult[] = [];
  for (let k = 1; k <= 4; k++) {
    const g = INFOS.map((_, i) => gradient(i, k));
    if (k === 4) g[5]![3] = NaN; // a non-finite step: nothing may change, delta reads 0
    ctx.write(grads, flat(g, 0));
    ctx.write(scratch, Float32Array.of(1.5), lossAt);
    const rec = new Recorder(ctx);
    // LazyAdam's row flags from the gradient's row norms, as the orchestrator makes them.
    for (const b of BLOCKS) {
      rowNorms(rec, {
        x: view(grads, SEGMENTS[b.segment]!.offset),
        rows: b.rows,
        width: b.rowWidth,
        out: view(scratch, normsAt + b.rowFlagOffset),
        flags: view(rowHasGrad, b.rowFlagOffset),
      });
    }
    gradNorm(rec, {
      grads: view(grads),
      length: LENGTH,
      losses: view(scratch, lossAt),
      lossCount: 1,
      clipNorm,
      partials: view(scratch),
      stats: view(scratch, statsAt),
    });
    const recorded = rec.length;
    optimizerStep(rec, {
      config,
      params: view(params),
      grads: view(grads),
      slot1: view(slots),
      slot2: view(slots, LENGTH),
      segments: view(table),
      segmentCount: SEGMENTS.length,
      length: LENGTH,
      stats: view(scratch, statsAt),
      rowHasGrad: view(rowHasGrad),
      delta: view(delta),
      lr,
      t: k,
    });
    results.push({
      what: 'optimizer dispatches other than 1',
      error: Math.abs(rec.length - recorded - 1),
      bound: 0,
    });
    rec.submit();
    if (k === 4) continue; // the reference skips it: step.ts applies nothing when not finite
    const norm = referenceNorm(g);
    const scale = clipScale(norm, clipNorm);
    const before = reference.map((v) => v.clone());
    const applied = tf.tidy(() => g.map((x, i) => tf.tensor(x, [...INFOS[i]!.shape]).mul(scale)));
    optimizer.apply(reference, applied, INFOS, lr);
    const wantDelta = tf.tidy(() =>
      BLOCKS.map((b) => reference[b.segment]!.sub(before[b.segment]!).dataSync<'float32'>()),
    );
    tf.dispose([...before, ...applied]);
    const stats = await ctx.read(scratch, statsAt, 4);
    results.push(result(`clipScale at update ${k}`, [stats[2]!], [scale], FORWARD_BOUND));
    const gotDelta = await ctx.read(delta);
    results.push(
      result(`Δθ of the embedding tables at update ${k}`, gotDelta, concat(wantDelta), GRADIENT_BOUND),
    );
    // Rows that moved without a gradient: LazyAdam none, Adam's and AdamW's all, SGD's none.
    const movedWithoutGradient = (d: Float32Array) =>
      BLOCKS.map((b) => {
        let n = 0;
        for (let r = 0; r < b.rows; r++) {
          const row = d.subarray(b.deltaOffset + r * H, b.deltaOffset + r * H + H);
          if ((r + k) % 3 === 0 && row.some((v) => v !== 0)) n++;
        }
        return n;
      });
    results.push(
      exact(
        `rows moved without gradient at update ${k}`,
        movedWithoutGradient(gotDelta),
        movedWithoutGradient(concat(wantDelta)),
      ),
    );
  }
  const [gotParams, gotSlots, gotDelta, stats] = await Promise.all([
    ctx.read(params),
    ctx.read(slots),
    ctx.read(delta),
    ctx.read(scratch, statsAt, 4),
  ]);
  const wantParams = await Promise.all(reference.map((v) => v.data<'float32'>()));
  results.push(
    exact('nonFinite at the NaN step', [stats[1]!], [1]),
    // Leaf by leaf, so an error in one kind's rule is not diluted by the large tables.
    ...leaves(gotParams).map((got, i) =>
      result(`${INFOS[i]!.name} after 3 updates and a skipped one`, got, wantParams[i]!, GRADIENT_BOUND),
    ),
    exact(
      'padding untouched',
      gotParams.filter((_, j) => !SEGMENTS.some((s) => j >= s.offset && j < s.offset + s.length)),
      new Float32Array(LENGTH - SEGMENTS.reduce((n, s) => n + s.length, 0)).fill(PAD_VALUE),
    ),
    exact('delta after the skipped step', gotDelta, new Float32Array(deltaLength)),
  );
  const slotVariables = optimizer.stateVariables(reference);
  const perParam = optimizer.slotNames.length;
  for (let s = 0; s < perParam; s++) {
    const want = await Promise.all(INFOS.map((_, i) => slotVariables[i * perParam + s]!.data<'float32'>()));
    const got = leaves(gotSlots.subarray(s * LENGTH, (s + 1) * LENGTH));
    results.push(result(optimizer.slotNames[s]!, concat(got), concat(want), GRADIENT_BOUND));
  }
  tf.dispose(reference);
  optimizer.dispose();
  return results;
}

register({
  gradNormClips: () => gradNormCase(randomArray(51, 100_003, 0.01), Float32Array.of(2.5, 0.7), 1, false),
  gradNormUnderTheLimit: () => gradNormCase(randomArray(52, 4097, 0.01), Float32Array.of(1), 100, false),
  gradNormZero: () => gradNormCase(new Float32Array(300), Float32Array.of(1), 1, false),
  async gradNormNonFinite() {
    const nanGrad = randomArray(53, 5000);
    nanGrad[4321] = NaN;
    const infGrad = randomArray(54, 5000);
    infGrad[17] = -Infinity;
    return [
      ...(await gradNormCase(nanGrad, Float32Array.of(1), 1, true)),
      ...(await gradNormCase(infGrad, Float32Array.of(1), 1, true)),
      ...(await gradNormCase(randomArray(55, 5000), Float32Array.of(1, Infinity), 1, true)),
      ...(await gradNormCase(randomArray(56, 5000), Float32Array.of(NaN), 1, true)),
    ];
  },
  async rowNormsOfSumAndFlags() {
    const ctx = await gpu();
    const [rows, width] = [50, 36];
    const x = randomArray(61, rows * width);
    const y = randomArray(62, rows * width);
    for (let r = 0; r < rows; r += 4) {
      x.fill(0, r * width, r * width + width);
      y.fill(0, r * width, r * width + width);
    }
    for (let c = 0; c < width; c++) y[width + c] = -x[width + c]!; // row 1: x + y = 0
    const xb = upload(ctx, 'x', x);
    const yb = upload(ctx, 'y', y);
    const out = ctx.storage('out', 2 * rows);
    const flags = ctx.storage('flags', rows);
    const rec = new Recorder(ctx);
    rowNorms(rec, { x: view(xb), y: view(yb), rows, width, out: view(out), flags: view(flags) });
    rowNorms(rec, { x: view(xb), rows, width, out: view(out, rows) });
    rec.submit();
    const [sum, alone, flag] = await Promise.all([
      ctx.read(out, 0, rows),
      ctx.read(out, rows, rows),
      ctx.readInt(flags),
    ]);
    // step.ts's rowNorm: t.square().sum(1).sqrt()
    const norms = (t: () => tf.Tensor) => tf.tidy(() => t().square().sum(1).sqrt().dataSync());
    const xt = () => tf.tensor2d(x, [rows, width]);
    const wantSum = norms(() => xt().add(tf.tensor2d(y, [rows, width])));
    const wantAlone = norms(xt);
    return [
      result('‖x + y‖ per row', sum, wantSum, FORWARD_BOUND),
      result('‖x‖ per row', alone, wantAlone, FORWARD_BOUND),
      exact(
        'flags = row nonzero',
        flag,
        Int32Array.from(wantSum, (v) => (v > 0 ? 1 : 0)),
      ),
    ];
  },
  optimizerSgd: () => optimizerCase(defaultOptimizerConfig('sgd'), 0.1),
  optimizerSgdMomentum: () => optimizerCase({ kind: 'sgd', momentum: 0.9 }, 0.1),
  optimizerAdam: () => optimizerCase(defaultOptimizerConfig('adam'), 0.01),
  optimizerAdamW: () =>
    optimizerCase({ kind: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecay: 0.1 }, 0.01),
  optimizerLazyAdam: () => optimizerCase(defaultOptimizerConfig('lazyadam'), 0.01),
});
