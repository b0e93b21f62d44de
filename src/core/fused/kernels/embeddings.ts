/**
 * BERT's input embeddings, forward and backward, as in src/core/model/bert.ts:
 *   e_n = E_token[id_n] + E_segment[type_n] + E_position[t]     slot n = b·T + t
 *   x̂_n = (e_n − μ_n) · rstd_n,  rstd_n = 1 / √(σ²_n + ε)        biased variance over the H columns
 *   y_n = dropout(x̂_n ⊙ γ + β)                                   unit index n·H + h, site 0
 *
 * Backward, with dy = dL/dy ⊙ m (the dropout mask) and g = dy ⊙ γ:
 *   dγ = Σ_n dy_n ⊙ x̂_n,  dβ = Σ_n dy_n
 *   de_n = rstd_n · (g_n − mean_h(g_n) − x̂_n · mean_h(g_n ⊙ x̂_n))     the LayerNorm backward
 *   dE_position[t] = Σ_b de_{b·T+t},  dE_segment[s] = Σ_{n: type_n = s} de_n,
 *   dE_token[v]    = Σ_{n: id_n = v} de_n
 * Every sum is one thread's loop in a fixed order, so the result is the same bits every run: no
 * float atomics. The token sum follows a LookupPlan, a CSR list of the slots of each distinct id
 * built on the CPU (the batch's ids are known there before the step), so one thread per
 * (distinct id, column) adds that id's slots.
 *
 * Ids must be < V and types < typeVocab: they are range-checked on the CPU (the composite path's
 * lookup, the orchestrator's batch), because an out-of-range id here would read another
 * parameter's values (WebGPU only clamps accesses to the whole buffer).
 */
import { f32, groupsFor, u32, type Recorder, type View } from '../gpu';
import { rowBackwardSource, rowForwardSource, rowThreads } from './layerNorm';
import { KEEP_WGSL, WG, checkSizes, perThreadMain, rowGroups } from './prelude';
import { dropoutUniforms, fixedKernel, run, variantKernel, type DropoutArgs } from './program';

/** CSR: the slots of uniqueIds[u] are slots[slotStart[u] .. slotStart[u + 1]). */
export interface LookupPlan {
  uniqueIds: Int32Array;
  slotStart: Int32Array;
  slots: Int32Array;
}

/** The distinct ids of a batch, ascending, each with its slots, ascending. */
export function lookupPlan(ids: Int32Array): LookupPlan {
  const order = Array.from(ids.keys()).sort((x, y) => ids[x]! - ids[y]! || x - y);
  const uniqueIds: number[] = [];
  const slotStart: number[] = [];
  order.forEach((slot, k) => {
    if (k === 0 || ids[slot] !== ids[order[k - 1]!]) {
      uniqueIds.push(ids[slot]!);
      slotStart.push(k);
    }
  });
  slotStart.push(order.length);
  return {
    uniqueIds: Int32Array.from(uniqueIds),
    slotStart: Int32Array.from(slotStart),
    slots: Int32Array.from(order),
  };
}

interface EmbeddingShape {
  batch: number;
  seq: number;
  hidden: number;
}

export interface EmbeddingsForwardArgs extends EmbeddingShape {
  /** i32 [N] each. */
  ids: View;
  types: View;
  token: View;
  segment: View;
  position: View;
  gamma: View;
  beta: View;
  /** [N, H] after LayerNorm and dropout. */
  out: View;
  /** Saved for the backward: x̂ [N, H] and rstd [N]. */
  xhat: View;
  rstd: View;
  eps: number;
  dropout?: DropoutArgs;
}

export interface EmbeddingsBackwardArgs extends EmbeddingShape {
  dOut: View;
  xhat: View;
  rstd: View;
  gamma: View;
  dropout?: DropoutArgs;
  /** i32 [N]. */
  types: View;
  /** The LookupPlan, uploaded (i32). */
  uniqueIds: View;
  slotStart: View;
  slots: View;
  uniqueCount: number;
  /** Scratch [N, H]: dL/de. */
  dSum: View;
  /** Rows uniqueIds[u] written; other rows untouched. */
  dToken: View;
  /** Written; dPosition rows ≥ seq untouched. */
  dSegment: View;
  dPosition: View;
  dGamma: View;
  dBeta: View;
  typeVocab: number;
}

/**
 * One workgroup per slot: the three rows added, then the sublayer LN's row code (layerNorm.ts),
 * then dropout on y. `width` is H.
 */
const forwardKernel = (threads: number, per: number) =>
  variantKernel('embeddingsForward', { threads, per }, (f) =>
    rowForwardSource({
      ...f,
      keep: true,
      setup: 'let id = u32(ids(row));\n  let ty = u32(types(row));\n  let t = row % u.seq;',
      load: 'let v = token(id * W + c) + segment(ty * W + c) + position(t * W + c);',
      store: 'out_put(at, (xh * gamma(c) + beta(c)) * keep(at));',
    }),
  );

