/**
 * The bridge from a chapter's run to what the page shows: provisional, until core/lesson's result
 * functions land.
 */
import type { LessonChapter } from '../../core/lesson/chapters';
import type { LessonRunData } from '../../store/lessonTypes';

export interface ShownResult {
  /** Sentences with the run's own numbers. */
  readonly sentences: readonly string[];
  /** The choice the run bears out. */
  readonly answer: string;
  readonly holds: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

export function resultOf(chapter: LessonChapter, data: LessonRunData): ShownResult {
  const report = data.engine.at(-1)?.reports.at(-1);
  if (!report)
    return {
      sentences: [`The run took ${(data.ms / 1000).toFixed(1)} s.`],
      answer: chapter.question.correct,
      holds: true,
    };
  let moved = 0;
  for (const n of report.updateRowNorm) if (n > 0) moved++;
  return {
    sentences: [
      `${count(moved)} of ${count(report.updateRowNorm.length)} rows moved at step ${report.step}.`,
    ],
    answer: chapter.question.correct,
    holds: true,
  };
}
