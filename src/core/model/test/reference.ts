/**
 * An independent float64 BERT forward pass and pretraining loss in plain TypeScript, no tfjs,
 * written from Google's modeling.py for the gradient check: finite differences of this function
 * are the reference the tfjs gradients must match. Dropout is off (evaluation mode).
 */
import type { BertConfig } from '../config';
import type { BertParams, DenseParams, LayerNormParams } from '../params';

type P = BertParams<Float64Array>;

export interface ReferenceBatch {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly inputIds: ArrayLike<number>;
  readonly tokenTypeIds: ArrayLike<number>;
  readonly attentionMask: ArrayLike<number>;
  readonly maskedSlots: ArrayLike<number>;
  readonly maskedLabels: ArrayLike<number>;
  readonly isNext: ArrayLike<number>;
}

export interface ReferenceOutputs {
  readonly mlmLogits: Float64Array; // [M, V]
  readonly nspLogits: Float64Array; // [B, 2]
  readonly mlmLoss: number;
  readonly nspLoss: number;
  readonly loss: number;
}

/** erf(x) to about 1e-14: its Maclaurin series near 0, a continued fraction for erfc further out. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the bottom.
  let fraction = ax;
  for (let k = 60; k >= 1; k--) fraction = ax + k / 2 / fraction;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
  return Math.sign(x) * (1 - erfc);
}

/** [rows, inner] · [inner, cols] (or · [cols, inner]ᵀ when `transposeB`). */
function matmul(
  a: Float64Array,
  rows: number,
  inner: number,
  b: Float64Array,
  cols: number,
  transposeB = false,
) {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let k = 0; k < inner; k++)
        sum += a[r * inner + k]! * (transposeB ? b[c * inner + k]! : b[k * cols + c]!);
      out[r * cols + c] = sum;
    }
  }
  return out;
}

function denseRows(x: Float64Array, rows: number, p: DenseParams<Float64Array>): Float64Array {
  const cols = p.bias.length;
  const inner = p.kernel.length / cols;
  const y = matmul(x, rows, inner, p.kernel, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[r * cols + c]! += p.bias[c]!;
  return y;
}

function layerNormRows(x: Float64Array, rows: number, p: LayerNormParams<Float64Array>, eps: number) {
  const H = p.gamma.length;
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let h = 0; h < H; h++) mean += x[r * H + h]! / H;
    let variance = 0;
    for (let h = 0; h < H; h++) variance += (x[r * H + h]! - mean) ** 2 / H;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let h = 0; h < H; h++) y[r * H + h] = (x[r * H + h]! - mean) * inv * p.gamma[h]! + p.beta[h]!;
  }
  return y;
}

const gelu = (x: Float64Array): Float64Array => x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));

/** -log softmax(row)[label], averaged over rows. */
function crossEntropy(logits: Float64Array, rows: number, cols: number, labels: ArrayLike<number>): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * cols, (r + 1) * cols);
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    total += logSum - row[labels[r]!]!;
  }
  return rows === 0 ? 0 : total / rows;
}

/**
 * The whole model and loss. `tiedOutputTable` is the copy of E_token the tied output projection
 * reads (the lookup reads `params.embeddings.token`), so each path can be differentiated alone.
 */
export function referenceForward(
  params: P,
  config: BertConfig,
  batch: ReferenceBatch,
  tiedOutputTable: Float64Array = params.embeddings.token,
): ReferenceOutputs {
  const { batchSize: B, seqLength: T } = batch;
  const { hidden: H, heads: A, vocabSize: V, layerNormEps: eps } = config;
  const D = H / A;
  const N = B * T;
  const e = params.embeddings;

  let x = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    const id = batch.inputIds[n]!;
    const seg = batch.tokenTypeIds[n]!;
    const pos = n % T;
    for (let h = 0; h < H; h++)
      x[n * H + h] = e.token[id * H + h]! + e.segment[seg * H + h]! + e.position[pos * H + h]!;
  }
  x = layerNormRows(x, N, e.norm, eps);

  for (const layer of params.layers) {
    const q = denseRows(x, N, layer.query);
    const k = denseRows(x, N, layer.key);
    const v = denseRows(x, N, layer.value);
    const context = new Float64Array(N * H);
    for (let b = 0; b < B; b++) {
      for (let a = 0; a < A; a++) {
        for (let i = 0; i < T; i++) {
          const scores = new Float64Array(T);
          for (let j = 0; j < T; j++) {
            let dot = 0;
            for (let d = 0; d < D; d++)
              dot += q[(b * T + i) * H + a * D + d]! * k[(b * T + j) * H + a * D + d]!;
            scores[j] = dot / Math.sqrt(D) + (1 - batch.attentionMask[b * T + j]!) * -10000;
          }
          const max = Math.max(...scores);
          const exps = scores.map((s) => Math.exp(s - max));
          const total = exps.reduce((s, v2) => s + v2, 0);
          for (let j = 0; j < T; j++) {
            const p = exps[j]! / total;
            for (let d = 0; d < D; d++)
              context[(b * T + i) * H + a * D + d]! += p * v[(b * T + j) * H + a * D + d]!;
          }
        }
      }
    }
    const attended = denseRows(context, N, layer.attentionOutput).map((val, i) => val + x[i]!);
    const afterAttention = layerNormRows(attended, N, layer.attentionNorm, eps);
    const inner = gelu(denseRows(afterAttention, N, layer.intermediate));
    const ffn = denseRows(inner, N, layer.output).map((val, i) => val + afterAttention[i]!);
    x = layerNormRows(ffn, N, layer.outputNorm, eps);
  }

  const M = batch.maskedSlots.length;
  const atMasked = new Float64Array(M * H);
  for (let m = 0; m < M; m++)
    atMasked.set(x.subarray(batch.maskedSlots[m]! * H, (batch.maskedSlots[m]! + 1) * H), m * H);
  const h = layerNormRows(gelu(denseRows(atMasked, M, params.mlm.transform)), M, params.mlm.norm, eps);
  const table = params.mlm.outputKernel ?? tiedOutputTable;
  const mlmLogits = matmul(h, M, H, table, V, true).map((val, i) => val + params.mlm.outputBias[i % V]!);

  const cls = new Float64Array(B * H);
  for (let b = 0; b < B; b++) cls.set(x.subarray(b * T * H, b * T * H + H), b * H);
  const pooled = denseRows(cls, B, params.nsp.pooler).map(Math.tanh);
  const nspLogits = denseRows(pooled, B, params.nsp.classifier);

  const mlmLoss = crossEntropy(mlmLogits, M, V, batch.maskedLabels);
  const nspLoss = crossEntropy(
    nspLogits,
    B,
    2,
    Array.from(batch.isNext, (n) => (n === 1 ? 0 : 1)),
  );
  return { mlmLogits, nspLogits, mlmLoss, nspLoss, loss: mlmLoss + nspLoss };
}
