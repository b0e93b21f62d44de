/**
 * Cases of `matmul` against tf.matMul and the composite GELU of bert.ts on the cpu backend: the
 * shapes of bert-tiny's step (H = 128, F = 512, N = 512 rows, the MLM logits over the 30,522-word
 * vocabulary and their tied-embedding gradient) and odd sizes that are no multiple of a tile, with
 * row strides wider than the width, per-batch strides, and operands that share a buffer.
 */
import * as tf from '@tensorflow/tfjs';
import { Recorder, type View } from '../gpu';
import { matmul, type MatmulArgs } from '../kernels/matmul';
import { FORWARD_BOUND, GRADIENT_BOUND, gpu, randomArray, result, type CaseResult } from './harness';
import type { MATMUL_CASES } from './denseCases';
import { geluRef, place, placeMany, readView, tidyData, unstride } from './denseUtil';

/**
 * Vocabulary rows in the MLM-head cases: a prime near a quarter of bert-base-uncased's 30,522, so
 * the last tile is ragged. The full vocabulary is the same kernel with 4× the workgroups, and would
 * take ~40 s per case on SwiftShader on a shared machine (the cases should stay near 10 s).
 */
const VOCAB_SLICE = 7919;

interface Spec {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** Extra elements added to the stored width to make lda, ldb, ldc. */
  padA?: number;
  padB?: number;
  padC?: number;
  alpha?: number;
  bias?: boolean;
  gelu?: boolean;
  geluGrad?: boolean;
  accumulate?: boolean;
  batch?: number;
  /** Per-batch strides of A and B: 0 (shared) or `undefined` (packed, with a 3-element gap). */
  shareA?: boolean;
  shareB?: boolean;
  /** Standard deviation of A (wider pre-activations reach GELU's tails). */
  std?: number;
  /** A, B and the bias in one buffer, C and pre in another (the flat params/activations). */
  oneBuffer?: boolean;
}

/** A stored matrix: `rows` × `cols` with stride ld, `batch` copies `stride` apart. */
function stack(seed: number, rows: number, cols: number, ld: number, batch: number, stride: number, std = 1) {
  const size = Math.max(1, (batch - 1) * stride + rows * ld);
  const data = randomArray(seed, size, std);
  const at = (z: number) => unstride(data.subarray(z * stride, z * stride + rows * ld), rows, cols, ld);
  return { data, at };
}

async function runMatmul(spec: Spec): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { m, n, k } = spec;
  const transA = spec.transA ?? false;
  const transB = spec.transB ?? false;
  const batch = spec.batch ?? 1;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + (spec.padA ?? 0);
  const ldb = bCols + (spec.padB ?? 0);
  const ldc = n + (spec.padC ?? 0);
  const strideA = spec.shareA ? 0 : aRows * lda + 3;
  const strideB = spec.shareB ? 0 : bRows * ldb + 3;
  const strideC = m * ldc + 2;
  const strideBias = n + 1;
  const stridePre = m * n + 4;
  const A = stack(11, aRows, aCols, lda, batch, strideA, spec.std ?? 1);
  const B = stack(12, bRows, bCols, ldb, batch, strideB, 1 / Math.sqrt(k));
  const bias = stack(13, 1, n, n, batch, strideBias);
  const C0 = stack(14, m, n, ldc, batch, strideC);
  const G = stack(15, m, n, n, batch, stridePre, 2);

  let a: View, b: View, biasView: View, c: View, pre: View;
  if (spec.oneBuffer) {
    [a, b, biasView] = placeMany(ctx, 'params', [A.data, B.data, bias.data]) as [View, View, View];
    [c, pre] = placeMany(ctx, 'acts', [C0.data, new Float32Array(G.data.length)]) as [View, View];
  } else {
    [a, b, biasView, c, pre] = [
      place(ctx, 'a', A.data, 3),
      place(ctx, 'b', B.data, 7),
      place(ctx, 'bias', bias.data, 1),
      place(ctx, 'c', C0.data, 9),
      place(ctx, 'pre', new Float32Array(G.data.length), 2),
    ];
  }
  const grad = place(ctx, 'geluGradOf', G.data, 6);
  const args: MatmulArgs = {
    a,
    b,
    c,
    m,
    n,
    k,
    transA,
    transB,
    lda,
    ldb,
    ldc,
    batch,
    strideA,
    strideB,
    strideC,
  };
  if (spec.alpha !== undefined) args.alpha = spec.alpha;
  if (spec.bias) Object.assign(args, { bias: biasView, strideBias });
  if (spec.gelu) Object.assign(args, { epilogue: 'gelu', preActivation: pre, stridePre });
  if (spec.geluGrad) Object.assign(args, { geluGradOf: grad, strideGeluGrad: stridePre });
  if (spec.accumulate) args.accumulate = true;
  const rec = new Recorder(ctx);
  matmul(rec, args);
  if (rec.submit() !== 1) throw new Error('matmul recorded more than one dispatch');

  const cAll = await readView(ctx, c, C0.data.length);
  const preAll = await readView(ctx, pre, G.data.length);
  const got = new Float32Array(batch * m * n);
  const want = new Float32Array(batch * m * n);
  const gotPre = new Float32Array(spec.gelu ? batch * m * n : 0);
  const wantPre = new Float32Array(gotPre.length);
  let gapChanged = 0;
  for (let z = 0; z < batch; z++) {
    const refs = tf.tidy(() => {
      const az = tf.tensor2d(A.at(z), [aRows, aCols]);
      const bz = tf.tensor2d(B.at(z), [bRows, bCols]);
      let y: tf.Tensor2D = tf.matMul(az, bz, transA, transB).mul(spec.alpha ?? 1);
      if (spec.bias) y = y.add(tf.tensor1d(bias.at(z)));
      const preRef = y;
      if (spec.gelu) y = geluRef(y);
      if (spec.geluGrad) {
        const g = tf.tensor2d(G.at(z), [m, n]);
        y = tf.grads((p: tf.Tensor) => geluRef(p))([g], y)[0] as tf.Tensor2D;
      }
      if (spec.accumulate) y = y.add(tf.tensor2d(C0.at(z), [m, n]));
      return { y: new Float32Array(y.dataSync()), pre: new Float32Array(preRef.dataSync()) };
    });
    const stored = cAll.subarray(z * strideC, z * strideC + m * ldc);
    got.set(unstride(stored, m, n, ldc), z * m * n);
    want.set(refs.y, z * m * n);
    for (let i = 0; i < m; i++) {
      for (let j = n; j < ldc; j++)
        if (stored[i * ldc + j] !== C0.data[z * strideC + i * ldc + j]) gapChanged++;
    }
    if (spec.gelu) {
      gotPre.set(preAll.subarray(z * stridePre, z * stridePre + m * n), z * m * n);
      wantPre.set(refs.pre, z * m * n);
    }
  }
  const bound = spec.geluGrad ? GRADIENT_BOUND : FORWARD_BOUND;
  const out = [result('C', got, want, bound)];
  if (spec.gelu) out.push(result('pre-activation', gotPre, wantPre, FORWARD_BOUND));
  if (ldc > n || batch > 1)
    out.push({ what: 'C elements in the row-stride gap that changed', error: gapChanged, bound: 0 });
  return out;
}

