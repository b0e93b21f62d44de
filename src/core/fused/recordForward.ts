/**
 * The forward pass of the fused step, recorded into `r.rec` (see trainer.ts for the order):
 *   h0 = dropout(LN(E_tok[id] + E_seg[type] + E_pos[t]))
 *   each layer l: qkv = h W_{q,k,v} + b (one batched matmul); ctx = softmax(q kᵀ/√D + mask) v;
 *                 a = LN(dropout(ctx W_o + b_o) + h); h' = LN(dropout(GELU(a W_1 + b_1) W_2 + b_2) + a)
 * Every activation the backward pass reads again stays in its own buffer of `r.a`.
 */
import { DROPOUT_SITE } from './dropoutHash';
import { view } from './gpu';
import { attentionForward } from './kernels/attention';
import { embeddingsForward } from './kernels/embeddings';
import { layerNormForward } from './kernels/layerNorm';
import { matmul } from './kernels/matmul';
import { optional, type StepRecording } from './stepBuffers';

export function recordForward(r: StepRecording): void {
  const { rec, a, config, layout, P, I, drop, B, T, N } = r;
  const { hidden: H, intermediate: F, heads: A, layers: L } = config;
  const hidden = config.hiddenDropout;
  const attention = config.attentionDropout;
  const dims = { batch: B, seq: T, hidden: H };
  const opt = optional;
  // ---- Forward ----
  embeddingsForward(rec, {
    ids: I('ids'),
    types: I('types'),
    token: P('embeddings.token'),
    segment: P('embeddings.segment'),
    position: P('embeddings.position'),
    gamma: P('embeddings.norm.gamma'),
    beta: P('embeddings.norm.beta'),
    out: view(a.h[0]!),
    xhat: view(a.embXhat),
    rstd: view(a.embRstd),
    ...dims,
    eps: config.layerNormEps,
    ...opt('dropout', drop(DROPOUT_SITE.embeddings, hidden)),
  });
  for (let l = 0; l < L; l++) {
    const p = `layers.${l}`;
    const s = a.layer[l]!;
    const x = view(a.h[l]!);
    // q, k, v in one dispatch: batch j reads W_j and b_j one qkvStride apart, writes qkv[j].
    matmul(rec, {
      a: x,
      b: P(`${p}.query.kernel`),
      bias: P(`${p}.query.bias`),
      c: view(s.qkv),
      m: N,
      n: H,
      k: H,
      batch: 3,
      strideA: 0,
      strideB: layout.qkvStride,
      strideBias: layout.qkvStride,
      strideC: N * H,
    });
    attentionForward(rec, {
      qkv: view(s.qkv),
      mask: I('mask'),
      context: view(s.ctx),
      probs: view(s.probs),
      ...dims,
      heads: A,
      ...opt('dropout', drop(DROPOUT_SITE.attentionProbs(l), attention)),
    });
    matmul(rec, {
      a: view(s.ctx),
      b: P(`${p}.attentionOutput.kernel`),
      bias: P(`${p}.attentionOutput.bias`),
      c: view(s.attnOut),
      m: N,
      n: H,
      k: H,
    });
    layerNormForward(rec, {
      x: view(s.attnOut),
      residual: x,
      ...opt('dropout', drop(DROPOUT_SITE.attentionOutput(l), hidden)),
      gamma: P(`${p}.attentionNorm.gamma`),
      beta: P(`${p}.attentionNorm.beta`),
      out: view(s.a),
      xhat: view(s.xhat1),
      rstd: view(s.rstd1),
      rows: N,
      width: H,
      eps: config.layerNormEps,
    });
    matmul(rec, {
      a: view(s.a),
      b: P(`${p}.intermediate.kernel`),
      bias: P(`${p}.intermediate.bias`),
      c: view(s.inner),
      m: N,
      n: F,
      k: H,
      epilogue: 'gelu',
      preActivation: view(s.pre),
    });
    matmul(rec, {
      a: view(s.inner),
      b: P(`${p}.output.kernel`),
      bias: P(`${p}.output.bias`),
      c: view(s.ffnOut),
      m: N,
      n: H,
      k: F,
    });
    layerNormForward(rec, {
      x: view(s.ffnOut),
      residual: view(s.a),
      ...opt('dropout', drop(DROPOUT_SITE.ffnOutput(l), hidden)),
      gamma: P(`${p}.outputNorm.gamma`),
      beta: P(`${p}.outputNorm.beta`),
      out: view(a.h[l + 1]!),
      xhat: view(s.xhat2),
      rstd: view(s.rstd2),
      rows: N,
      width: H,
      eps: config.layerNormEps,
    });
  }
}
