/**
 * The masked-LM row plumbing, its cross-entropy and the NSP head, checked against the composite
 * tfjs code on the cpu backend: loss.ts's pretrainingLoss (its gradient by tf.grads) and
 * bert.ts's pooler and classifier written with the same ops.
 */
import * as tf from '@tensorflow/tfjs';
import { argmaxRows } from '../../math/arrays';
import { Rng } from '../../math/rng';
import { pretrainingLoss } from '../../train/loss';
import { Recorder, view, type GpuContext } from '../gpu';
import { gatherRows, scatterAddRows, softmaxCrossEntropy } from '../kernels/heads';
import { nspForwardBackward } from '../kernels/nsp';
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

/** A buffer of `pad` junk elements, then `data`: kernels must honour view offsets. */
function uploadAt(ctx: GpuContext, label: string, data: Float32Array | Int32Array, pad: number) {
  const buffer = ctx.storage(label, data.length + pad + 3);
  ctx.write(
    buffer,
    data instanceof Int32Array ? new Int32Array(pad).fill(-7) : new Float32Array(pad).fill(9),
  );
  ctx.write(buffer, data, pad);
  return buffer;
}

/** Elements that differ at all: for what must be exact (indices, untouched regions). */
function mismatches(what: string, got: ArrayLike<number>, want: ArrayLike<number>): CaseResult {
  let n = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (!Object.is(got[i], want[i])) n++;
  return { what, error: n, bound: 0 };
}

/** Distinct row indices in [0, n), shuffled by a seeded stream. */
function distinctRows(seed: number, count: number, n: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

async function crossEntropyCase(seed: number, rows: number, classes: number): Promise<CaseResult[]> {
  const ctx = await gpu();
  const logits = randomArray(seed, rows * classes, 3);
  const rng = new Rng(seed + 1);
  const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.float() * classes));
  // Ties for the argmax: in every third row the two largest logits are equal; the first wins.
  for (let m = 0; m < rows; m += 3) {
    const [a, b] = [Math.floor(rng.float() * classes), Math.floor(rng.float() * classes)];
    logits[m * classes + a] = 20;
    logits[m * classes + b] = 20;
  }
  const lb = uploadAt(ctx, 'logits', logits, 5);
  const labelBuffer = uploadAt(ctx, 'labels', labels, 2);
  const out = upload(ctx, 'loss', Float32Array.of(NaN, NaN, NaN));
  const predictions = upload(ctx, 'predictions', new Int32Array(rows + 1).fill(-1));
  const rec = new Recorder(ctx);
  softmaxCrossEntropy(rec, {
    logits: view(lb, 5),
    labels: view(labelBuffer, 2),
    loss: view(out, 1),
    predictions: view(predictions, 1),
    rows,
    classes,
  });
  const dispatches = rec.submit();
  const [loss, grad, predicted] = await Promise.all([
    ctx.read(out, 1, 1),
    ctx.read(lb, 5, rows * classes),
    ctx.readInt(predictions, 1, rows),
  ]);

  const targets = { maskedLabels: labels, isNext: Uint8Array.of(1) };
  const nspLogits = tf.zeros<tf.Rank.R2>([1, 2]);
  const x = tf.tensor2d(logits, [rows, classes]);
  const { value, grads } = tf.valueAndGrads(
    (t: tf.Tensor) => pretrainingLoss(t as tf.Tensor2D, nspLogits, targets).mlm,
  )([x]);
  const [wantLoss, wantGrad] = [await value.data(), await grads[0]!.data()];
  tf.dispose([nspLogits, x, value, ...grads]);
  return [
    result('mean loss', loss, wantLoss, FORWARD_BOUND),
    result('dL/dlogits', grad, wantGrad, GRADIENT_BOUND),
    mismatches('argmax (first max on ties)', predicted, argmaxRows(logits, rows, classes)),
    { what: 'dispatches over 2', error: Math.max(0, dispatches - 2), bound: 0 },
  ];
}

interface NspSizes {
  readonly batch: number;
  readonly seq: number;
  readonly hidden: number;
}

