/**
 * attentionForward / attentionBackward against the composite tfjs ops on the cpu backend: the
 * attention part of src/core/model/bert.ts's encoderLayer (scores q kᵀ / √D plus −10000 on [PAD]
 * keys, softmax over keys, dropout on the probabilities with the counter hash's mask, times v,
 * heads merged), and its gradients through tf.grads.
 */
import * as tf from '@tensorflow/tfjs';
import { DROPOUT_SITE, dropoutMask } from '../dropoutHash';
import { Recorder, view } from '../gpu';
import { attentionBackward, attentionForward } from '../kernels/attention';
import type { DropoutArgs } from '../kernels/program';
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

interface Case {
  batch: number;
  seq: number;
  hidden: number;
  heads: number;
  /** Real tokens of each sequence; the rest are [PAD] (mask 0). */
  lengths: number[];
  dropout?: DropoutArgs;
}

/** Per-element offsets inside the test buffers, so the kernels' offset arithmetic is exercised. */
const QKV_AT = 7;
const OUT_AT = 3;

function maskOf(c: Case): Int32Array {
  const mask = new Int32Array(c.batch * c.seq);
  c.lengths.forEach((len, b) => mask.fill(1, b * c.seq, b * c.seq + len));
  return mask;
}

/** The composite reference, written with the same ops as bert.ts's encoderLayer. */
function reference(c: Case, q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: Int32Array) {
  const { batch: B, seq: T, hidden: H, heads: A } = c;
  const D = H / A;
  const split = (x: tf.Tensor3D) => x.reshape([B, T, A, D]).transpose([0, 2, 1, 3]) as tf.Tensor4D; // [B, A, T, D]
  const maskAdd = tf.sub(1, tf.tensor4d(mask, [B, 1, 1, T], 'int32').toFloat()).mul(-10000); // [B, 1, 1, T]
  const scores = tf
    .matMul(split(q), split(k), false, true)
    .mul(1 / Math.sqrt(D))
    .add(maskAdd); // [B, A, T, T]
  const probs = tf.softmax(scores) as tf.Tensor4D; // [B, A, T, T]
  const d = c.dropout;
  const dropped =
    d === undefined
      ? probs
      : probs.mul(tf.tensor(dropoutMask(d.seed, d.step, d.site, probs.size, d.rate), probs.shape));
  const context = tf.matMul(dropped, split(v)).transpose([0, 2, 1, 3]).reshape([B, T, H]) as tf.Tensor3D; // [B, T, H]
  return { probs, context };
}

function inputs(c: Case, seed: number) {
  const n = c.batch * c.seq * c.hidden;
  return { qkv: randomArray(seed, 3 * n), dContext: randomArray(seed + 1, n) };
}

async function forwardCase(c: Case): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { batch: B, seq: T, hidden: H, heads: A } = c;
  const n = B * T * H;
  const { qkv } = inputs(c, 11);
  const mask = maskOf(c);
  const qkvBuf = ctx.storage('qkv', QKV_AT + 3 * n);
  ctx.write(qkvBuf, qkv, QKV_AT);
  const maskBuf = upload(ctx, 'mask', mask);
  const context = ctx.storage('context', OUT_AT + n);
  const probs = ctx.storage('probs', B * A * T * T);
  const rec = new Recorder(ctx);
  attentionForward(rec, {
    qkv: view(qkvBuf, QKV_AT),
    mask: view(maskBuf),
    context: view(context, OUT_AT),
    probs: view(probs),
    batch: B,
    seq: T,
    hidden: H,
    heads: A,
    ...(c.dropout === undefined ? {} : { dropout: c.dropout }),
  });
  rec.submit();
  const [gotContext, gotProbs] = [await ctx.read(context, OUT_AT, n), await ctx.read(probs)];
  const want = tf.tidy(() => {
    const [q, k, v] = [0, 1, 2].map((i) => tf.tensor3d(qkv.subarray(i * n, (i + 1) * n), [B, T, H]));
    const r = reference(c, q!, k!, v!, mask);
    return { context: r.context.dataSync(), probs: r.probs.dataSync() };
  });
  for (const b of [qkvBuf, maskBuf, context, probs]) ctx.release(b);
  return [
    result('context [N, H]', gotContext, want.context, FORWARD_BOUND),
    result('probs before dropout [B, A, T, T]', gotProbs, want.probs, FORWARD_BOUND),
  ];
}

