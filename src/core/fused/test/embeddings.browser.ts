/**
 * embeddingsForward / embeddingsBackward against the composite tfjs ops on the cpu backend: the
 * embeddings part of src/core/model/bert.ts's forward (token + segment + position rows, LayerNorm
 * with the biased variance and ε, dropout with the counter hash's mask at site 0), and its
 * gradients through tf.grads. The parameters and the gradients each live in one flat buffer at
 * 64-aligned offsets, as the orchestrator lays them out, so the kernels bind the five gradient
 * views of one buffer at once.
 */
import * as tf from '@tensorflow/tfjs';
import { DROPOUT_SITE, dropoutMask } from '../dropoutHash';
import { Recorder, view, type GpuContext } from '../gpu';
import type { DropoutArgs } from '../kernels/program';
import { embeddingsBackward, embeddingsForward, lookupPlan } from '../kernels/embeddings';
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
import { Rng } from '../../math/rng';

interface Case {
  batch: number;
  seq: number;
  hidden: number;
  vocab: number;
  positions: number;
  /** Real tokens per sequence; the rest are [PAD] slots (id 0, type 0), repeated ids. */
  lengths: number[];
  dropout?: DropoutArgs;
}

const TYPES = 2;
const EPS = 1e-12;
/** A value the gradient kernels must leave alone: rows of unseen ids and positions ≥ T. */
const UNTOUCHED = 0.25;

const roundUp = (n: number) => Math.ceil(n / 64) * 64;

/** Offsets of the five leaves in the flat buffer, in paramInfos order (token, position, segment, γ, β). */
function layout(c: Case) {
  const token = 64; // not 0, so a missing offset shows
  const position = token + roundUp(c.vocab * c.hidden);
  const segment = position + roundUp(c.positions * c.hidden);
  const gamma = segment + roundUp(TYPES * c.hidden);
  const beta = gamma + roundUp(c.hidden);
  return { token, position, segment, gamma, beta, size: beta + roundUp(c.hidden) };
}

/** A batch with repeated ids (drawn from a few), segment B after the middle, [PAD] tails. */
function batchOf(c: Case) {
  const rng = new Rng(c.batch * 1000 + c.seq);
  const n = c.batch * c.seq;
  const ids = new Int32Array(n);
  const types = new Int32Array(n);
  c.lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) {
      ids[b * c.seq + t] = 1 + Math.floor(rng.float() * Math.min(c.vocab - 1, c.seq)); // repeats
      types[b * c.seq + t] = t >= len / 2 ? 1 : 0;
    }
  });
  return { ids, types };
}

function params(c: Case) {
  const H = c.hidden;
  return {
    token: randomArray(1, c.vocab * H),
    segment: randomArray(2, TYPES * H),
    position: randomArray(3, c.positions * H),
    gamma: randomArray(4, H, 0.3).map((g) => 1 + g),
    beta: randomArray(5, H, 0.3),
  };
}

type Leaves = ReturnType<typeof params>;

/** The composite reference: the same ops as bert.ts's embeddings and layerNorm. */
function reference(c: Case, ids: Int32Array, types: Int32Array, p: Record<keyof Leaves, tf.Tensor>) {
  const { batch: B, seq: T, hidden: H } = c;
  const token = tf.gather(p.token, ids).reshape([B, T, H]); // [B, T, H]
  const segment = tf.gather(p.segment, types).reshape([B, T, H]); // [B, T, H]
  const position = tf.slice(p.position, [0, 0], [T, H]); // [T, H]
  const sum = token.add(segment).add(position); // [B, T, H]
  const mean = tf.mean(sum, -1, true); // [B, T, 1]
  const centered = sum.sub(mean); // [B, T, H]
  const variance = tf.mean(centered.square(), -1, true); // [B, T, 1]
  const y = centered
    .mul(tf.rsqrt(variance.add(EPS)))
    .mul(p.gamma)
    .add(p.beta); // [B, T, H]
  const d = c.dropout;
  return d === undefined ? y : y.mul(tf.tensor(dropoutMask(d.seed, d.step, d.site, y.size, d.rate), y.shape));
}

