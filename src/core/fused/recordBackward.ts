/**
 * The heads and the backward pass of the fused step, recorded into `r.rec`:
 *   NSP: pooled = tanh(h_L[CLS] W_p + b_p); logits = pooled W_c + b_c; CE and its gradients
 *   MLM: z = LN(GELU(h_L[masked] W_t + b_t)); logits = z Eᵀ + b_out; CE with its gradient in
 *        place; dE_out = dlogitsᵀ z over all V rows (the softmax reaches every word)
 *   then each encoder layer in reverse, and the embeddings' scatter into E_token, E_segment and
 *   E_position. Gradients land in `r.grads` (flat, the layout of the parameters), except
 *   E_token's output path, which stays in `r.tokenOutGrad` until the report has its row norms.
 */
import { DROPOUT_SITE } from './dropoutHash';
import { view } from './gpu';
import { attentionBackward } from './kernels/attention';
import { geluBackward } from './kernels/elementwise';
import { embeddingsBackward } from './kernels/embeddings';
import { gatherRows, scatterAddRows, softmaxCrossEntropy } from './kernels/heads';
import { layerNormBackward, layerNormForward } from './kernels/layerNorm';
import { matmul } from './kernels/matmul';
import { nspForwardBackward } from './kernels/nsp';
import { columnSum } from './kernels/reduce';
import { optional, type StepRecording } from './stepBuffers';

