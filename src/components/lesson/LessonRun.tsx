import type { LessonChapter } from '../../core/lesson/chapters';
import { useLab } from '../../store/context';
import { ProgressBar } from '../ProgressBar';
import { LessonResult } from './LessonResult';

/** The Run button, the run's progress, and once it has run, what it showed. */
export function LessonRun({ chapter }: { chapter: LessonChapter }) {
  const running = useLab((s) => s.lesson.running);
  const progress = useLab((s) => s.lesson.progress);
  const data = useLab((s) => s.lesson.runs[chapter.id] ?? null);
  const error = useLab((s) => s.lesson.errors[chapter.id] ?? null);
  const picked = useLab((s) => s.lesson.predictions[chapter.id] ?? null);
  const run = useLab((s) => s.runLesson);
  const busyHere = running === chapter.id;
  return (
    <section className="lesson-run" aria-labelledby={`lesson-run-${chapter.id}`}>
      <h3 id={`lesson-run-${chapter.id}`} className="sr-only">
        Run
      </h3>
      <div className="button-row">
        <button
          type="button"
          className="lesson-run-button"
          data-testid="lesson.run"
          disabled={running !== null}
          aria-describedby={picked === null ? `lesson-run-hint-${chapter.id}` : undefined}
          onClick={() => void run(chapter.id)}
        >
          {busyHere ? 'Running…' : data ? 'Run again' : 'Run it'}
        </button>
        {picked === null && !data && (
          <span id={`lesson-run-hint-${chapter.id}`} className="muted lesson-hint">
            Make a prediction first, or just run it.
          </span>
        )}
      </div>
      <div role="status" aria-live="polite" className="lesson-status">
        {busyHere && progress && (
          <>
            <ProgressBar
              fraction={progress.total ? progress.done / progress.total : null}
              label="Lesson run"
              valueText={progress.label}
              testId="lesson.progress"
            />
            <p className="muted lesson-progress-label">{progress.label}</p>
          </>
        )}
        {running !== null && !busyHere && (
          <p className="muted">Another chapter is still finishing its run…</p>
        )}
      </div>
      {error && (
        <p className="message error" role="alert" data-testid="lesson.error">
          The run failed: {error}
        </p>
      )}
      {data && !busyHere && <LessonResult chapter={chapter} data={data} picked={picked} />}
    </section>
  );
}