/** Uploads the case and records the forward; returns the buffers. */
function setUp(ctx: GpuContext, c: Case, rec: Recorder) {
  const { batch: B, seq: T, hidden: H } = c;
  const n = B * T;
  const at = layout(c);
  const p = params(c);
  const flat = new Float32Array(at.size);
  for (const k of ['token', 'position', 'segment', 'gamma', 'beta'] as const) flat.set(p[k], at[k]);
  const { ids, types } = batchOf(c);
  const ints = new Int32Array(2 * n + 5);
  ints.set(ids, 0);
  ints.set(types, n + 5);
  const paramBuf = upload(ctx, 'params', flat);
  const intBuf = upload(ctx, 'ids+types', ints);
  const out = ctx.storage('out', n * H);
  const xhat = ctx.storage('xhat', n * H);
  const rstd = ctx.storage('rstd', n + 9);
  embeddingsForward(rec, {
    ids: view(intBuf),
    types: view(intBuf, n + 5),
    token: view(paramBuf, at.token),
    segment: view(paramBuf, at.segment),
    position: view(paramBuf, at.position),
    gamma: view(paramBuf, at.gamma),
    beta: view(paramBuf, at.beta),
    out: view(out),
    xhat: view(xhat),
    rstd: view(rstd, 9),
    batch: B,
    seq: T,
    hidden: H,
    eps: EPS,
    ...(c.dropout === undefined ? {} : { dropout: c.dropout }),
  });
  return { at, p, ids, types, paramBuf, intBuf, out, xhat, rstd };
}

function leafTensors(c: Case, p: Leaves): Record<keyof Leaves, tf.Tensor> {
  const H = c.hidden;
  return {
    token: tf.tensor2d(p.token, [c.vocab, H]),
    segment: tf.tensor2d(p.segment, [TYPES, H]),
    position: tf.tensor2d(p.position, [c.positions, H]),
    gamma: tf.tensor1d(p.gamma),
    beta: tf.tensor1d(p.beta),
  };
}

async function forwardCase(c: Case): Promise<CaseResult[]> {
  const ctx = await gpu();
  const rec = new Recorder(ctx);
  const s = setUp(ctx, c, rec);
  rec.submit();
  const got = await ctx.read(s.out);
  const want = tf.tidy(() => reference(c, s.ids, s.types, leafTensors(c, s.p)).dataSync());
  for (const b of [s.paramBuf, s.intBuf, s.out, s.xhat, s.rstd]) ctx.release(b);
  return [result('y = dropout(LN(token + segment + position)) [N, H]', got, want, FORWARD_BOUND)];
}

