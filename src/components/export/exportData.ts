/**
 * The numbers behind each view, as JSON and CSV files. Pure functions of the store's plain data
 * (no DOM), so they are tested in Node; typed arrays become plain number arrays, and float32 data is
 * written in its shortest exact form.
 */
import { SPECIAL_TOKENS, type PackedInput } from '../../core/tokenizer';
import { movedRows, ROW_CAUSES } from '../../core/train/pure';
import type { PairTrace } from '../../engine/session';
import type { BackendName, EngineSettings } from '../../core/domain/settings';
import type { LabView } from '../../store/types';
import type { VocabTrainerView } from '../../store/types';
import type { TrainingView } from '../../store/types';
import { positionVectors } from '../sum/sumData';
import { f32, numbers, toCsv, type CsvCell } from './csv';

export type ExportKind = 'pack-sequence' | 'vocabulary' | 'training-run' | 'embedding-sum' | 'learned-rows';

export interface ExportHeader {
  readonly format: `bert-embedding-lab/${ExportKind}`;
  readonly version: 1;
  readonly exportedAt: string;
  readonly view: LabView;
}

export function exportHeader(kind: ExportKind, view: LabView, now: Date): ExportHeader {
  return { format: `bert-embedding-lab/${kind}`, version: 1, exportedAt: now.toISOString(), view };
}

/** `bert-lab-<view>-<what>.<ext>`, the name every exported file gets. */
export function exportFileName(view: LabView, what: string, ext: string): string {
  return `bert-lab-${view}-${what}.${ext}`;
}

/**
 * A JSON-ready copy: typed arrays become number arrays (float32 in its shortest form), Sets
 * become arrays; everything else is copied as it is.
 */
export function toPlain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return numbers(value as unknown as ArrayLike<number>);
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Set) return [...value].map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

// Tokenize & Pack

export interface PackExportInput {
  readonly sentenceA: string;
  readonly sentenceB: string;
  readonly maxLength: number;
  readonly padToMaxLength: boolean;
  readonly vocabName: string;
  readonly vocabSize: number;
  readonly packed: PackedInput;
}

export function packJson(input: PackExportInput, now: Date) {
  const { packed } = input;
  return {
    ...exportHeader('pack-sequence', 'pack', now),
    sentenceA: input.sentenceA,
    sentenceB: input.sentenceB === '' ? null : input.sentenceB,
    maxLength: input.maxLength,
    padToMaxLength: input.padToMaxLength,
    vocabulary: { name: input.vocabName, size: input.vocabSize },
    hasPair: packed.hasPair,
    length: packed.slots.length,
    truncated: packed.truncated,
    tokens: [...packed.tokens],
    inputIds: [...packed.inputIds],
    tokenTypeIds: [...packed.tokenTypeIds],
    positionIds: [...packed.positionIds],
    attentionMask: [...packed.attentionMask],
    /** 'cls' | 'sep' | 'piece' | 'pad' per slot, and the sentence each piece came from. */
    kinds: packed.slots.map((s) => s.kind),
    sentences: packed.slots.map((s) => (s.side === null ? null : s.side.toUpperCase())),
  };
}

export function packCsv(packed: PackedInput): string {
  return toCsv(
    ['position', 'token', 'input_id', 'token_type_id', 'attention_mask', 'kind', 'sentence'],
    packed.slots.map((s) => [
      s.position,
      s.token,
      s.id,
      s.segment,
      s.attention,
      s.kind,
      s.side === null ? '' : s.side.toUpperCase(),
    ]),
  );
}

// Vocabulary

export function vocabJson(trainer: VocabTrainerView, now: Date) {
  return {
    ...exportHeader('vocabulary', 'vocab', now),
    corpus: trainer.corpus,
    settings: trainer.settings,
    status: trainer.stopped === null ? 'training' : `stopped: ${trainer.stopped}`,
    initialVocabSize: trainer.initialVocabSize,
    initialPiecesPerWord: trainer.initialPiecesPerWord,
    wordCount: trainer.wordCount,
    droppedChars: trainer.droppedChars,
    droppedWords: trainer.droppedWords,
    size: trainer.vocab.length,
    vocabulary: trainer.vocab,
    merges: trainer.steps,
  };
}

