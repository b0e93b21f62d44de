/**
 * The shapes of the Lesson's chapters (chapters.ts lists them): a chapter's question, and the plan
 * of what the page runs to answer it. The ids are a public contract (?chapter=ID, data-chapter).
 */
import type { EngineSettings } from '../domain/settings';

export const LESSON_CHAPTER_IDS = [
  'wordpiece',
  'random-start',
  'joint-training',
  'only-batch-rows',
  'tied-output',
  'adam',
  'vocab-size',
  'learned',
] as const;
export type LessonChapterId = (typeof LESSON_CHAPTER_IDS)[number];

export function isLessonChapterId(value: unknown): value is LessonChapterId {
  return typeof value === 'string' && (LESSON_CHAPTER_IDS as readonly string[]).includes(value);
}

export interface LessonChoice {
  /** Stable within its chapter: what the page keeps as the learner's pick. */
  readonly id: string;
  readonly label: string;
}

export interface LessonQuestion {
  readonly prompt: string;
  readonly choices: readonly LessonChoice[];
  /** The id of the right choice; the chapter's result function derives the same id from the run. */
  readonly correct: string;
  /** Why the right choice is right: the mechanism, shown after the run, below the run's numbers. */
  readonly why: string;
  /**
   * A sentence after `why` that sends the reader to another view of the lab, with that view's id:
   * an embedded Lesson, which has no such tab, offers to open the full lab there instead.
   */
  readonly seeAlso?: { readonly view: 'learned'; readonly text: string };
}

/** The settings a lesson run may change; the backend stays the learner's (or 'auto'). */
export type LessonSettingsPatch = Partial<Omit<EngineSettings, 'backend' | 'compareOptimizer'>>;

/** What to read from the engine between steps, besides each step's StepReport. */
export interface RunWatch {
  /**
   * Read the embedding tables (token rows `tokenRows`, and all position rows) at step 0 and after
   * every step, to measure ‖row_t − row_0‖ (joint-training).
   */
  readonly tables?: { readonly tokenRows: readonly string[] };
  /** Read the position table at step 0, every `every` steps and after the last step (learned). */
  readonly positions?: { readonly every: number };
}

export interface EngineRunPlan {
  /** Names the run within its chapter ('untied-adam', …); unique per chapter. */
  readonly id: string;
  /** A short label for the run's heading: the settings that matter, in words. */
  readonly label: string;
  /** Complete settings: DEFAULT_ENGINE_SETTINGS with the chapter's patch (seed 42). */
  readonly settings: EngineSettings;
  /** Steps to take; 0 reads the untrained model only. */
  readonly steps: number;
  readonly watch?: RunWatch;
}

export type ChapterPlan =
  | {
      readonly kind: 'engine';
      readonly runs: readonly EngineRunPlan[];
      /**
       * A sentence pair to trace through the embedding sum, and two of its words whose rows are
       * compared (random-start).
       */
      readonly pair?: { readonly a: string; readonly b: string; readonly words: readonly [string, string] };
    }
  | {
      readonly kind: 'wordpiece';
      /** Train the lab's WordPiece (likelihood gain) on the built-in corpus to this many tokens. */
      readonly vocabSize: number;
      /** Words to follow through training and through bert-base-uncased. */
      readonly words: readonly string[];
      /** A sentence to tokenize with both vocabularies. */
      readonly sentence: string;
    }
  | {
      readonly kind: 'vocab-size';
      /** The smaller vocabulary; the larger is `factor` times it. */
      readonly vocabSize: number;
      readonly factor: number;
      /** A row "starves" when it occurs fewer than this many times in the tokenized corpus. */
      readonly rareBelow: number;
      /** Also run the engine this long to count lookups per row (RowStats.frequency). */
      readonly runs: readonly EngineRunPlan[];
    };

export interface LessonChapter {
  readonly id: LessonChapterId;
  /** 1-based, as shown ("Chapter 4 of 8"). */
  readonly number: number;
  readonly title: string;
  /** One or two sentences that set the scene before the question. */
  readonly lead: string;
  readonly question: LessonQuestion;
  readonly plan: ChapterPlan;
}