async function nspCase(
  seed: number,
  { batch: B, seq: T, hidden: H }: NspSizes,
  tied = false,
): Promise<CaseResult[]> {
  const ctx = await gpu();
  const N = B * T;
  const hidden = randomArray(seed, N * H, 1);
  const pk = randomArray(seed + 1, H * H, 0.3);
  const pb = randomArray(seed + 2, H, 0.1);
  const ck = randomArray(seed + 3, H * 2, 0.5);
  const cb = randomArray(seed + 4, 2, 0.1);
  if (tied) {
    // Equal classifier columns: both logits of every sequence tie, and class 0 must win.
    for (let k = 0; k < H; k++) ck[2 * k + 1] = ck[2 * k]!;
    cb[1] = cb[0]!;
  }
  const rng = new Rng(seed + 5);
  const labels = Int32Array.from({ length: B }, () => (rng.float() < 0.5 ? 0 : 1));
  // One params buffer and one grads buffer with 64-aligned leaves, as the fused layout has them.
  const at = [0, 0, 0, 0];
  const sizes = [H * H, H, H * 2, 2];
  let end = 0;
  sizes.forEach((n, i) => {
    at[i] = end;
    end += Math.ceil(n / 64) * 64;
  });
  const params = ctx.storage('params', end);
  [pk, pb, ck, cb].forEach((data, i) => ctx.write(params, data, at[i]));
  const gradsInit = randomArray(seed + 6, end, 5); // junk: the kernel must overwrite (=)
  const grads = upload(ctx, 'grads', gradsInit);
  const hb = uploadAt(ctx, 'hidden', hidden, 7);
  const dHiddenInit = randomArray(seed + 7, N * H, 1);
  const dHidden = uploadAt(ctx, 'dHidden', dHiddenInit, 3);
  const labelBuffer = uploadAt(ctx, 'labels', labels, 1);
  const out = upload(ctx, 'loss', Float32Array.of(NaN, NaN));
  const predictions = upload(ctx, 'predictions', new Int32Array(B).fill(-1));
  const scratch = ctx.storage('scratch', B * (H + 2) + 16 + 4);
  const rec = new Recorder(ctx);
  nspForwardBackward(rec, {
    hidden: view(hb, 7),
    poolerKernel: view(params, at[0]),
    poolerBias: view(params, at[1]),
    classifierKernel: view(params, at[2]),
    classifierBias: view(params, at[3]),
    labels: view(labelBuffer, 1),
    loss: view(out, 1),
    predictions: view(predictions),
    dHidden: view(dHidden, 3),
    dPoolerKernel: view(grads, at[0]),
    dPoolerBias: view(grads, at[1]),
    dClassifierKernel: view(grads, at[2]),
    dClassifierBias: view(grads, at[3]),
    scratch: view(scratch, 4),
    batch: B,
    seq: T,
    hiddenSize: H,
  });
  const dispatches = rec.submit();
  const [loss, gotGrads, gotDHidden, predicted] = await Promise.all([
    ctx.read(out, 1, 1),
    ctx.read(grads),
    ctx.read(dHidden, 3, N * H),
    ctx.readInt(predictions),
  ]);

  // The reference: bert.ts's head (slice the [CLS] rows, tanh(dense), dense) and loss.ts's loss.
  const targets = {
    maskedLabels: new Int32Array(0),
    isNext: Uint8Array.from(labels, (y) => (y === 0 ? 1 : 0)),
  };
  const noMlm = tf.zeros<tf.Rank.R2>([0, 3]);
  const inputs = [
    tf.tensor2d(hidden, [N, H]),
    tf.tensor2d(pk, [H, H]),
    tf.tensor1d(pb),
    tf.tensor2d(ck, [H, 2]),
    tf.tensor1d(cb),
  ];
  const logitsOf = (h: tf.Tensor, k1: tf.Tensor, b1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor) => {
    const cls = tf.slice(h.reshape([B, T, H]), [0, 0, 0], [B, 1, H]).reshape([B, H]) as tf.Tensor2D; // [B, H]
    const pooled = tf.tanh(tf.matMul(cls, k1 as tf.Tensor2D).add(b1)); // [B, H]
    return tf.matMul(pooled, k2 as tf.Tensor2D).add(b2) as tf.Tensor2D; // [B, 2]
  };
  const { value, grads: want } = tf.valueAndGrads(
    (h, k1, b1, k2, b2) => pretrainingLoss(noMlm, logitsOf(h, k1, b1, k2, b2), targets).nsp,
  )(inputs);
  const logits = tf.tidy(() =>
    logitsOf(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
  );
  const [wantLoss, wantLogits, ...wantGrads] = await Promise.all(
    [value, logits, ...want].map((t) => t.data()),
  );
  tf.dispose([noMlm, value, logits, ...inputs, ...want]);

  const dh = Float32Array.from(gotDHidden, (v, i) => v - dHiddenInit[i]!);
  const notCls = (data: ArrayLike<number>) => Array.from(data).filter((_, i) => Math.floor(i / H) % T !== 0);
  const grad = (i: number) => gotGrads.subarray(at[i], at[i]! + sizes[i]!);
  return [
    result('loss', loss, wantLoss!, FORWARD_BOUND),
    mismatches('predictions', predicted, argmaxRows(wantLogits!, B, 2)),
    result('dL/dh at the [CLS] rows (added)', dh, wantGrads[0]!, GRADIENT_BOUND),
    mismatches('dHidden rows other than b·T untouched', notCls(gotDHidden), notCls(dHiddenInit)),
    result('dPoolerKernel', grad(0), wantGrads[1]!, GRADIENT_BOUND),
    result('dPoolerBias', grad(1), wantGrads[2]!, GRADIENT_BOUND),
    result('dClassifierKernel', grad(2), wantGrads[3]!, GRADIENT_BOUND),
    result('dClassifierBias', grad(3), wantGrads[4]!, GRADIENT_BOUND),
    { what: 'dispatches over 4', error: Math.max(0, dispatches - 4), bound: 0 },
  ];
}

async function gatherScatterCase(seed: number, N: number, M: number, W: number): Promise<CaseResult[]> {
  const ctx = await gpu();
  const src = randomArray(seed, N * W);
  const index = distinctRows(seed + 1, M, N);
  const srcBuffer = uploadAt(ctx, 'src', src, 3);
  const indexBuffer = uploadAt(ctx, 'index', index, 2);
  const gathered = ctx.storage('gathered', M * W + 1);
  const outInit = randomArray(seed + 2, N * W);
  const out = uploadAt(ctx, 'out', outInit, 4);
  const rec = new Recorder(ctx);
  gatherRows(rec, {
    src: view(srcBuffer, 3),
    index: view(indexBuffer, 2),
    out: view(gathered, 1),
    rows: M,
    width: W,
  });
  // Scatter the gathered rows back, added onto other values: out[index[m]] += gathered[m].
  scatterAddRows(rec, {
    src: view(gathered, 1),
    index: view(indexBuffer, 2),
    out: view(out, 4),
    rows: M,
    width: W,
  });
  rec.submit();
  const [gotGather, gotScatter] = await Promise.all([ctx.read(gathered, 1, M * W), ctx.read(out, 4, N * W)]);
  const [wantGather, wantScatter] = tf.tidy(() => {
    const picked = tf.gather(tf.tensor2d(src, [N, W]), tf.tensor1d(index, 'int32'));
    // tf.scatterND sums the updates at their indices; added onto the initial values.
    const scattered = tf.scatterND(tf.tensor2d(index, [M, 1], 'int32'), picked, [N, W]);
    return [picked.dataSync(), tf.add(tf.tensor2d(outInit, [N, W]), scattered).dataSync()];
  });
  return [
    result('gathered rows', gotGather, wantGather, 0),
    result('scatter-added rows', gotScatter, wantScatter, FORWARD_BOUND),
  ];
}

register({
  gatherAndScatterOddSizes: () => gatherScatterCase(11, 26, 13, 36),
  gatherAndScatterBertTiny: () => gatherScatterCase(14, 512, 77, 128),
  crossEntropyVocab: () => crossEntropyCase(21, 20, 30522),
  crossEntropyOddSizes: () => crossEntropyCase(22, 13, 37),
  async crossEntropyNoMaskedRows() {
    const ctx = await gpu();
    const logits = randomArray(31, 40);
    const lb = upload(ctx, 'logits', logits);
    const labels = upload(ctx, 'labels', new Int32Array(4));
    const out = upload(ctx, 'loss', Float32Array.of(7, 7));
    const predictions = upload(ctx, 'predictions', Int32Array.of(-1, -1, -1, -1));
    const rec = new Recorder(ctx);
    softmaxCrossEntropy(rec, {
      logits: view(lb),
      labels: view(labels),
      loss: view(out, 1),
      predictions: view(predictions),
      rows: 0,
      classes: 10,
    });
    rec.submit();
    const [loss, after, predicted] = await Promise.all([
      ctx.read(out),
      ctx.read(lb),
      ctx.readInt(predictions),
    ]);
    return [
      mismatches('loss [7, 0]', loss, [7, 0]),
      mismatches('logits untouched', after, logits),
      mismatches('predictions untouched', predicted, [-1, -1, -1, -1]),
    ];
  },
  nspOddSizes: () => nspCase(41, { batch: 3, seq: 13, hidden: 36 }),
  nspBertTiny: () => nspCase(42, { batch: 8, seq: 64, hidden: 128 }),
  nspTiedLogits: () => nspCase(43, { batch: 5, seq: 7, hidden: 36 }, true),
});
