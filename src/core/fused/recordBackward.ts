/**
 * The heads and the backward pass of the fused step, recorded into `r.rec`:
 *   NSP: pooled = tanh(h_L[CLS] W_p + b_p); logits = pooled W_c + b_c; CE and its gradients
 *   MLM: z = LN(GELU(h_L[masked] W_t + b_t)); logits = z Eᵀ + b_out; CE with its gradient in
 *        place; dE_out = dlogitsᵀ z over all V rows (the softmax reaches every word)
 *   then each encoder layer in reverse, and the embeddings' scatter into E_token, E_segment and
 *   E_position. Gradients land in `r.G` (the flat gradients, laid out as the parameters), except
 *   E_token's output path, which stays in `r.tokenOutGrad` until the report has its row norms.
 * Every dense layer's backward is dense.ts's denseBackward: dW = xᵀ dy, db = Σ dy, dx = dy Wᵀ.
 */
import { denseBackward, denseForward } from './dense';
import { DROPOUT_SITE } from './dropoutHash';
import { view, type View } from './gpu';
import { attentionBackward } from './kernels/attention';
import { geluBackward } from './kernels/elementwise';
import { embeddingsBackward } from './kernels/embeddings';
import { gatherRows, scatterAddRows, softmaxCrossEntropy } from './kernels/heads';
import { layerNormBackward, layerNormForward } from './kernels/layerNorm';
import { nspForwardBackward } from './kernels/nsp';
import { optional, type StepRecording } from './stepBuffers';

export function recordHeadsAndBackward(r: StepRecording): void {
  const top = view(r.a.h[r.config.layers]!);
  const dTop = view(r.a.dH[0]);
  nspHead(r, top, dTop);
  if (r.M > 0) mlmHead(r, top, dTop);
  // a.dH[d] holds dL/dh_{l+1}; the layer writes dL/dh_l into the other one.
  let d: 0 | 1 = 0;
  for (let l = r.config.layers - 1; l >= 0; l--) {
    layerBackward(r, l, view(r.a.dH[d]), view(r.a.dH[d === 0 ? 1 : 0]));
    d = d === 0 ? 1 : 0;
  }
  embeddingsBackwardOf(r, view(r.a.dH[d]));
}

/** The NSP head, forward, loss and backward; its gradient is the first write of dL/dh_L. */
function nspHead(r: StepRecording, top: View, dTop: View): void {
  const { P, G } = r;
  nspForwardBackward(r.rec, {
    hidden: top,
    poolerKernel: P.nsp.pooler.kernel,
    poolerBias: P.nsp.pooler.bias,
    classifierKernel: P.nsp.classifier.kernel,
    classifierBias: P.nsp.classifier.bias,
    labels: r.I('nspLabels'),
    loss: view(r.losses, 1),
    predictions: view(r.preds, r.M),
    dHidden: dTop,
    dPoolerKernel: G.nsp.pooler.kernel,
    dPoolerBias: G.nsp.pooler.bias,
    dClassifierKernel: G.nsp.classifier.kernel,
    dClassifierBias: G.nsp.classifier.bias,
    scratch: view(r.a.nspScratch),
    batch: r.B,
    seq: r.T,
    hiddenSize: r.config.hidden,
  });
}

/** The MLM head over the M masked rows, forward, loss and backward, added into dL/dh_L. */
function mlmHead(r: StepRecording, top: View, dTop: View): void {
  const { rec, a, config, P, G, I, M } = r;
  const { hidden: H, vocabSize: V } = config;
  const transform = { x: view(a.mGathered), w: P.mlm.transform, rows: M, inputs: H, outputs: H };
  // logits = z · Eᵀ + b_out: E is stored [V, H] (tied), or W_out [V, H] (untied).
  const output = {
    x: view(a.mOut),
    w: { kernel: P.mlm.outputKernel ?? P.embeddings.token, bias: P.mlm.outputBias },
    rows: M,
    inputs: H,
    outputs: V,
    transposed: true,
  };
  const outputGrad = { kernel: G.mlm.outputKernel ?? view(r.tokenOutGrad), bias: G.mlm.outputBias };

  gatherRows(rec, { src: top, index: I('maskedSlots'), out: view(a.mGathered), rows: M, width: H });
  denseForward(rec, { ...transform, y: view(a.mAct), gelu: { pre: view(a.mPre) } });
  const norm = { xhat: view(a.mXhat), rstd: view(a.mRstd), rows: M, width: H };
  layerNormForward(rec, {
    x: view(a.mAct),
    ...P.mlm.norm,
    out: view(a.mOut),
    ...norm,
    eps: config.layerNormEps,
  });
  denseForward(rec, { ...output, y: view(a.logits) });
  const labels = I('labels');
  const predictions = view(r.preds, 0);
  softmaxCrossEntropy(rec, {
    logits: view(a.logits),
    labels,
    loss: view(r.losses, 0),
    predictions,
    rows: M,
    classes: V,
  });
  // dE_out [V, H] = dlogitsᵀ z: every row of the table, as the softmax touches all V words.
  denseBackward(rec, { ...output, dy: view(a.logits), grad: outputGrad, dx: view(a.dmOut) });
  const gamma = P.mlm.norm.gamma;
  layerNormBackward(rec, {
    dy: view(a.dmOut),
    gamma,
    ds: view(a.dmAct),
    dGamma: G.mlm.norm.gamma,
    dBeta: G.mlm.norm.beta,
    ...norm,
  });
  geluBackward(rec, { dy: view(a.dmAct), pre: view(a.mPre), dx: view(a.dmPre), n: M * H });
  denseBackward(rec, { ...transform, dy: view(a.dmPre), grad: G.mlm.transform, dx: view(a.dmGathered) });
  scatterAddRows(rec, { src: view(a.dmGathered), index: I('maskedSlots'), out: dTop, rows: M, width: H });
}

