import type { LessonChapter } from '../../core/lesson/chapters';
import type { LessonRunData } from '../../store/lessonTypes';
import { resultOf } from './resultOf';

/** What the run showed, in sentences with its own numbers, and how it compares with the prediction. */
export function LessonResult({
  chapter,
  data,
  picked,
}: {
  chapter: LessonChapter;
  data: LessonRunData;
  picked: string | null;
}) {
  const result = resultOf(chapter, data);
  const labelOf = (id: string) => chapter.question.choices.find((c) => c.id === id)?.label ?? id;
  const right = picked === result.answer;
  return (
    <section
      className="lesson-result"
      data-testid="lesson.result"
      data-answer={result.answer}
      data-holds={String(result.holds)}
      aria-labelledby={`lesson-result-${chapter.id}`}
    >
      <h3 id={`lesson-result-${chapter.id}`}>What the run shows</h3>
      {picked !== null && (
        <p className={right ? 'lesson-verdict right' : 'lesson-verdict wrong'} data-testid="lesson.verdict">
          {right ? 'Your prediction holds: ' : 'Not what you predicted. You said: '}
          <q>{labelOf(picked)}</q>
          {right ? '.' : `; the run shows: ${labelOf(result.answer)}.`}
        </p>
      )}
      {picked === null && (
        <p className="lesson-verdict" data-testid="lesson.verdict">
          The run shows: {labelOf(result.answer)}.
        </p>
      )}
      {result.sentences.map((s, i) => (
        <p key={i} className="lesson-sentence">
          {s}
        </p>
      ))}
      <h4>Why</h4>
      <p className="lesson-why">{chapter.question.why}</p>
    </section>
  );
}
