/**
 * Chapters 4 and 5, which rows of E_token a step moves, read from the engine's StepReport.
 *
 * The lookup x_t = E_token[id_t] has the backward dL/dE_token[r] = Σ_{t: id_t = r} dL/dx_t: rows
 * outside the batch get exactly 0. A tied output (logits = h · E_tokenᵀ) adds
 * dL/dE_token[r] = Σ_m (p_m[r] − y_m[r]) h_m, nonzero for every row since softmax gives every row
 * some p. SGD moves a row by η·(clip scale)·g, so it moves exactly the rows with a gradient.
 */
import type { EngineSettings } from '../domain/settings';
import type { StepReport } from '../train/stepReport';
import {
  batchTokenIds,
  count,
  median,
  num,
  percent,
  positiveIndices,
  sameIds,
  type LessonResult,
} from './result';

/** The parts of a step report these chapters read. */
export type RowReport = Pick<
  StepReport,
  | 'step'
  | 'learningRate'
  | 'clipScale'
  | 'lookupGradRowNorm'
  | 'outputGradRowNorm'
  | 'updateRowNorm'
  | 'movedWithoutGradient'
  | 'batch'
>;

/** The settings a sentence depends on. */
export type RunSettings = Pick<EngineSettings, 'optimizer' | 'tieOutputEmbeddings'>;

const OPTIMIZER_WORDS: Readonly<Record<EngineSettings['optimizer'], string>> = {
  sgd: 'plain SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam',
  adamw: 'AdamW',
  lazyadam: 'LazyAdam',
};

/** "With an untied output and plain SGD", to open a sentence. */
function withSettings(settings: RunSettings): string {
  const output = settings.tieOutputEmbeddings ? 'a tied output' : 'an untied output';
  return `With ${output} and ${OPTIMIZER_WORDS[settings.optimizer]}`;
}

/** Ids at the batch's padded slots (attention mask 0): [PAD]'s id, or none for a full batch. */
function padIds(batch: RowReport['batch']): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < batch.inputIds.length; i++)
    if (batch.attentionMask[i] === 0) ids.add(batch.inputIds[i]!);
  return [...ids].sort((a, b) => a - b);
}

function realSlots(batch: RowReport['batch']): number {
  let n = 0;
  for (const m of batch.attentionMask) n += m === 1 ? 1 : 0;
  return n;
}

export interface OnlyBatchRowsClaim {
  readonly vocabSize: number;
  /** Rows with ‖Δrow‖ > 0, ascending. */
  readonly moved: readonly number[];
  /** The distinct ids of the batch's real tokens ([PAD] aside), ascending. */
  readonly batchIds: readonly number[];
  /** Slots in the batch, real tokens among them. */
  readonly slots: number;
  readonly realTokens: number;
  /** The id(s) at padded slots; empty when no slot was padded. */
  readonly padIds: readonly number[];
  readonly medianUpdate: number;
  /** moved equals batchIds exactly. */
  readonly holds: boolean;
}