const SPECIALS: ReadonlySet<string> = new Set(SPECIAL_TOKENS);

/** One row per token, by id: where it came from and, for a learned one, the merge that made it. */
export function vocabCsv(trainer: VocabTrainerView): string {
  const madeBy = new Map<string, VocabTrainerView['steps'][number]>();
  for (const step of trainer.steps) if (!madeBy.has(step.token)) madeBy.set(step.token, step);
  return toCsv(
    ['id', 'token', 'origin', 'merge_step', 'left', 'right', 'score', 'pieces_per_word_after'],
    trainer.vocab.map((token, id) => {
      const merge = id >= trainer.initialVocabSize ? madeBy.get(token) : undefined;
      const origin = SPECIALS.has(token) ? 'special' : id < trainer.initialVocabSize ? 'alphabet' : 'merge';
      return [
        id,
        token,
        origin,
        merge?.step,
        merge?.pair[0],
        merge?.pair[1],
        merge?.score,
        merge?.piecesPerWord,
      ];
    }),
  );
}

export function mergesCsv(trainer: VocabTrainerView): string {
  return toCsv(
    [
      'step',
      'left',
      'right',
      'token',
      'score',
      'pair_count',
      'left_count',
      'right_count',
      'words_changed',
      'vocab_size',
      'pieces_per_word',
      // Added with the likelihood score; appended so that older readers' columns keep their place.
      'merge_count',
      'token_count_before',
      'total_tokens_before',
      'runner_up',
      'runner_up_score',
    ],
    trainer.steps.map((s) => [
      s.step,
      s.pair[0],
      s.pair[1],
      s.token,
      s.score,
      s.pairCount,
      s.leftCount,
      s.rightCount,
      s.wordsChanged,
      s.vocabSize,
      s.piecesPerWord,
      s.mergeCount,
      s.tokenCount,
      s.totalTokens,
      s.runnerUp?.token,
      s.runnerUp?.score,
    ]),
  );
}

// Training

export function trainJson(training: TrainingView, now: Date) {
  const { rows, snapshot } = training;
  return {
    ...exportHeader('training-run', 'train', now),
    settings: training.settings,
    backend: snapshot?.backend ?? null,
    adapter: snapshot?.adapter ?? null,
    step: snapshot?.step ?? training.lastReport?.step ?? 0,
    config: snapshot?.config ?? null,
    vocabulary: training.vocab,
    lossHistory: training.history,
    lastReport: toPlain(training.lastReport),
    rowCounters: rows && {
      steps: rows.steps,
      /**
       * lookup, output, momentum: moved, through the lookup / the output softmax only / with no
       * gradient; stalled: had a gradient and did not move (learning rate 0); unchanged: neither.
       */
      causes: ROW_CAUSES,
      /** byCause[cause][id]: in how many steps row id moved (or stayed) for that cause. */
      byCause: toPlain(rows.byCause),
      frequency: numbers(rows.frequency),
      /** The last step's cause of every row, as an index into `causes`. */
      lastCauses: rows.last ? numbers(rows.last.causes) : null,
      lastUpdateNorm: numbers(rows.lastUpdateNorm),
    },
    /**
     * The last step's median and quartiles of ‖Δrow‖ and ‖g‖ by the path that gave each row its
     * gradient (core/train/moveSizes.ts): what the "How far rows moved" table shows.
     */
    moveSizes: training.stepFacts?.moveSizes ?? null,
    /** Rows per cause for each of the recent steps the history scrubber keeps. */
    stepCounts: training.frames.map((f) => ({ step: f.step, moved: movedRows(f.counts), ...f.counts })),
    comparison: training.comparison,
  };
}

export function lossCsv(history: TrainingView['history']): string {
  return toCsv(
    ['step', 'mlm_loss', 'nsp_loss', 'total_loss', 'mlm_accuracy', 'nsp_accuracy', 'learning_rate', 'ms'],
    history.map((p) => [p.step, p.mlm, p.nsp, p.total, p.mlmAccuracy, p.nspAccuracy, p.learningRate, p.ms]),
  );
}