export function recordHeadsAndBackward(r: StepRecording): void {
  const { rec, a, config, layout, params, tokenOutGrad, losses, preds, P, G, I, drop, B, T, N, M, U } = r;
  const { hidden: H, intermediate: F, vocabSize: V, heads: A, layers: L } = config;
  const hidden = config.hiddenDropout;
  const attention = config.attentionDropout;
  const dims = { batch: B, seq: T, hidden: H };
  const opt = optional;
  const top = view(a.h[L]!);
  const dTop = view(a.dH[0]);

  // ---- Heads: forward, loss and the gradient into the top hidden state ----
  nspForwardBackward(rec, {
    hidden: top,
    poolerKernel: P('nsp.pooler.kernel'),
    poolerBias: P('nsp.pooler.bias'),
    classifierKernel: P('nsp.classifier.kernel'),
    classifierBias: P('nsp.classifier.bias'),
    labels: I('nspLabels'),
    loss: view(losses, 1),
    predictions: view(preds!, M),
    dHidden: dTop,
    dPoolerKernel: G('nsp.pooler.kernel'),
    dPoolerBias: G('nsp.pooler.bias'),
    dClassifierKernel: G('nsp.classifier.kernel'),
    dClassifierBias: G('nsp.classifier.bias'),
    scratch: view(a.nspScratch),
    batch: B,
    seq: T,
    hiddenSize: H,
  });
  const outputTable = config.tieOutputEmbeddings ? P('embeddings.token') : P('mlm.outputKernel');
  const outputGrad = config.tieOutputEmbeddings ? view(tokenOutGrad) : G('mlm.outputKernel');
  if (M > 0) {
    gatherRows(rec, { src: top, index: I('maskedSlots'), out: view(a.mGathered), rows: M, width: H });
    matmul(rec, {
      a: view(a.mGathered),
      b: P('mlm.transform.kernel'),
      bias: P('mlm.transform.bias'),
      c: view(a.mAct),
      m: M,
      n: H,
      k: H,
      epilogue: 'gelu',
      preActivation: view(a.mPre),
    });
    layerNormForward(rec, {
      x: view(a.mAct),
      gamma: P('mlm.norm.gamma'),
      beta: P('mlm.norm.beta'),
      out: view(a.mOut),
      xhat: view(a.mXhat),
      rstd: view(a.mRstd),
      rows: M,
      width: H,
      eps: config.layerNormEps,
    });
    // logits = z · Eᵀ + b_out: E is stored [V, H], i.e. op(B) = Eᵀ with transB.
    matmul(rec, {
      a: view(a.mOut),
      b: outputTable,
      transB: true,
      bias: P('mlm.outputBias'),
      c: view(a.logits),
      m: M,
      n: V,
      k: H,
    });
    softmaxCrossEntropy(rec, {
      logits: view(a.logits),
      labels: I('labels'),
      loss: view(losses, 0),
      predictions: view(preds!, 0),
      rows: M,
      classes: V,
    });
    // dE_out[V, H] = dlogitsᵀ · z  (every row of the table: the softmax touches all V words).
    matmul(rec, { a: view(a.logits), transA: true, b: view(a.mOut), c: outputGrad, m: V, n: H, k: M });
    columnSum(rec, { x: view(a.logits), rows: M, cols: V, out: G('mlm.outputBias') });
    // dz = dlogits · E.
    matmul(rec, { a: view(a.logits), b: outputTable, c: view(a.dmOut), m: M, n: H, k: V });
    layerNormBackward(rec, {
      dy: view(a.dmOut),
      xhat: view(a.mXhat),
      rstd: view(a.mRstd),
      gamma: P('mlm.norm.gamma'),
      ds: view(a.dmAct),
      dGamma: G('mlm.norm.gamma'),
      dBeta: G('mlm.norm.beta'),
      rows: M,
      width: H,
    });
    geluBackward(rec, { dy: view(a.dmAct), pre: view(a.mPre), dx: view(a.dmPre), n: M * H });
    matmul(rec, {
      a: view(a.mGathered),
      transA: true,
      b: view(a.dmPre),
      c: G('mlm.transform.kernel'),
      m: H,
      n: H,
      k: M,
    });
    columnSum(rec, { x: view(a.dmPre), rows: M, cols: H, out: G('mlm.transform.bias') });
    matmul(rec, {
      a: view(a.dmPre),
      b: P('mlm.transform.kernel'),
      transB: true,
      c: view(a.dmGathered),
      m: M,
      n: H,
      k: H,
    });
    scatterAddRows(rec, { src: view(a.dmGathered), index: I('maskedSlots'), out: dTop, rows: M, width: H });
  }

  // ---- Encoder layers, backward ----
  let dCur = 0; // a.dH[dCur] holds dL/dh_{l+1}
  for (let l = L - 1; l >= 0; l--) {
    const p = `layers.${l}`;
    const s = a.layer[l]!;
    const dOut = view(a.dH[dCur as 0 | 1]);
    const dIn = view(a.dH[(1 - dCur) as 0 | 1]);
    const x = view(a.h[l]!);
    // Without dropout the sublayer's gradient is the residual's (dx = ds), so it is read from
    // dA / dIn itself, before the FFN's and the projections' dX are added into them.
    const ffnDrop = drop(DROPOUT_SITE.ffnOutput(l), hidden);
    const outDrop = drop(DROPOUT_SITE.attentionOutput(l), hidden);
    const dFfnOut = ffnDrop === undefined ? view(a.dA) : view(a.dFfnOut);
    const dAttnOut = outDrop === undefined ? dIn : view(a.dAttnOut);
    // h' = LN(dropout(ffnOut) + a): ds → dA (the residual's share), mask ⊙ ds → dFfnOut.
    layerNormBackward(rec, {
      dy: dOut,
      xhat: view(s.xhat2),
      rstd: view(s.rstd2),
      gamma: P(`${p}.outputNorm.gamma`),
      ds: view(a.dA),
      ...(ffnDrop === undefined ? {} : { dropout: ffnDrop, dx: dFfnOut }),
      dGamma: G(`${p}.outputNorm.gamma`),
      dBeta: G(`${p}.outputNorm.beta`),
      rows: N,
      width: H,
    });
    // ffnOut = inner · W_2 + b_2
    matmul(rec, {
      a: view(s.inner),
      transA: true,
      b: dFfnOut,
      c: G(`${p}.output.kernel`),
      m: F,
      n: H,
      k: N,
    });
    columnSum(rec, { x: dFfnOut, rows: N, cols: H, out: G(`${p}.output.bias`) });
    // d pre = (dFfnOut · W_2ᵀ) ⊙ GELU'(pre)
    matmul(rec, {
      a: dFfnOut,
      b: P(`${p}.output.kernel`),
      transB: true,
      c: view(a.dPre),
      m: N,
      n: F,
      k: H,
      geluGradOf: view(s.pre),
    });
    // pre = a · W_1 + b_1
    matmul(rec, {
      a: view(s.a),
      transA: true,
      b: view(a.dPre),
      c: G(`${p}.intermediate.kernel`),
      m: H,
      n: F,
      k: N,
    });
    columnSum(rec, { x: view(a.dPre), rows: N, cols: F, out: G(`${p}.intermediate.bias`) });
    matmul(rec, {
      a: view(a.dPre),
      b: P(`${p}.intermediate.kernel`),
      transB: true,
      c: view(a.dA),
      m: N,
      n: H,
      k: F,
      accumulate: true,
    });
    // a = LN(dropout(attnOut) + x): ds → dIn (the residual's share), mask ⊙ ds → dAttnOut.
    layerNormBackward(rec, {
      dy: view(a.dA),
      xhat: view(s.xhat1),
      rstd: view(s.rstd1),
      gamma: P(`${p}.attentionNorm.gamma`),
      ds: dIn,
      ...(outDrop === undefined ? {} : { dropout: outDrop, dx: dAttnOut }),
      dGamma: G(`${p}.attentionNorm.gamma`),
      dBeta: G(`${p}.attentionNorm.beta`),
      rows: N,
      width: H,
    });
    // attnOut = ctx · W_o + b_o
    matmul(rec, {
      a: view(s.ctx),
      transA: true,
      b: dAttnOut,
      c: G(`${p}.attentionOutput.kernel`),
      m: H,
      n: H,
      k: N,
    });
    columnSum(rec, { x: dAttnOut, rows: N, cols: H, out: G(`${p}.attentionOutput.bias`) });
    matmul(rec, {
      a: dAttnOut,
      b: P(`${p}.attentionOutput.kernel`),
      transB: true,
      c: view(a.dCtx),
      m: N,
      n: H,
      k: H,
    });
    attentionBackward(rec, {
      dContext: view(a.dCtx),
      qkv: view(s.qkv),
      probs: view(s.probs),
      mask: I('mask'),
      dQkv: view(a.dQkv),
      ...dims,
      heads: A,
      ...opt('dropout', drop(DROPOUT_SITE.attentionProbs(l), attention)),
    });
    // qkv_j = x · W_j + b_j: dW_j = xᵀ · dqkv_j and db_j (batched over j), dx += dqkv_j · W_jᵀ.
    matmul(rec, {
      a: x,
      transA: true,
      b: view(a.dQkv),
      c: G(`${p}.query.kernel`),
      m: H,
      n: H,
      k: N,
      batch: 3,
      strideA: 0,
      strideB: N * H,
      strideC: layout.qkvStride,
    });
    columnSum(rec, {
      x: view(a.dQkv),
      rows: N,
      cols: H,
      out: G(`${p}.query.bias`),
      batch: 3,
      strideX: N * H,
      strideOut: layout.qkvStride,
    });
    const q = layout.byName(`${p}.query.kernel`).offset;
    for (let j = 0; j < 3; j++) {
      matmul(rec, {
        a: view(a.dQkv, j * N * H),
        b: view(params, q + j * layout.qkvStride),
        transB: true,
        c: dIn,
        m: N,
        n: H,
        k: H,
        accumulate: true,
      });
    }
    dCur = 1 - dCur;
  }

  // ---- Embeddings, backward: the lookup's scatter into E_token, E_segment, E_position ----
  embeddingsBackward(rec, {
    dOut: view(a.dH[dCur as 0 | 1]),
    xhat: view(a.embXhat),
    rstd: view(a.embRstd),
    gamma: P('embeddings.norm.gamma'),
    ...opt('dropout', drop(DROPOUT_SITE.embeddings, hidden)),
    types: I('types'),
    uniqueIds: I('uniqueIds'),
    slotStart: I('slotStart'),
    slots: I('slots'),
    uniqueCount: U,
    dSum: view(a.dSum),
    dToken: G('embeddings.token'),
    dSegment: G('embeddings.segment'),
    dPosition: G('embeddings.position'),
    dGamma: G('embeddings.norm.gamma'),
    dBeta: G('embeddings.norm.beta'),
    ...dims,
    typeVocab: config.typeVocabSize,
  });
}
