/**
 * The numbers of one position, read (not recomputed) from the engine's trace, and the words that
 * caption each stage of the animation.
 */
import type { PairTrace } from '../../engine/session';
import type { SumStage } from '../../store/types';
import type { ValueColor } from '../../viz/heatStrip';

export interface PositionVectors {
  readonly position: number;
  readonly token: string;
  readonly tokenId: number;
  readonly segment: number;
  readonly tokenRow: Float32Array; // [H] = E_token[id]
  readonly segmentRow: Float32Array; // [H] = E_segment[segment]
  readonly positionRow: Float32Array; // [H] = E_position[position]
  readonly total: Float32Array; // [H] their sum
  readonly mean: number;
  readonly variance: number;
  readonly normalized: Float32Array; // [H] (total − mean) / sqrt(variance + ε)
  readonly output: Float32Array; // [H] normalized · γ + β
}

export const SEGMENT_NAME = ['A', 'B'] as const;

/** What the stepper and the matrix draw from: the trace and the view's two shared colour scales. */
export interface SumPanelProps {
  readonly trace: PairTrace;
  /** For the three lookups and their sum. */
  readonly embedColor: ValueColor;
  /** For LayerNorm's side: x̂, γ, β and the output. */
  readonly normColor: ValueColor;
}

export function positionVectors(trace: PairTrace, p: number): PositionVectors {
  const H = trace.hidden;
  const row = (a: Float32Array) => a.subarray(p * H, (p + 1) * H);
  return {
    position: p,
    token: trace.tokens[p] ?? '',
    tokenId: trace.inputIds[p] ?? 0,
    segment: trace.tokenTypeIds[p] ?? 0,
    tokenRow: row(trace.tokenEmbedding),
    segmentRow: row(trace.segmentEmbedding),
    positionRow: row(trace.positionEmbedding),
    total: row(trace.embeddingSum),
    mean: trace.embeddingNormMean[p] ?? 0,
    variance: trace.embeddingNormVariance[p] ?? 0,
    normalized: row(trace.embeddingNormalized),
    output: row(trace.embeddingOutput),
  };
}

/** The test contract's `data-values`: the vector as JSON, rounded to 6 decimals. */
export function valuesAttr(values: ArrayLike<number>): string {
  return JSON.stringify(Array.from(values, (v) => Math.round(v * 1e6) / 1e6));
}

export const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function stageCaption(stage: SumStage, v: PositionVectors, H: number): string {
  const std = Math.sqrt(v.variance);
  switch (stage) {
    case 'lookup':
      return `Position ${v.position} holds “${v.token}” (id ${v.tokenId}) in segment ${SEGMENT_NAME[v.segment] ?? v.segment}. Three rows are looked up: row ${v.tokenId} of the token table, row ${v.segment} of the segment table and row ${v.position} of the position table.`;
    case 'gather':
      return `The three rows, ${H} numbers each, line up column by column, drawn on one colour scale: blue below zero, red above.`;
    case 'add':
      return `They are added cell by cell. Column j of the sum is token[j] + segment[j] + position[j]: this is the input vector of position ${v.position}.`;
    case 'stats':
      return `LayerNorm first measures the sum across its ${H} cells: mean μ = ${fmt(v.mean)}, standard deviation σ = ${fmt(std)}.`;
    case 'normalize':
      return `Subtracting μ and dividing by σ gives x̂ = (x − μ) / σ: the same pattern, now with mean 0 and standard deviation 1.`;
    case 'affine':
      return `Finally each cell is scaled by γ and shifted by β, two learned numbers per column: x̂ · γ + β is what the first Transformer layer reads.`;
  }
}
