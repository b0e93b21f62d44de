/**
 * The Lesson view's state: which chapter is on show, the learner's prediction for each chapter,
 * and the data of each chapter's run. A chapter's run uses the lesson's own training engine and
 * vocabulary trainer (their own Workers), never the Training or Vocabulary view's, so a lesson
 * leaves the learner's own model exactly where it was.
 */
import type { EngineSettings } from '../core/domain/settings';
import type { EmbeddingTables, PairTrace } from '../engine/session';
import type { StepReport } from '../core/train/pure';
import type { TrainEngineClient } from '../engine/trainClient';
import type { FromEngine } from '../engine/trainProtocol';
import type { LessonResult } from '../core/lesson/result';

/** One training run of a chapter: its settings and every step's report, as the engine sent them. */
export interface LessonEngineRun {
  /** The plan's id within its chapter ('untied-adam', …). */
  readonly id: string;
  /** What this run shows, in a few words ("untied, SGD"). */
  readonly label: string;
  readonly settings: EngineSettings;
  readonly reports: readonly StepReport[];
  /** E_token rows watched across the run: values[t][i] is row ids[i] (token tokens[i]) after step t (0: the start). */
  readonly watched: {
    readonly tokens: readonly string[];
    readonly ids: readonly number[];
    readonly values: readonly Float32Array[][];
  } | null;
  /** The position table after each step (0: the start), for runs that watch the tables: [P·H] each. */
  readonly positions: readonly Float32Array[] | null;
  /** The position table at step 0, every few steps and after the last, for runs that watch it (learned). */
  readonly positionTables: readonly PositionTable[] | null;
  /** The tables (and the chapter's pair's trace) before any step, for runs of no steps. */
  readonly start: { readonly tables: EmbeddingTables; readonly trace: PairTrace | null } | null;
}

/** The position table as read from the engine at one step: [count, hidden], row-major. */
export interface PositionTable {
  readonly step: number;
  readonly count: number;
  readonly hidden: number;
  readonly position: Float32Array;
}

/**
 * A chapter's result as core/lesson states it: sentences with the run's numbers, the choice the
 * run bears out, and the claim tests compare with the engine's report.
 */
export type LessonOutcome = LessonResult<{ readonly holds: boolean }> & {
  /** The wordpiece chapter's merges (its trainer's steps). */
  readonly mergeSteps?: number;
};

/** Everything a chapter's run produced. */
export interface LessonRunData {
  readonly chapter: string;
  readonly engine: readonly LessonEngineRun[];
  readonly outcome: LessonOutcome;
  /** Wall-clock milliseconds the run took. */
  readonly ms: number;
}

export interface LessonProgress {
  readonly done: number;
  readonly total: number;
  /** What runs now, in words. */
  readonly label: string;
}

export interface LessonView {
  /** The chapter asked for (a link may ask for one that does not exist: the view says so). */
  chapter: string;
  /** The learner's choice per chapter id. */
  predictions: Readonly<Record<string, string>>;
  /** The chapter running now, or null. */
  running: string | null;
  progress: LessonProgress | null;
  /** The last finished run per chapter id. */
  runs: Readonly<Record<string, LessonRunData>>;
  /** The lesson engine's last step report (of whichever chapter ran last). */
  lastReport: StepReport | null;
  /** The lesson engine's step. */
  step: number;
  /** Why the last run failed, per chapter id. */
  errors: Readonly<Record<string, string>>;
}

export interface LessonSlice {
  lesson: LessonView;
  setLessonChapter(chapter: string): void;
  predictLesson(chapter: string, choice: string): void;
  /** Runs the chapter on the lesson's own engine; a second call while one runs does nothing. */
  runLesson(chapter: string): Promise<void>;
  /** Stops the run in progress at its next step (leaving the view, a new chapter). */
  cancelLesson(): void;
  /** The lesson's own engine, made on first use. */
  lessonEngine(): TrainEngineClient;
  /** What the lesson's engine pushes unasked (step reports, snapshots), reduced into this state. */
  receiveLessonPush(push: Exclude<FromEngine, { type: 'reply' }>): void;
  /** Ends the lesson's Workers (an embed removed from the page). */
  disposeLesson(): void;
}
