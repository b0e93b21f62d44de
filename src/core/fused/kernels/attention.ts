/**
 * Scaled dot-product self-attention, forward and backward, as in src/core/model/bert.ts's
 * encoderLayer: for sequence b, head a and query slot i (D = H / A columns per head),
 *   s_ij  = q_i · k_j / √D + (1 − mask_j) · (−10000)      [PAD] keys get −10000, as BERT
 *   P_ij  = exp(s_ij − max_j s) / Σ_j exp(s_ij − max_j s)  softmax over the keys j
 *   P'_ij = P_ij · m_ij                                      dropout: m = 0 or 1 / (1 − rate)
 *   c_i   = Σ_j P'_ij v_j                                    heads merged back into [N, H]
 * q, k, v live in one region qkv = [3][N][H]; head a of slot (b, t) is columns a·D .. a·D + D − 1
 * of row n = b·T + t. The dropout unit of P_ij is its row-major index in [B, A, T, T], the same
 * index the composite path hashes, so both paths drop the same probabilities.
 *
 * Every kernel gives one workgroup of 64 threads to one (b, a, row) and loops over T and D, so
 * no array size limits T or D. Sums over j or i go through 64-wide tiles in workgroup memory:
 * each thread computes one tile entry (a D-long dot product), then each thread accumulates the
 * tile into the output columns it owns.
 *
 * Backward. With dC = dL/dc_i and the softmax Jacobian ∂P_ij/∂s_ik = P_ij (δ_jk − P_ik):
 *   dP_ij = m_ij · (dC_i · v_j)                              through c = P' v and the dropout mask
 *   dS_ik = Σ_j dP_ij P_ij (δ_jk − P_ik) = P_ik (dP_ik − r_i),  r_i = Σ_j dP_ij P_ij
 *   dq_i  = Σ_j dS_ij k_j / √D,   dk_j = Σ_i dS_ij q_i / √D,   dv_j = Σ_i P'_ij dC_i
 * (the mask's −10000 is a constant and has no gradient). r_i needs a whole row of P, so it is a
 * first dispatch; it is parked in the dq region of dQkv (B·A·T ≤ N·H floats), read by the
 * second dispatch (dk, dv, one workgroup per key j), and the third (dq, one workgroup per query
 * i) recomputes its own r_i while it overwrites that region.
 */
import { f32, u32, type Recorder, type View, type Word } from '../gpu';
import { KEEP_WGSL, ROW_REDUCTIONS, WG, checkSizes, perRowMain, rowGroups } from './prelude';
import { dropoutUniforms, fixedKernel, run, type Args, type DropoutArgs } from './program';

export interface AttentionShape {
  batch: number;
  seq: number;
  hidden: number;
  heads: number;
}

export interface AttentionForwardArgs extends AttentionShape {
  qkv: View;
  /** i32 [N]: 1 = real token, 0 = [PAD] (adds −10000 to that key's logits). */
  mask: View;
  /** [N, H], heads merged back. */
  context: View;
  /** Saved softmax [B, A, T, T], before dropout. */
  probs: View;
  dropout?: DropoutArgs;
}

export interface AttentionBackwardArgs extends AttentionShape {
  dContext: View;
  qkv: View;
  probs: View;
  mask: View;
  /** Written [3][N][H]: dq, dk, dv. */
  dQkv: View;
  dropout?: DropoutArgs;
}

function checkShape(label: string, s: AttentionShape): void {
  const { batch, seq, hidden, heads } = s;
  checkSizes(label, { batch, seq, hidden, heads });
  if (s.hidden % s.heads !== 0) {
    throw new RangeError(`${label}: hidden ${s.hidden} is not a multiple of heads ${s.heads}.`);
  }
}

/** The uniform words every attention kernel reads. */
function uniforms(s: AttentionShape, dropout: DropoutArgs | undefined): Record<string, Word> {
  const D = s.hidden / s.heads;
  return {
    rows: u32(s.batch * s.heads * s.seq),
    seq: u32(s.seq),
    hidden: u32(s.hidden),
    heads: u32(s.heads),
    dim: u32(D),
    nh: u32(s.batch * s.seq * s.hidden),
    scale: f32(1 / Math.sqrt(D)),
    ...dropoutUniforms(dropout),
  };
}

