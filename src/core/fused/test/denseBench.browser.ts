/**
 * Timings of the dense kernels at bert-tiny's shapes (scripts/bench-fused-dense.ts drives it), next
 * to tfjs-backend-webgpu's own ops for the same work on the same device: each is run `REPEAT`
 * times back to back and waited for once (a read of one element), and the median of `ROUNDS` such
 * rounds, divided by `REPEAT`, is its time per call. Pipelines are compiled in a warm-up round.
 */
import * as tf from '@tensorflow/tfjs';
import type { GpuContext, View } from '../gpu';
import { Recorder } from '../gpu';
import { layerNormBackward, layerNormForward } from '../kernels/layerNorm';
import { matmul, type MatmulArgs } from '../kernels/matmul';
import { columnSum } from '../kernels/reduce';
import { gpu, randomArray, upload } from './harness';

const REPEAT = 2;
const ROUNDS = 3;

export interface BenchRow {
  readonly what: string;
  readonly fusedMs: number;
  readonly tfjsMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeFused(ctx: GpuContext, record: (rec: Recorder) => void, probe: View): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = performance.now();
    const rec = new Recorder(ctx);
    for (let i = 0; i < REPEAT; i++) record(rec);
    rec.submit();
    await ctx.read(probe.buffer, probe.offset, 1);
    if (round > 0) times.push((performance.now() - t0) / REPEAT); // round 0 compiles
  }
  return median(times);
}

async function timeTfjs(op: () => tf.Tensor): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = performance.now();
    const outs: tf.Tensor[] = [];
    for (let i = 0; i < REPEAT; i++) outs.push(tf.tidy(op));
    const probe = outs[REPEAT - 1]!.slice([0], [1]); // the results are rank 1
    await probe.data();
    tf.dispose([probe, ...outs]);
    if (round > 0) times.push((performance.now() - t0) / REPEAT);
  }
  return median(times);
}

function buffers(ctx: GpuContext, ...sizes: number[]): View[] {
  return sizes.map((n, i) => ({ buffer: upload(ctx, `b${i}`, randomArray(i + 1, n)), offset: 0 }));
}

async function benchMatmul(
  what: string,
  args: Omit<MatmulArgs, 'a' | 'b' | 'c' | 'bias'> & { bias?: boolean },
) {
  const ctx = await gpu();
  const { m, n, k } = args;
  const [a, b, c, bias] = buffers(ctx, m * k, k * n, m * n, n) as [View, View, View, View];
  const pre = buffers(ctx, m * n)[0]!;
  const full: MatmulArgs = { ...args, a, b, c, bias };
  if (!args.bias) delete full.bias;
  if (args.epilogue === 'gelu') full.preActivation = pre;
  const fusedMs = await timeFused(ctx, (rec) => matmul(rec, full), c);
  await tf.setBackend('webgpu');
  const ta = tf.randomNormal(args.transA ? [k, m] : [m, k]) as tf.Tensor2D;
  const tb = tf.randomNormal(args.transB ? [n, k] : [k, n]) as tf.Tensor2D;
  const tbias = tf.randomNormal([n]);
  const tfjsMs = await timeTfjs(() => {
    let y: tf.Tensor = tf.matMul(ta, tb, args.transA ?? false, args.transB ?? false);
    if (args.bias) y = y.add(tbias);
    if (args.epilogue === 'gelu') y = y.mul(tf.erf(y.mul(Math.SQRT1_2)).add(1).mul(0.5));
    return y.reshape([-1]);
  });
  tf.dispose([ta, tb, tbias]);
  await tf.setBackend('cpu');
  return { what, fusedMs, tfjsMs };
}

async function benchLayerNorm(): Promise<BenchRow[]> {
  const ctx = await gpu();
  const rows = 512;
  const width = 128;
  const [x, res, gamma, beta, out, xhat, rstd, dy, ds, grads] = buffers(
    ctx,
    ...[
      rows * width,
      rows * width,
      width,
      width,
      rows * width,
      rows * width,
      rows,
      rows * width,
      rows * width,
      2 * width,
    ],
  ) as View[];
  const dGamma = grads!;
  const dBeta = { buffer: grads!.buffer, offset: width };
  const common = { rows, width };
  const forward = await timeFused(
    ctx,
    (rec) =>
      layerNormForward(rec, {
        ...common,
        x: x!,
        residual: res!,
        gamma: gamma!,
        beta: beta!,
        out: out!,
        xhat: xhat!,
        rstd: rstd!,
        eps: 1e-12,
      }),
    out!,
  );
  const backward = await timeFused(
    ctx,
    (rec) =>
      layerNormBackward(rec, {
        ...common,
        dy: dy!,
        xhat: xhat!,
        rstd: rstd!,
        gamma: gamma!,
        ds: ds!,
        dGamma,
        dBeta,
      }),
    ds!,
  );
  const sums = await timeFused(
    ctx,
    (rec) => columnSum(rec, { x: dy!, rows, cols: width, out: dGamma }),
    dGamma,
  );
  await tf.setBackend('webgpu');
  const [tx, tr, tg, tbeta, tdy] = [
    tf.randomNormal([rows, width]),
    tf.randomNormal([rows, width]),
    tf.randomNormal([width]),
    tf.randomNormal([width]),
    tf.randomNormal([rows, width]),
  ];
  const ln = (s: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const mean = tf.mean(s, -1, true);
    const centered = s.sub(mean);
    return centered
      .mul(tf.rsqrt(tf.mean(centered.square(), -1, true).add(1e-12)))
      .mul(g)
      .add(b);
  };
  const tfForward = await timeTfjs(() => ln(tx.add(tr), tg, tbeta).reshape([-1]));
  const tfBackward = await timeTfjs(() => {
    const [dsT, dg, db] = tf.grads((s: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => ln(s, g, b))(
      [tx, tg, tbeta],
      tdy,
    );
    return tf.concat([dsT!.reshape([-1]), dg!, db!]);
  });
  const tfSums = await timeTfjs(() => tf.sum(tdy, 0));
  tf.dispose([tx, tr, tg, tbeta, tdy]);
  await tf.setBackend('cpu');
  return [
    { what: 'layerNorm forward [512, 128] (+ residual)', fusedMs: forward, tfjsMs: tfForward },
    { what: 'layerNorm backward [512, 128] (ds, dγ, dβ)', fusedMs: backward, tfjsMs: tfBackward },
    { what: 'columnSum [512, 128]', fusedMs: sums, tfjsMs: tfSums },
  ];
}

async function bench(vocab: number): Promise<BenchRow[]> {
  return [
    await benchMatmul('QKV x W + b [512, 128]·[128, 384]', { m: 512, n: 384, k: 128, bias: true }),
    await benchMatmul('FFN in + GELU [512, 128]·[128, 512]', {
      m: 512,
      n: 512,
      k: 128,
      bias: true,
      epilogue: 'gelu',
    }),
    await benchMatmul('FFN out [512, 512]·[512, 128]', { m: 512, n: 128, k: 512, bias: true }),
    await benchMatmul('dW = xᵀ dy [512, 128]ᵀ·[512, 384]', { m: 128, n: 384, k: 512, transA: true }),
    await benchMatmul(`MLM logits [80, 128]·[${vocab}, 128]ᵀ`, {
      m: 80,
      n: vocab,
      k: 128,
      transB: true,
      bias: true,
    }),
    await benchMatmul(`dE = dlogitsᵀ h [${vocab}, 80]·[80, 128]`, { m: vocab, n: 128, k: 80, transA: true }),
    ...(await benchLayerNorm()),
  ];
}

(window as unknown as { denseBench: typeof bench }).denseBench = bench;