async function backwardCase(c: Case): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { batch: B, seq: T, hidden: H, heads: A } = c;
  const n = B * T * H;
  const { qkv, dContext } = inputs(c, 21);
  const mask = maskOf(c);
  const qkvBuf = ctx.storage('qkv', QKV_AT + 3 * n);
  ctx.write(qkvBuf, qkv, QKV_AT);
  const maskBuf = upload(ctx, 'mask', mask);
  const context = ctx.storage('context', n);
  const probs = ctx.storage('probs', B * A * T * T);
  const dContextBuf = upload(ctx, 'dContext', dContext);
  const dQkv = ctx.storage('dQkv', OUT_AT + 3 * n);
  const shape = {
    batch: B,
    seq: T,
    hidden: H,
    heads: A,
    ...(c.dropout === undefined ? {} : { dropout: c.dropout }),
  };
  const rec = new Recorder(ctx);
  attentionForward(rec, {
    qkv: view(qkvBuf, QKV_AT),
    mask: view(maskBuf),
    context: view(context),
    probs: view(probs),
    ...shape,
  });
  attentionBackward(rec, {
    dContext: view(dContextBuf),
    qkv: view(qkvBuf, QKV_AT),
    probs: view(probs),
    mask: view(maskBuf),
    dQkv: view(dQkv, OUT_AT),
    ...shape,
  });
  const dispatches = rec.submit();
  const got = await ctx.read(dQkv, OUT_AT, 3 * n);
  // L = Σ context ⊙ dContext, so dL/dcontext = dContext and tf.grads gives dq, dk, dv.
  const want = tf.tidy(() => {
    const w = tf.tensor3d(dContext, [B, T, H]);
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      reference(c, q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, mask)
        .context.mul(w)
        .sum();
    const grads = tf.grads(loss)(
      [0, 1, 2].map((i) => tf.tensor3d(qkv.subarray(i * n, (i + 1) * n), [B, T, H])),
    );
    return grads.map((g) => g.dataSync());
  });
  for (const b of [qkvBuf, maskBuf, context, probs, dContextBuf, dQkv]) ctx.release(b);
  return [
    ...['dq', 'dk', 'dv'].map((name, i) =>
      result(name, got.subarray(i * n, (i + 1) * n), want[i]!, GRADIENT_BOUND),
    ),
    { what: 'dispatches over 1 forward + 3 backward', error: dispatches, bound: 4 },
  ];
}

const dropout = (rate: number, layer = 0): DropoutArgs => ({
  seed: 1234567,
  step: 3,
  site: DROPOUT_SITE.attentionProbs(layer),
  rate,
});

/** Odd sizes: D = 12, T = 13 (one partial tile of keys), the second sequence padded. */
const odd: Case = { batch: 2, seq: 13, hidden: 36, heads: 3, lengths: [13, 9] };
/** bert-tiny: H = 128, A = 2 (D = 64), T = 64, B = 4, two sequences padded. */
const tiny: Case = { batch: 4, seq: 64, hidden: 128, heads: 2, lengths: [64, 40, 64, 17] };
/** D = 80 > 64 columns per head and T = 70 (a full and a partial tile): the strided loops. */
const wide: Case = { batch: 1, seq: 70, hidden: 160, heads: 2, lengths: [66] };

/** BERT's longest sequence, T = 512: eight tiles of keys, nothing sized by T. */
const long: Case = { batch: 1, seq: 512, hidden: 32, heads: 1, lengths: [500] };

register({
  'forward, odd sizes, padded': () => forwardCase(odd),
  'forward, odd sizes, padded, dropout 0.1': () => forwardCase({ ...odd, dropout: dropout(0.1, 1) }),
  'forward, bert-tiny sizes, dropout 0.1': () => forwardCase({ ...tiny, dropout: dropout(0.1) }),
  'forward, D = 80, T = 70, dropout 0.5': () => forwardCase({ ...wide, dropout: dropout(0.5) }),
  'backward, odd sizes, padded': () => backwardCase(odd),
  'backward, odd sizes, padded, dropout 0.1': () => backwardCase({ ...odd, dropout: dropout(0.1, 1) }),
  'backward, bert-tiny sizes': () => backwardCase(tiny),
  'backward, bert-tiny sizes, dropout 0.1': () => backwardCase({ ...tiny, dropout: dropout(0.1) }),
  'backward, D = 80, T = 70, dropout 0.5': () => backwardCase({ ...wide, dropout: dropout(0.5) }),
  'forward, T = 512, dropout 0.1': () => forwardCase({ ...long, dropout: dropout(0.1) }),
  'backward, T = 512, dropout 0.1': () => backwardCase({ ...long, dropout: dropout(0.1) }),
});