async function backwardCase(c: Case): Promise<CaseResult[]> {
  const ctx = await gpu();
  const { batch: B, seq: T, hidden: H } = c;
  const n = B * T;
  const rec = new Recorder(ctx);
  const s = setUp(ctx, c, rec);
  const dOut = randomArray(77, n * H);
  const plan = lookupPlan(s.ids);
  const U = plan.uniqueIds.length;
  const planInts = new Int32Array(3 + U + (U + 1) + n);
  planInts.set(plan.uniqueIds, 3);
  planInts.set(plan.slotStart, 3 + U);
  planInts.set(plan.slots, 3 + 2 * U + 1);
  const dOutBuf = upload(ctx, 'dOut', dOut);
  const planBuf = upload(ctx, 'plan', planInts);
  const dSum = ctx.storage('dSum', n * H);
  const gradBuf = upload(ctx, 'grads', new Float32Array(s.at.size).fill(UNTOUCHED));
  embeddingsBackward(rec, {
    dOut: view(dOutBuf),
    xhat: view(s.xhat),
    rstd: view(s.rstd, 9),
    gamma: view(s.paramBuf, s.at.gamma),
    types: view(s.intBuf, n + 5),
    uniqueIds: view(planBuf, 3),
    slotStart: view(planBuf, 3 + U),
    slots: view(planBuf, 3 + 2 * U + 1),
    uniqueCount: U,
    dSum: view(dSum),
    dToken: view(gradBuf, s.at.token),
    dSegment: view(gradBuf, s.at.segment),
    dPosition: view(gradBuf, s.at.position),
    dGamma: view(gradBuf, s.at.gamma),
    dBeta: view(gradBuf, s.at.beta),
    batch: B,
    seq: T,
    hidden: H,
    typeVocab: TYPES,
    ...(c.dropout === undefined ? {} : { dropout: c.dropout }),
  });
  const dispatches = rec.submit();
  const got = await ctx.read(gradBuf);
  // L = Σ y ⊙ dOut, so dL/dy = dOut; tf.grads gives every leaf's gradient.
  const want = tf.tidy(() => {
    const w = tf.tensor(dOut, [B, T, H]);
    const leaves = leafTensors(c, s.p);
    const names = ['token', 'segment', 'position', 'gamma', 'beta'] as const;
    const loss = (...xs: tf.Tensor[]) => {
      const p = Object.fromEntries(names.map((k, i) => [k, xs[i]!])) as Record<keyof Leaves, tf.Tensor>;
      return reference(c, s.ids, s.types, p).mul(w).sum();
    };
    const grads = tf.grads(loss)(names.map((k) => leaves[k]));
    return Object.fromEntries(names.map((k, i) => [k, grads[i]!.dataSync() as Float32Array]));
  });
  // Rows the kernels must not write keep UNTOUCHED: E_token rows of ids not in the batch and
  // E_position rows ≥ T. The reference gradient is 0 there; expect the sentinel instead.
  const seen = new Set(plan.uniqueIds);
  const wantToken = want.token!.map((g, i) => (seen.has(Math.floor(i / H)) ? g : UNTOUCHED));
  const wantPosition = want.position!.map((g, i) => (i < T * H ? g : UNTOUCHED));
  const slice = (start: number, len: number) => got.subarray(start, start + len);
  for (const b of [s.paramBuf, s.intBuf, s.out, s.xhat, s.rstd, dOutBuf, planBuf, dSum, gradBuf])
    ctx.release(b);
  return [
    result('dE_token (unseen rows untouched)', slice(s.at.token, c.vocab * H), wantToken, GRADIENT_BOUND),
    result('dE_segment', slice(s.at.segment, TYPES * H), want.segment!, GRADIENT_BOUND),
    result(
      'dE_position (rows ≥ T untouched)',
      slice(s.at.position, c.positions * H),
      wantPosition,
      GRADIENT_BOUND,
    ),
    result('dγ', slice(s.at.gamma, H), want.gamma!, GRADIENT_BOUND),
    result('dβ', slice(s.at.beta, H), want.beta!, GRADIENT_BOUND),
    { what: 'dispatches over 1 forward + 3 backward', error: dispatches, bound: 4 },
  ];
}

const dropout = (rate: number): DropoutArgs => ({ seed: 99, step: 5, site: DROPOUT_SITE.embeddings, rate });

/** Odd sizes: H = 36, T = 13, three sequences, two padded; ids from 13 values, so many repeat. */
const odd: Case = { batch: 3, seq: 13, hidden: 36, vocab: 50, positions: 20, lengths: [13, 7, 10] };
/** bert-tiny: H = 128, T = 64, B = 4, padded sequences, positions 512. */
const tiny: Case = { batch: 4, seq: 64, hidden: 128, vocab: 300, positions: 512, lengths: [64, 30, 64, 50] };

register({
  'forward, odd sizes': () => forwardCase(odd),
  'forward, odd sizes, dropout 0.1': () => forwardCase({ ...odd, dropout: dropout(0.1) }),
  'forward, bert-tiny sizes, dropout 0.1': () => forwardCase({ ...tiny, dropout: dropout(0.1) }),
  'backward, odd sizes, duplicate ids, padded': () => backwardCase(odd),
  'backward, odd sizes, duplicate ids, padded, dropout 0.1': () =>
    backwardCase({ ...odd, dropout: dropout(0.1) }),
  'backward, bert-tiny sizes': () => backwardCase(tiny),
  'backward, bert-tiny sizes, dropout 0.1': () => backwardCase({ ...tiny, dropout: dropout(0.1) }),
});