/** One workgroup per slot: de_n, LayerNorm's row backward of dy = dOut ⊙ the dropout mask. */
const rowsKernel = (threads: number, per: number) =>
  variantKernel('embeddingsBackward.rows', { threads, per }, (f) =>
    rowBackwardSource({ ...f, keep: true, dy: '(dy(at) * keep(at))', store: 'dsOut_put(at, ds);' }),
  );

/**
 * One thread per (sum, column h): sums 0 and 1 are dγ and dβ (over all N slots), then one per
 * segment type (over the slots of that type), then one per position t < T (over the B sequences).
 */
const COLUMNS = fixedKernel(
  'embeddingsBackward.columns',
  /* wgsl */ `
${KEEP_WGSL}
${perThreadMain(
  WG,
  /* wgsl */ `
  if (i >= u.count) { return; }
  let H = u.hidden;
  let N = u.batch * u.seq;
  let job = i / H;
  let h = i % H;
  var acc = 0.0;
  if (job < 2u) {
    for (var n = 0u; n < N; n++) {
      let dy = dOut(n * H + h) * keep(n * H + h);
      acc += select(dy, dy * xhat(n * H + h), job == 0u);
    }
    if (job == 0u) { dGamma_put(h, acc); } else { dBeta_put(h, acc); }
  } else if (job < 2u + u.typeVocab) {
    let s = i32(job - 2u);
    for (var n = 0u; n < N; n++) {
      if (types(n) == s) { acc += dSum(n * H + h); }
    }
    dSegment_put(u32(s) * H + h, acc);
  } else {
    let t = job - 2u - u.typeVocab;
    for (var b = 0u; b < u.batch; b++) { acc += dSum((b * u.seq + t) * H + h); }
    dPosition_put(t * H + h, acc);
  }
`,
)}`,
);

/** One thread per (distinct id u, column h): dE_token[id_u, h] = Σ over u's slots of de. */
const TOKENS = fixedKernel(
  'embeddingsBackward.tokens',
  /* wgsl */ `
${perThreadMain(
  WG,
  /* wgsl */ `
  if (i >= u.count) { return; }
  let H = u.hidden;
  let k = i / H;
  let h = i % H;
  var acc = 0.0;
  for (var s = u32(slotStart(k)); s < u32(slotStart(k + 1u)); s++) {
    acc += dSum(u32(slots(s)) * H + h);
  }
  dToken_put(u32(uniqueIds(k)) * H + h, acc);
`,
)}`,
);

const written = (view: View) => ({ view, write: true });
const int = (view: View) => ({ view, type: 'i32' as const });

/** Lookup, sum, LayerNorm and dropout of the embeddings: one dispatch. */
export function embeddingsForward(rec: Recorder, args: EmbeddingsForwardArgs): void {
  checkSizes('embeddingsForward', { batch: args.batch, seq: args.seq, hidden: args.hidden });
  const rows = args.batch * args.seq;
  const { threads, per } = rowThreads(args.hidden);
  run(
    rec,
    forwardKernel(threads, per),
    {
      ids: int(args.ids),
      types: int(args.types),
      token: args.token,
      segment: args.segment,
      position: args.position,
      gamma: args.gamma,
      beta: args.beta,
      out: written(args.out),
      xhat: written(args.xhat),
      rstdOut: written(args.rstd),
    },
    {
      rows: u32(rows),
      seq: u32(args.seq),
      width: u32(args.hidden),
      eps: f32(args.eps),
      ...dropoutUniforms(args.dropout),
    },
    rowGroups(rows),
  );
}

/** Gradients of the three tables, γ and β: three dispatches, deterministic. */
export function embeddingsBackward(rec: Recorder, args: EmbeddingsBackwardArgs): void {
  const { batch, seq, hidden } = args;
  checkSizes('embeddingsBackward', { batch, seq, hidden, typeVocab: args.typeVocab });
  const rows = batch * seq;
  const dropout = dropoutUniforms(args.dropout);
  const { threads, per } = rowThreads(hidden);
  run(
    rec,
    rowsKernel(threads, per),
    { dy: args.dOut, xhat: args.xhat, rstdIn: args.rstd, gamma: args.gamma, dsOut: written(args.dSum) },
    { rows: u32(rows), width: u32(hidden), ...dropout },
    rowGroups(rows),
  );
  const sums = (2 + args.typeVocab + seq) * hidden;
  run(
    rec,
    COLUMNS,
    {
      dOut: args.dOut,
      xhat: args.xhat,
      types: int(args.types),
      dSum: args.dSum,
      dGamma: written(args.dGamma),
      dBeta: written(args.dBeta),
      dSegment: written(args.dSegment),
      dPosition: written(args.dPosition),
    },
    {
      count: u32(sums),
      batch: u32(batch),
      seq: u32(seq),
      hidden: u32(hidden),
      typeVocab: u32(args.typeVocab),
      ...dropout,
    },
    groupsFor(sums, WG),
  );
  run(
    rec,
    TOKENS,
    {
      uniqueIds: int(args.uniqueIds),
      slotStart: int(args.slotStart),
      slots: int(args.slots),
      dSum: args.dSum,
      dToken: written(args.dToken),
    },
    { count: u32(args.uniqueCount * hidden), hidden: u32(hidden) },
    groupsFor(args.uniqueCount * hidden, WG),
  );
}
