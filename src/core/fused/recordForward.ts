/**
 * The forward pass of the fused step, recorded into `r.rec` (see trainer.ts for the order):
 *   h0 = dropout(LN(E_tok[id] + E_seg[type] + E_pos[t]))
 *   each layer l: qkv = h W_{q,k,v} + b (one batched matmul); ctx = softmax(q kᵀ/√D + mask) v;
 *                 a = LN(dropout(ctx W_o + b_o) + h); h' = LN(dropout(GELU(a W_1 + b_1) W_2 + b_2) + a)
 * Every activation the backward pass reads again stays in its own buffer of `r.a`.
 */
import { denseForward } from './dense';
import { DROPOUT_SITE } from './dropoutHash';
import { view } from './gpu';
import { attentionForward } from './kernels/attention';
import { embeddingsForward } from './kernels/embeddings';
import { layerNormForward } from './kernels/layerNorm';
import { optional, type StepRecording } from './stepBuffers';

export function recordForward(r: StepRecording): void {
  const { rec, a, config, P, I, drop, B, T } = r;
  const E = P.embeddings;
  embeddingsForward(rec, {
    ids: I('ids'),
    types: I('types'),
    token: E.token,
    segment: E.segment,
    position: E.position,
    gamma: E.norm.gamma,
    beta: E.norm.beta,
    out: view(a.h[0]!),
    xhat: view(a.embXhat),
    rstd: view(a.embRstd),
    batch: B,
    seq: T,
    hidden: config.hidden,
    eps: config.layerNormEps,
    ...optional('dropout', drop(DROPOUT_SITE.embeddings, config.hiddenDropout)),
  });
  for (let l = 0; l < config.layers; l++) layerForward(r, l);
}

/** Encoder layer l: h_{l+1} from h_l. */
function layerForward(r: StepRecording, l: number): void {
  const { rec, a, config, layout, I, drop, B, T, N } = r;
  const { hidden: H, intermediate: F } = config;
  const w = r.P.layers[l]!;
  const s = a.layer[l]!;
  const x = view(a.h[l]!);
  const rows = { rows: N, eps: config.layerNormEps };
  // q, k, v in one dispatch: batch j reads W_j and b_j one qkvStride apart, writes qkv[j].
  const qkv = { count: 3, stride: layout.qkvStride };
  denseForward(rec, { x, w: w.query, y: view(s.qkv), rows: N, inputs: H, outputs: H, batch: qkv });
  attentionForward(rec, {
    qkv: view(s.qkv),
    mask: I('mask'),
    context: view(s.ctx),
    probs: view(s.probs),
    batch: B,
    seq: T,
    hidden: H,
    heads: config.heads,
    ...optional('dropout', drop(DROPOUT_SITE.attentionProbs(l), config.attentionDropout)),
  });
  denseForward(rec, {
    x: view(s.ctx),
    w: w.attentionOutput,
    y: view(s.attnOut),
    rows: N,
    inputs: H,
    outputs: H,
  });
  // a = LN(dropout(attnOut) + x)
  layerNormForward(rec, {
    x: view(s.attnOut),
    residual: x,
    ...optional('dropout', drop(DROPOUT_SITE.attentionOutput(l), config.hiddenDropout)),
    ...w.attentionNorm,
    out: view(s.a),
    xhat: view(s.xhat1),
    rstd: view(s.rstd1),
    width: H,
    ...rows,
  });
  const inner = { x: view(s.a), w: w.intermediate, y: view(s.inner), gelu: { pre: view(s.pre) } };
  denseForward(rec, { ...inner, rows: N, inputs: H, outputs: F });
  denseForward(rec, { x: view(s.inner), w: w.output, y: view(s.ffnOut), rows: N, inputs: F, outputs: H });
  // h' = LN(dropout(ffnOut) + a)
  layerNormForward(rec, {
    x: view(s.ffnOut),
    residual: view(s.a),
    ...optional('dropout', drop(DROPOUT_SITE.ffnOutput(l), config.hiddenDropout)),
    ...w.outputNorm,
    out: view(a.h[l + 1]!),
    xhat: view(s.xhat2),
    rstd: view(s.rstd2),
    width: H,
    ...rows,
  });
}
