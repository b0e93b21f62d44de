import { LESSON_CHAPTERS } from '../../core/lesson/chapters';
import { useLab } from '../../store/context';
import { useLabAtMost } from '../useLabWidth';

/** The layout puts the list above the chapter where the lab is this wide or less (lesson.css says the same). */
const NARROW_PX = 760;

function ChapterList({ current, onPick }: { current: string; onPick: () => void }) {
  const setChapter = useLab((s) => s.setLessonChapter);
  const runs = useLab((s) => s.lesson.runs);
  return (
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
  );
}

/**
 * The chapters in order, the current one marked for screen readers too. In a narrow lab the list
 * would push the chapter a screen down, so it folds into one line that opens it (open when the
 * link named no chapter that exists, since the list is then the way on).
 */
export function ChapterNav({
  current,
  known,
  onPick,
}: {
  current: string;
  known: boolean;
  onPick: () => void;
}) {
  const [ref, narrow] = useLabAtMost(NARROW_PX);
  const list = <ChapterList current={current} onPick={onPick} />;
  if (!narrow)
    return (
      <nav className="lesson-toc" aria-label="Lesson chapters" data-testid="lesson.toc" ref={ref}>
        {list}
      </nav>
    );
  const chapter = LESSON_CHAPTERS.find((c) => c.id === current);
  return (
    <details className="lesson-toc lesson-toc-fold" data-testid="lesson.toc" open={!known} ref={ref}>
      <summary>
        Chapters{chapter ? `: ${chapter.number} of ${LESSON_CHAPTERS.length}, ${chapter.title}` : ''}
      </summary>
      <nav aria-label="Lesson chapters">{list}</nav>
    </details>
  );
}
