/**
 * The Lesson view: "How are BERT's token embeddings created?" in eight chapters. Each chapter asks
 * a question first, then runs the real tokenizer or model on the lesson's own engine and shows what
 * the run's numbers say, beside the learner's prediction.
 */
import { useEffect, useRef } from 'react';
import { isLessonChapterId, lessonChapter, LESSON_CHAPTERS } from '../../core/lesson/chapters';
import { useLab } from '../../store/context';
import { useEmbedding } from '../embedding';
import { ChapterNav } from './ChapterNav';
import { ChapterQuestion } from './ChapterQuestion';
import { LessonRun } from './LessonRun';
import './lesson.css';

function UnknownChapter({ chapter }: { chapter: string }) {
  return (
    <div className="message warn" role="alert" data-testid="lesson.unknown">
      There is no chapter called <q>{chapter.slice(0, 40)}</q>. Pick one of the {LESSON_CHAPTERS.length}{' '}
      chapters below.
    </div>
  );
}

/** Stops a run still going when the view goes away, so no Worker keeps stepping for nobody. */
function useCancelOnLeave(active: boolean) {
  const cancel = useLab((s) => s.cancelLesson);
  useEffect(() => {
    if (!active) cancel();
  }, [active, cancel]);
  useEffect(() => cancel, [cancel]);
}

export function LessonView({ active = true }: { active?: boolean }) {
  const chapterId = useLab((s) => s.lesson.chapter);
  useCancelOnLeave(active);
  const known = isLessonChapterId(chapterId);
  const heading = useRef<HTMLHeadingElement>(null);
  const embedded = useEmbedding() !== null;
  return (
    <div className="lesson-view">
      <p className="lesson-intro">
        How are BERT&rsquo;s token embeddings created? Eight short experiments on the real tokenizer and
        model: for each, predict what will happen, run it, and read what the numbers say. The lesson trains
        its own copy of the model{embedded ? '.' : ', so your run in the Training view stays where it is.'}
      </p>
      <div className="lesson-layout">
        <ChapterNav current={chapterId} known={known} onPick={() => heading.current?.focus()} />
        <div className="lesson-main">
          {known ? (
            <article
              className="panel lesson-chapter"
              data-testid="lesson.chapter"
              data-chapter={chapterId}
              aria-labelledby="lesson-chapter-title"
            >
              <ChapterBody id={chapterId} headingRef={heading} />
            </article>
          ) : (
            <UnknownChapter chapter={chapterId} />
          )}
        </div>
      </div>
    </div>
  );
}

function ChapterBody({
  id,
  headingRef,
}: {
  id: Parameters<typeof lessonChapter>[0];
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const chapter = lessonChapter(id);
  const setChapter = useLab((s) => s.setLessonChapter);
  const next = LESSON_CHAPTERS[chapter.number];
  const previous = LESSON_CHAPTERS[chapter.number - 2];
  return (
    <>
      <p className="lesson-kicker muted">
        Chapter {chapter.number} of {LESSON_CHAPTERS.length}
      </p>
      <h2 id="lesson-chapter-title" tabIndex={-1} ref={headingRef}>
        {chapter.title}
      </h2>
      <p className="lesson-lead">{chapter.lead}</p>
      <ChapterQuestion chapter={chapter} />
      <LessonRun chapter={chapter} />
      <div className="button-row lesson-pager">
        {previous && (
          <button type="button" data-testid="lesson.previous" onClick={() => setChapter(previous.id)}>
            ← {previous.title}
          </button>
        )}
        {next && (
          <button type="button" data-testid="lesson.next" onClick={() => setChapter(next.id)}>
            Next: {next.title} →
          </button>
        )}
      </div>
    </>
  );
}
