/**
 * The dense kernels' test cases by id, with the titles the Playwright spec gives them. Free of
 * tfjs and WebGPU so that the spec (in Node) can declare one test per case; the browser suites are
 * typed against these ids, so the two lists cannot drift apart.
 */
export const MATMUL_CASES = {
  qkv: 'matmul: x W + b at the QKV shape [512, 128] · [128, 384]',
  plain: 'matmul: A · B, odd sizes 37 × 45 · 45 × 29, strided',
  transA: 'matmul: Aᵀ · B, odd sizes, strided',
  transB: 'matmul: A · Bᵀ, odd sizes, strided, accumulate',
  transAB: 'matmul: Aᵀ · Bᵀ, odd sizes, strided, alpha',
  ffnGelu: 'matmul: FFN in [512, 128] · [128, 512] + b with the GELU epilogue',
  geluOdd: 'matmul: GELU epilogue at odd sizes 39 × 36 · 36 × 36',
  geluBackward: "matmul: backward through GELU, dY W2ᵀ ⊙ gelu'(pre), [512, 128] · [512, 128]ᵀ",
  weightGrad: 'matmul: dW += xᵀ dy with k = 512 rows, [128, 384]',
  mlmLogits: 'matmul: MLM logits h Eᵀ + b, [80, 128] · [7919, 128]ᵀ (a quarter vocabulary)',
  tiedGrad: 'matmul: tied output gradient dE += dlogitsᵀ h, [7919, 80] · [80, 128]',
  batchedShared: 'matmul: batched with per-batch strides, shared B, bias and GELU',
  batchedStrides: 'matmul: batched Aᵀ · Bᵀ with per-batch strides of every operand',
  sharedBuffers: 'matmul: operands that share one buffer (params, activations)',
  geluTails: 'matmul: GELU (without saving the pre-activation) and its derivative on [−10, 10] match tf.erf',
} as const;

export const NORM_CASES = {
  biasGrad: 'columnSum: the bias gradient Σ_r dy of [512, 384], the same bits on every run',
  columnOdd: 'columnSum: odd [37, 29] with a row stride, accumulate, 3 batches with strides',
  lnForward: 'layerNorm forward: LN(x + residual) at [512, 128] saves x̂ and rstd',
  lnForwardDropout:
    'layerNorm forward: LN(dropout(x) + residual) at odd [39, 36], the hash mask of the composite path',
  lnForwardWide: 'layerNorm forward: width 1000 (four elements a thread), no residual',
  lnBackward: 'layerNorm backward: ds, dγ, dβ at [512, 128] against tf.grads',
  lnBackwardDropout: 'layerNorm backward: dropout (dx = mask ⊙ ds) and accumulateDs at odd [39, 36]',
  lnBackwardInPlace: 'layerNorm backward: ds written over dy in place',
  lnBackwardWide: 'layerNorm backward: width 700 with dropout',
} as const;
