import { LESSON_CHAPTERS } from '../../core/lesson/chapters';
import { useLab } from '../../store/context';

/** The chapters in order: each a button, the current one marked for screen readers too. */
export function ChapterNav({ current, onPick }: { current: string; onPick: () => void }) {
  const setChapter = useLab((s) => s.setLessonChapter);
  const runs = useLab((s) => s.lesson.runs);
  return (
    <nav className="lesson-toc" aria-label="Lesson chapters" data-testid="lesson.toc">
      <ol>
        {LESSON_CHAPTERS.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="lesson-toc-item"
              data-testid="lesson.toc-item"
              data-chapter={c.id}
              aria-current={c.id === current ? 'step' : undefined}
              onClick={() => {
                setChapter(c.id);
                onPick();
              }}
            >
              <span className="lesson-toc-number">{c.number}</span>
              <span>{c.title}</span>
              {runs[c.id] && (
                <span className="lesson-toc-done">
                  <span aria-hidden="true"> ✓</span>
                  <span className="sr-only"> (run)</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