/** Chapter 4 ('only-batch-rows'): the rows that moved are exactly the batch's non-[PAD] ids. */
export function onlyBatchRowsResult(
  report: RowReport,
  settings: RunSettings,
): LessonResult<OnlyBatchRowsClaim> {
  const V = report.updateRowNorm.length;
  const moved = positiveIndices(report.updateRowNorm);
  const batchIds = batchTokenIds(report.batch);
  const pads = padIds(report.batch);
  const claim: OnlyBatchRowsClaim = {
    vocabSize: V,
    moved,
    batchIds,
    slots: report.batch.inputIds.length,
    realTokens: realSlots(report.batch),
    padIds: pads,
    medianUpdate: median(moved.map((r) => report.updateRowNorm[r]!)),
    holds: sameIds(moved, batchIds),
  };
  const sentences = [
    `${withSettings(settings)}, step ${report.step} moved ${count(moved.length)} of the ${count(V)} rows of E_token (${percent(moved.length, V)}).`,
    claim.holds
      ? `They are exactly the ${count(batchIds.length)} distinct ids among the batch's ${count(claim.realTokens)} real tokens: no row outside the batch moved, and every row in it did.`
      : `The batch's real tokens have ${count(batchIds.length)} distinct ids, so the moved rows are not exactly the batch's rows under these settings.`,
  ];
  if (pads.length > 0) {
    const still = pads.every((p) => report.updateRowNorm[p] === 0);
    sentences.push(
      `${count(claim.slots - claim.realTokens)} of the ${count(claim.slots)} slots were [PAD]: its row was looked up but got a gradient of ${num(report.lookupGradRowNorm[pads[0]!] ?? 0)} and ${still ? 'did not move' : 'moved'}.`,
    );
  }
  sentences.push(
    `The ${count(V - moved.length)} other rows got a gradient of exactly 0 and stayed where they were; the moved rows moved a median ‖Δrow‖ of ${num(claim.medianUpdate)} at learning rate ${num(report.learningRate)}.`,
  );
  const answer = claim.holds ? 'batch' : moved.length === V ? 'all' : moved.length === 0 ? 'none' : null;
  return { chapter: 'only-batch-rows', answer, sentences, claim };
}

export interface TiedOutputClaim {
  readonly vocabSize: number;
  /** Rows with an output gradient > 0. */
  readonly withOutputGradient: number;
  /** Rows with a lookup gradient > 0 (the batch's non-[PAD] ids). */
  readonly withLookupGradient: number;
  /** Rows with ‖Δrow‖ > 0. */
  readonly moved: number;
  /** Median ‖g‖ through the output of rows with no lookup gradient, and through the lookup of batch rows. */
  readonly medianOutputOnlyGrad: number;
  readonly medianLookupGrad: number;
  /** Every row had an output gradient and every row moved. */
  readonly holds: boolean;
}

/** Chapter 5 ('tied-output'): through the tied softmax every row gets a gradient, and under SGD moves. */
export function tiedOutputResult(report: RowReport, settings: RunSettings): LessonResult<TiedOutputClaim> {
  const V = report.updateRowNorm.length;
  const outputOnly: number[] = [];
  const lookup: number[] = [];
  for (let r = 0; r < V; r++) {
    if (report.lookupGradRowNorm[r]! > 0) lookup.push(report.lookupGradRowNorm[r]!);
    else outputOnly.push(report.outputGradRowNorm[r]!);
  }
  const withOutputGradient = positiveIndices(report.outputGradRowNorm).length;
  const moved = positiveIndices(report.updateRowNorm).length;
  const claim: TiedOutputClaim = {
    vocabSize: V,
    withOutputGradient,
    withLookupGradient: lookup.length,
    moved,
    medianOutputOnlyGrad: median(outputOnly),
    medianLookupGrad: median(lookup),
    holds: withOutputGradient === V && moved === V,
  };
  const sentences = [
    `${withSettings(settings)}, ${count(withOutputGradient)} of the ${count(V)} rows got a gradient through the output softmax in step ${report.step}; ${count(lookup.length)} of them, the batch's, also got one through the lookup.`,
    `A row outside the batch got a median ‖g‖ of ${num(claim.medianOutputOnlyGrad)} from the softmax alone; a batch row got ${num(claim.medianLookupGrad)} through the lookup.`,
    moved === V
      ? `Every row with a gradient moved: ${count(moved)} of ${count(V)}.`
      : `${count(moved)} of the ${count(V)} rows moved.`,
  ];
  let withGradient = 0;
  for (let r = 0; r < V; r++)
    withGradient += report.lookupGradRowNorm[r]! > 0 || report.outputGradRowNorm[r]! > 0 ? 1 : 0;
  const answer = withGradient === V ? 'all' : withGradient === lookup.length ? 'batch' : null;
  return { chapter: 'tied-output', answer, sentences, claim };
}