/**
 * Encoder layer l backward, from dOut = dL/dh_{l+1} to dIn = dL/dh_l, the forward in reverse:
 *   h' = LN(dropout(ffnOut) + a), ffnOut = GELU(a W_1 + b_1) W_2 + b_2,
 *   a = LN(dropout(ctx W_o + b_o) + x), ctx = attention(x W_{q,k,v} + b).
 */
function layerBackward(r: StepRecording, l: number, dOut: View, dIn: View): void {
  const { rec, a, config, layout, drop, N } = r;
  const { hidden: H, intermediate: F } = config;
  const w = r.P.layers[l]!;
  const g = r.G.layers[l]!;
  const s = a.layer[l]!;
  const rows = { rows: N, width: H };
  // Without dropout the sublayer's gradient is the residual's (dx = ds), so it is read from
  // dA / dIn itself, before the FFN's and the projections' dX are added into them.
  const ffnDrop = drop(DROPOUT_SITE.ffnOutput(l), config.hiddenDropout);
  const outDrop = drop(DROPOUT_SITE.attentionOutput(l), config.hiddenDropout);
  const dFfnOut = ffnDrop === undefined ? view(a.dA) : view(a.dFfnOut);
  const dAttnOut = outDrop === undefined ? dIn : view(a.dAttnOut);

  // h' = LN(dropout(ffnOut) + a): ds → dA (the residual's share), mask ⊙ ds → dFfnOut.
  layerNormBackward(rec, {
    dy: dOut,
    xhat: view(s.xhat2),
    rstd: view(s.rstd2),
    gamma: w.outputNorm.gamma,
    ds: view(a.dA),
    ...(ffnDrop === undefined ? {} : { dropout: ffnDrop, dx: dFfnOut }),
    dGamma: g.outputNorm.gamma,
    dBeta: g.outputNorm.beta,
    ...rows,
  });
  // ffnOut = inner W_2 + b_2, inner = GELU(pre): d pre = (dFfnOut W_2ᵀ) ⊙ GELU'(pre).
  const output = { x: view(s.inner), w: w.output, rows: N, inputs: F, outputs: H };
  denseBackward(rec, { ...output, dy: dFfnOut, grad: g.output, dx: view(a.dPre), geluGradOf: view(s.pre) });
  // pre = a W_1 + b_1: dA += d pre W_1ᵀ.
  const intermediate = { x: view(s.a), w: w.intermediate, rows: N, inputs: H, outputs: F };
  denseBackward(rec, {
    ...intermediate,
    dy: view(a.dPre),
    grad: g.intermediate,
    dx: view(a.dA),
    accumulateDx: true,
  });
  // a = LN(dropout(attnOut) + x): ds → dIn (the residual's share), mask ⊙ ds → dAttnOut.
  layerNormBackward(rec, {
    dy: view(a.dA),
    xhat: view(s.xhat1),
    rstd: view(s.rstd1),
    gamma: w.attentionNorm.gamma,
    ds: dIn,
    ...(outDrop === undefined ? {} : { dropout: outDrop, dx: dAttnOut }),
    dGamma: g.attentionNorm.gamma,
    dBeta: g.attentionNorm.beta,
    ...rows,
  });
  // attnOut = ctx W_o + b_o.
  const attnOut = { x: view(s.ctx), w: w.attentionOutput, rows: N, inputs: H, outputs: H };
  denseBackward(rec, { ...attnOut, dy: dAttnOut, grad: g.attentionOutput, dx: view(a.dCtx) });
  attentionBackward(rec, {
    dContext: view(a.dCtx),
    qkv: view(s.qkv),
    probs: view(s.probs),
    mask: r.I('mask'),
    dQkv: view(a.dQkv),
    batch: r.B,
    seq: r.T,
    hidden: H,
    heads: config.heads,
    ...optional('dropout', drop(DROPOUT_SITE.attentionProbs(l), config.attentionDropout)),
  });
  // qkv_j = x W_j + b_j, batched over j: dW_j = xᵀ dqkv_j and db_j, dIn += dqkv_j W_jᵀ.
  const qkv = { x: view(a.h[l]!), w: w.query, rows: N, inputs: H, outputs: H };
  const batch = { count: 3, stride: layout.qkvStride };
  denseBackward(rec, { ...qkv, batch, dy: view(a.dQkv), grad: g.query, dx: dIn, accumulateDx: true });
}

/** The embeddings, backward: the lookup's scatter into E_token, E_segment, E_position. */
function embeddingsBackwardOf(r: StepRecording, dOut: View): void {
  const { a, config, G, I } = r;
  embeddingsBackward(r.rec, {
    dOut,
    xhat: view(a.embXhat),
    rstd: view(a.embRstd),
    gamma: r.P.embeddings.norm.gamma,
    ...optional('dropout', r.drop(DROPOUT_SITE.embeddings, config.hiddenDropout)),
    types: I('types'),
    uniqueIds: I('uniqueIds'),
    slotStart: I('slotStart'),
    slots: I('slots'),
    uniqueCount: r.U,
    dSum: view(a.dSum),
    dToken: G.embeddings.token,
    dSegment: G.embeddings.segment,
    dPosition: G.embeddings.position,
    dGamma: G.embeddings.norm.gamma,
    dBeta: G.embeddings.norm.beta,
    batch: r.B,
    seq: r.T,
    hidden: config.hidden,
    typeVocab: config.typeVocabSize,
  });
}