/**
 * Index helpers shared by the kernels. `row` = (b·A + a)·T + t names a (sequence, head, slot);
 * hidx(b, t, a, d) is the element of column a·D + d of row b·T + t in an [N, H] tensor; the k
 * and v blocks of qkv are at +nh and +2·nh.
 */
const COMMON = /* wgsl */ `
${KEEP_WGSL}
${ROW_REDUCTIONS}
const WG = ${WG}u;
var<workgroup> tileA: array<f32, ${WG}>;
var<workgroup> tileB: array<f32, ${WG}>;
struct Row { b: u32, a: u32, t: u32 }
fn split_row(row: u32) -> Row {
  let ba = row / u.seq;
  return Row(ba / u.heads, ba % u.heads, row % u.seq);
}
fn hidx(b: u32, t: u32, a: u32, d: u32) -> u32 { return (b * u.seq + t) * u.hidden + a * u.dim + d; }
`;

const FORWARD = fixedKernel(
  'attentionForward',
  /* wgsl */ `
${COMMON}
fn key_mask(b: u32, j: u32) -> f32 { return (1.0 - f32(mask(b * u.seq + j))) * -10000.0; }
${perRowMain(/* wgsl */ `
  let r = split_row(row);
  let pBase = row * u.seq; // P[b, a, i, 0] in [B, A, T, T]
  // Scores into the probs buffer (each thread its own j), then the max for a stable softmax.
  var best = -3.4e38;
  for (var j = lid; j < u.seq; j += WG) {
    var dot = 0.0;
    for (var d = 0u; d < u.dim; d++) {
      dot += qkv(hidx(r.b, r.t, r.a, d)) * qkv(u.nh + hidx(r.b, j, r.a, d));
    }
    let s = dot * u.scale + key_mask(r.b, j);
    probs_put(pBase + j, s);
    best = max(best, s);
  }
  best = workgroup_max(lid, best);
  var total = 0.0;
  for (var j = lid; j < u.seq; j += WG) {
    let e = exp(probs(pBase + j) - best);
    probs_put(pBase + j, e);
    total += e;
  }
  let inv = 1.0 / workgroup_sum(lid, total);
  // c_i = Σ_j P'_ij v_j, 64 keys at a time: each thread normalizes and drops one P_ij into the
  // tile, then accumulates the tile into the columns d it owns.
  for (var j0 = 0u; j0 < u.seq; j0 += WG) {
    let j = j0 + lid;
    if (j < u.seq) {
      let p = probs(pBase + j) * inv;
      probs_put(pBase + j, p);
      tileA[lid] = p * keep(pBase + j);
    }
    workgroupBarrier();
    let count = min(WG, u.seq - j0);
    for (var d = lid; d < u.dim; d += WG) {
      var acc = 0.0;
      if (j0 > 0u) { acc = context(hidx(r.b, r.t, r.a, d)); }
      for (var jj = 0u; jj < count; jj++) {
        acc += tileA[jj] * qkv(2u * u.nh + hidx(r.b, j0 + jj, r.a, d));
      }
      context_put(hidx(r.b, r.t, r.a, d), acc);
    }
    workgroupBarrier();
  }
`)}`,
);

/** r_i = Σ_j dP_ij P_ij for query row `row`, with dP_ij = m_ij (dC_i · v_j). All threads get it. */
const ROW_SUM = /* wgsl */ `
fn dp(r: Row, j: u32) -> f32 { // dC_i · v_j (before the dropout mask)
  var dot = 0.0;
  for (var d = 0u; d < u.dim; d++) {
    dot += dContext(hidx(r.b, r.t, r.a, d)) * qkv(2u * u.nh + hidx(r.b, j, r.a, d));
  }
  return dot;
}
fn row_sum(row: u32, lid: u32) -> f32 {
  let r = split_row(row);
  var acc = 0.0;
  for (var j = lid; j < u.seq; j += WG) {
    let at = row * u.seq + j;
    acc += keep(at) * dp(r, j) * probs(at);
  }
  return workgroup_sum(lid, acc);
}`;

const ROW_SUMS = fixedKernel(
  'attentionBackward.rowSums',
  /* wgsl */ `
${COMMON}
${ROW_SUM}
${perRowMain(/* wgsl */ `
  let total = row_sum(row, lid);
  if (lid == 0u) { dQkv_put(row, total); } // parked in the dq region until the dq kernel
`)}`,
);