/** One row per row of E_token: its counters over the run and its last step. */
export function rowsCsv(rows: NonNullable<TrainingView['rows']>, vocab: readonly string[] | null): string {
  const out: CsvCell[][] = [];
  for (let id = 0; id < rows.vocabSize; id++) {
    const cause = rows.last ? ROW_CAUSES[rows.last.causes[id]!] : undefined;
    out.push([
      id,
      vocab?.[id],
      rows.frequency[id],
      rows.byCause.lookup[id],
      rows.byCause.output[id],
      rows.byCause.momentum[id],
      rows.byCause.unchanged[id],
      rows.byCause.stalled[id],
      cause,
      f32(rows.lastUpdateNorm[id]!),
    ]);
  }
  return toCsv(
    [
      'id',
      'token',
      'frequency',
      'lookup_steps',
      'output_steps',
      'momentum_steps',
      'unchanged_steps',
      'stalled_steps',
      'last_cause',
      'last_update_norm',
    ],
    out,
  );
}

// Embedding sum

export interface SumExportInput {
  readonly trace: PairTrace;
  readonly sentenceA: string;
  readonly sentenceB: string;
  readonly settings: EngineSettings;
  readonly backend: BackendName | null;
}

/** The settings that made an export's numbers: the model, its seed and how it was trained. */
export function modelSettings(settings: EngineSettings) {
  const { preset, seed, optimizer, learningRate, tieOutputEmbeddings, batchSize, seqLength } = settings;
  return { preset, seed, optimizer, learningRate, tieOutputEmbeddings, batchSize, seqLength };
}

export function sumJson(input: SumExportInput, now: Date) {
  const { trace, settings } = input;
  return {
    ...exportHeader('embedding-sum', 'sum', now),
    sentenceA: input.sentenceA,
    sentenceB: input.sentenceB === '' ? null : input.sentenceB,
    model: modelSettings(settings),
    backend: input.backend,
    step: trace.step,
    seqLength: trace.seqLength,
    hidden: trace.hidden,
    maxPositions: trace.maxPositions,
    truncatedPieces: trace.truncatedPieces,
    layerNormEps: trace.layerNormEps,
    tokens: [...trace.tokens],
    inputIds: [...trace.inputIds],
    tokenTypeIds: [...trace.tokenTypeIds],
    gamma: numbers(trace.gamma),
    beta: numbers(trace.beta),
    positions: Array.from({ length: trace.seqLength }, (_, p) => {
      const v = positionVectors(trace, p);
      return {
        position: p,
        token: v.token,
        tokenId: v.tokenId,
        segmentId: v.segment,
        tokenEmbedding: numbers(v.tokenRow),
        segmentEmbedding: numbers(v.segmentRow),
        positionEmbedding: numbers(v.positionRow),
        sum: numbers(v.total),
        mean: f32(v.mean),
        variance: f32(v.variance),
        normalized: numbers(v.normalized),
        layerNormOutput: numbers(v.output),
      };
    }),
  };
}

/** Long form: one row per position and column j, from the lookups to LayerNorm's output. */
export function sumCsv(trace: PairTrace): string {
  const rows: CsvCell[][] = [];
  for (let p = 0; p < trace.seqLength; p++) {
    const v = positionVectors(trace, p);
    for (let j = 0; j < trace.hidden; j++) {
      rows.push([
        p,
        v.token,
        v.tokenId,
        v.segment,
        j,
        f32(v.tokenRow[j]!),
        f32(v.segmentRow[j]!),
        f32(v.positionRow[j]!),
        f32(v.total[j]!),
        f32(v.mean),
        f32(v.variance),
        f32(v.normalized[j]!),
        f32(trace.gamma[j]!),
        f32(trace.beta[j]!),
        f32(v.output[j]!),
      ]);
    }
  }
  return toCsv(
    [
      'position',
      'token',
      'token_id',
      'token_type_id',
      'column',
      'token_embedding',
      'segment_embedding',
      'position_embedding',
      'sum',
      'mean',
      'variance',
      'normalized',
      'gamma',
      'beta',
      'layernorm_output',
    ],
    rows,
  );
}
