/**
 * What one training step reports: losses, predictions, and for every embedding row how large a
 * gradient each path gave it and how far it moved. Plain numbers and typed arrays, so a Worker can
 * post it; both the tfjs step (step.ts) and the fused WebGPU step (core/fused) fill it.
 */
import type { TokenId } from '../tokenizer';
import type { PretrainingBatch } from './pretraining-data';

export interface StepReport {
  /** The number of this step (1-based); not advanced when the step was not applied. */
  readonly step: number;
  /** The loss or the gradient was NaN or infinite: nothing was applied, the weights are as before. */
  readonly nonFinite: boolean;
  readonly loss: { readonly mlm: number; readonly nsp: number; readonly total: number };
  /** Share of masked tokens whose most likely prediction is the original token. */
  readonly mlmAccuracy: number;
  /** The model's most likely token at each masked slot, before this step's update: [M]. */
  readonly mlmPredictions: Int32Array;
  /** The model's next-sentence guess per sequence, before the update: 1 = IsNext, 0 = NotNext. [B] */
  readonly nspPredictions: Int32Array;
  readonly nspAccuracy: number;
  readonly learningRate: number;
  /** ‖g‖ over all parameters, both E_token paths summed, before clipping. */
  readonly gradNorm: number;
  /** The factor clipping scaled the gradient by (1 when under the limit). */
  readonly clipScale: number;
  /** The distinct ids of the batch, ascending: the rows the input lookup scatters a gradient into. */
  readonly lookupRows: readonly TokenId[];
  /** ‖dL/dE_token[r]‖ through the tied output projection: [V]; all zero when untied. Before clipping. */
  readonly outputGradRowNorm: Float32Array;
  /** ‖dL/dE_token[r]‖ through the input lookup: [V]; zero outside `lookupRows`. Before clipping. */
  readonly lookupGradRowNorm: Float32Array;
  /** ‖Δ E_token[r]‖ actually applied (new minus old): [V]. */
  readonly updateRowNorm: Float32Array;
  /**
   * ‖Δ E_token[r] − mean_r' Δ E_token[r']‖: each row's change with the change shared by all V rows
   * (the common drift) taken out: [V]. Null only in a report saved before it was measured.
   */
  readonly centredUpdateRowNorm: Float32Array | null;
  /** Rows that moved although neither path gave them a gradient, ascending. */
  readonly movedWithoutGradient: readonly TokenId[];
  readonly positionGradRowNorm: Float32Array; // [P]
  readonly positionUpdateRowNorm: Float32Array; // [P]
  readonly segmentGradRowNorm: Float32Array; // [2]
  readonly segmentUpdateRowNorm: Float32Array; // [2]
  /** Wall-clock milliseconds per phase; each phase ends with a read, so GPU work is counted in it. */
  readonly ms: { readonly forwardBackward: number; readonly optimizer: number; readonly report: number };
  readonly batch: PretrainingBatch;
}