const KEYS = fixedKernel(
  'attentionBackward.keys',
  /* wgsl */ `
${COMMON}
${ROW_SUM}
${perRowMain(/* wgsl */ `
  // row is (b, a, j): one key
  let key = split_row(row);
  let baBase = row - key.t; // (b·A + a)·T
  // dk_j = Σ_i dS_ij q_i / √D and dv_j = Σ_i P'_ij dC_i, 64 queries i at a time.
  for (var i0 = 0u; i0 < u.seq; i0 += WG) {
    let i = i0 + lid;
    if (i < u.seq) {
      let at = (baBase + i) * u.seq + key.t; // P[b, a, i, j]
      let p = probs(at);
      let m = keep(at);
      let query = Row(key.b, key.a, i);
      tileA[lid] = p * (m * dp(query, key.t) - dQkv(baBase + i)) * u.scale; // dS_ij / √D
      tileB[lid] = p * m; // P'_ij
    }
    workgroupBarrier();
    let count = min(WG, u.seq - i0);
    for (var d = lid; d < u.dim; d += WG) {
      let kAt = u.nh + hidx(key.b, key.t, key.a, d);
      let vAt = 2u * u.nh + hidx(key.b, key.t, key.a, d);
      var dk = 0.0;
      var dv = 0.0;
      if (i0 > 0u) {
        dk = dQkv(kAt);
        dv = dQkv(vAt);
      }
      for (var ii = 0u; ii < count; ii++) {
        dk += tileA[ii] * qkv(hidx(key.b, i0 + ii, key.a, d));
        dv += tileB[ii] * dContext(hidx(key.b, i0 + ii, key.a, d));
      }
      dQkv_put(kAt, dk);
      dQkv_put(vAt, dv);
    }
    workgroupBarrier();
  }
`)}`,
);

const QUERIES = fixedKernel(
  'attentionBackward.queries',
  /* wgsl */ `
${COMMON}
${ROW_SUM}
${perRowMain(/* wgsl */ `
  let r = split_row(row);
  // Recomputed, not read back: other workgroups of this dispatch overwrite the parked r's.
  let total = row_sum(row, lid);
  // dq_i = Σ_j dS_ij k_j / √D, 64 keys j at a time.
  for (var j0 = 0u; j0 < u.seq; j0 += WG) {
    let j = j0 + lid;
    if (j < u.seq) {
      let at = row * u.seq + j;
      tileA[lid] = probs(at) * (keep(at) * dp(r, j) - total) * u.scale;
    }
    workgroupBarrier();
    let count = min(WG, u.seq - j0);
    for (var d = lid; d < u.dim; d += WG) {
      let qAt = hidx(r.b, r.t, r.a, d);
      var dq = 0.0;
      if (j0 > 0u) { dq = dQkv(qAt); }
      for (var jj = 0u; jj < count; jj++) {
        dq += tileA[jj] * qkv(u.nh + hidx(r.b, j0 + jj, r.a, d));
      }
      dQkv_put(qAt, dq);
    }
    workgroupBarrier();
  }
`)}`,
);

/** Softmax attention and its saved probabilities: one dispatch, one workgroup per query row. */
export function attentionForward(rec: Recorder, args: AttentionForwardArgs): void {
  checkShape('attentionForward', args);
  const rows = args.batch * args.heads * args.seq;
  const views = {
    qkv: args.qkv,
    mask: { view: args.mask, type: 'i32' },
    context: { view: args.context, write: true },
    probs: { view: args.probs, write: true },
  } as const;
  run(rec, FORWARD, views, uniforms(args, args.dropout), rowGroups(rows));
}

/**
 * dq, dk, dv of attention from dL/dcontext: three dispatches (row sums, keys, queries). `mask`
 * is not read: the −10000 it adds is already in the saved probabilities (P ≈ 0 on [PAD] keys).
 */
export function attentionBackward(rec: Recorder, args: AttentionBackwardArgs): void {
  checkShape('attentionBackward', args);
  const rows = args.batch * args.heads * args.seq;
  const views: Args = {
    dContext: args.dContext,
    qkv: args.qkv,
    probs: args.probs,
    dQkv: { view: args.dQkv, write: true },
  };
  for (const kernel of [ROW_SUMS, KEYS, QUERIES]) {
    run(rec, kernel, views, uniforms(args, args.dropout), rowGroups(rows));
  }
}