/** gelu on a wide range directly against tf.erf's composite: y = gelu(1 · x) via a 1 × 1 identity. */
async function geluTails(): Promise<CaseResult[]> {
  const ctx = await gpu();
  const m = 4001;
  const x = Float32Array.from({ length: m }, (_, i) => -10 + (20 * i) / (m - 1));
  const one = place(ctx, 'one', Float32Array.of(1));
  const c = place(ctx, 'c', new Float32Array(m));
  const d = place(ctx, 'd', new Float32Array(m));
  const xs = place(ctx, 'x', x);
  const rec = new Recorder(ctx);
  matmul(rec, { a: xs, b: one, c, m, n: 1, k: 1, epilogue: 'gelu' });
  matmul(rec, {
    a: place(ctx, 'ones', new Float32Array(m).fill(1)),
    b: one,
    c: d,
    m,
    n: 1,
    k: 1,
    geluGradOf: xs,
  });
  rec.submit();
  const want = tidyData(() => geluRef(tf.tensor1d(x)));
  const wantGrad = tidyData(() => tf.grads((p: tf.Tensor) => geluRef(p))([tf.tensor1d(x)])[0]!);
  return [
    result('gelu(x), x in [−10, 10]', await readView(ctx, c, m), want, FORWARD_BOUND),
    result("gelu'(x), x in [−10, 10]", await readView(ctx, d, m), wantGrad, GRADIENT_BOUND),
  ];
}

export const matmulCases: Record<keyof typeof MATMUL_CASES, () => Promise<CaseResult[]>> = {
  qkv: () => runMatmul({ m: 512, n: 384, k: 128, bias: true }),
  plain: () => runMatmul({ m: 37, n: 29, k: 45, padA: 3, padB: 5, padC: 2, alpha: 0.75 }),
  transA: () => runMatmul({ m: 37, n: 29, k: 45, transA: true, padA: 1, padB: 2, padC: 3 }),
  transB: () => runMatmul({ m: 37, n: 29, k: 45, transB: true, padA: 2, padB: 1, padC: 1, accumulate: true }),
  transAB: () =>
    runMatmul({ m: 70, n: 13, k: 36, transA: true, transB: true, padA: 4, padB: 3, padC: 5, alpha: -1.5 }),
  ffnGelu: () => runMatmul({ m: 512, n: 512, k: 128, bias: true, gelu: true, std: 2 }),
  geluOdd: () => runMatmul({ m: 39, n: 36, k: 36, bias: true, gelu: true, std: 3 }),
  geluBackward: () => runMatmul({ m: 512, n: 512, k: 128, transB: true, geluGrad: true }),
  weightGrad: () => runMatmul({ m: 128, n: 384, k: 512, transA: true, accumulate: true }),
  mlmLogits: () => runMatmul({ m: 80, n: VOCAB_SLICE, k: 128, transB: true, bias: true }),
  tiedGrad: () => runMatmul({ m: VOCAB_SLICE, n: 128, k: 80, transA: true, accumulate: true }),
  batchedShared: () =>
    runMatmul({ m: 13, n: 18, k: 36, batch: 3, shareB: true, bias: true, gelu: true, padC: 2 }),
  batchedStrides: () =>
    runMatmul({
      m: 33,
      n: 21,
      k: 17,
      batch: 4,
      transA: true,
      transB: true,
      padA: 1,
      padB: 2,
      geluGrad: true,
    }),
  sharedBuffers: () => runMatmul({ m: 64, n: 36, k: 36, bias: true, gelu: true, oneBuffer: true }),
  geluTails: geluTails,
};
