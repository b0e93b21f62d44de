import type { LessonChapter } from '../../core/lesson/chapters';
import type { LessonQuestion } from '../../core/lesson/chapterTypes';
import type { LessonRunData } from '../../store/lessonTypes';
import { FullLabLink, useEmbedding } from '../embedding';
import { LessonFigure } from './LessonFigure';

/** The learner's prediction set against what the run bore out. */
function verdict(picked: string | null, answer: string | null, labelOf: (id: string) => string): string {
  if (answer === null)
    return 'This run did not bear the chapter’s claim out: read its numbers below to see what happened instead.';
  const shown = `“${labelOf(answer)}”`;
  if (picked === null) return `The run shows: ${shown}.`;
  if (picked === answer) return `You predicted ${shown}, and the run bears it out.`;
  return `You predicted “${labelOf(picked)}”; the run shows ${shown}.`;
}

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
  const result = data.outcome;
  // A run that does not bear the chapter's claim out says so, and names no choice as right.
  const answer = result.answer;
  const labelOf = (id: string) => chapter.question.choices.find((c) => c.id === id)?.label ?? id;
  const right = answer !== null && picked === answer;
  return (
    <section
      className="lesson-result"
      data-testid="lesson.result"
      data-answer={answer ?? ''}
      data-holds={String(result.claim.holds)}
      data-claim={JSON.stringify(result.claim)}
      aria-labelledby={`lesson-result-${chapter.id}`}
    >
      <h3 id={`lesson-result-${chapter.id}`}>What the run shows</h3>
      <p
        className={
          picked === null ? 'lesson-verdict' : right ? 'lesson-verdict right' : 'lesson-verdict wrong'
        }
        data-testid="lesson.verdict"
        data-right={picked === null ? undefined : String(right)}
      >
        {verdict(picked, answer, labelOf)}
      </p>
      <LessonFigure chapter={chapter.id} data={data} />
      {result.sentences.map((s, i) => (
        <p key={i} className="lesson-sentence">
          {s}
        </p>
      ))}
      <h4>Why</h4>
      <p className="lesson-why">
        {chapter.question.why}
        <SeeAlso seeAlso={chapter.question.seeAlso} />
      </p>
    </section>
  );
}

/** The chapter's pointer at another view: in an embed, which lacks that tab, a link to the full lab there. */
function SeeAlso({ seeAlso }: { seeAlso: LessonQuestion['seeAlso'] }) {
  const embedding = useEmbedding();
  if (!seeAlso) return null;
  return (
    <>
      {' '}
      {seeAlso.text}
      {embedding && (
        <>
          {' '}
          <FullLabLink embedding={embedding} view={seeAlso.view} testId="lesson.see-also">
            Open it in the full lab
          </FullLabLink>
        </>
      )}
    </>
  );
}
