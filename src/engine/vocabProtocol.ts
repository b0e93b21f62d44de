/**
 * Messages between the page and the vocabulary-trainer Worker. Only plain data crosses: the corpus
 * goes in once, merge steps come out in batches.
 */
import type { MergeScore, MergeStep, StopReason } from '../core/tokenizer/train';

/** The trainer accepts corpora up to this many bytes of UTF-8. */
export const MAX_CORPUS_BYTES = 5_000_000;

export type CorpusSource =
  | { readonly kind: 'url'; readonly url: string; readonly name: string }
  | { readonly kind: 'text'; readonly text: string; readonly name: string }
  | { readonly kind: 'file'; readonly file: File };

export interface TrainerSettings {
  readonly vocabSize: number;
  readonly score: MergeScore;
  readonly minCharFrequency: number;
}

export type ToTrainer =
  | { readonly type: 'load'; readonly source: CorpusSource; readonly settings: TrainerSettings }
  | { readonly type: 'configure'; readonly settings: TrainerSettings }
  | { readonly type: 'run'; readonly steps: number }
  | { readonly type: 'pause' };

export interface CorpusStats {
  readonly name: string;
  readonly bytes: number;
  readonly words: number;
  readonly distinctWords: number;
}

export interface TrainerReset {
  readonly vocab: readonly string[];
  readonly initialVocabSize: number;
  readonly initialPiecesPerWord: number;
  readonly droppedChars: readonly string[];
  readonly droppedWords: number;
  readonly wordCount: number;
  readonly stopped: StopReason | null;
}

export type FromTrainer =
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'loaded'; readonly corpus: CorpusStats; readonly reset: TrainerReset }
  | { readonly type: 'reset'; readonly reset: TrainerReset }
  | {
      readonly type: 'steps';
      readonly steps: readonly MergeStep[];
      readonly stopped: StopReason | null;
      readonly running: boolean;
    }
  | { readonly type: 'error'; readonly message: string; readonly during: 'load' | 'configure' | 'run' };
