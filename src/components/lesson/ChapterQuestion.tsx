import type { LessonChapter } from '../../core/lesson/chapters';
import { useLab } from '../../store/context';

/** The chapter's question as radio buttons: the learner's pick is kept and compared after the run. */
export function ChapterQuestion({ chapter }: { chapter: LessonChapter }) {
  const picked = useLab((s) => s.lesson.predictions[chapter.id] ?? null);
  const predict = useLab((s) => s.predictLesson);
  const name = `lesson-predict-${chapter.id}`;
  return (
    <fieldset className="lesson-predict" data-testid="lesson.predict">
      <legend>
        <span className="lesson-step-label">Predict.</span> {chapter.question.prompt}
      </legend>
      {chapter.question.choices.map((choice) => (
        <label key={choice.id} className="lesson-choice">
          <input
            type="radio"
            name={name}
            value={choice.id}
            checked={picked === choice.id}
            onChange={() => predict(chapter.id, choice.id)}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
