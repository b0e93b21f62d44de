import type { MergeStep } from '../../core/tokenizer/train';
import { useLab } from '../../store/context';
import { formatScore, MergeWhy } from './MergeWhy';

/** The merge just made, with the counts behind it and what each score makes of it. */
export function LastMerge() {
  const steps = useLab((s) => s.trainer.steps);
  const score = useLab((s) => s.trainer.settings.score);
  const last = steps.at(-1);
  const recent = steps.slice(-8).reverse();
  return (
    <section className="panel" aria-labelledby="last-merge-title">
      <h2 id="last-merge-title">The merge just made</h2>
      {last ? (
        <div data-testid="vocab.last-merge" data-token={last.token} data-step={last.step}>
          <p className="last-merge">
            <code>{last.pair[0]}</code> + <code>{last.pair[1]}</code> →{' '}
            <code className="new-token">{last.token}</code>
            <span className="muted">
              {' '}
              changed {last.wordsChanged.toLocaleString('en-US')} distinct word
              {last.wordsChanged === 1 ? '' : 's'}
            </span>
          </p>
          <MergeWhy step={last} kind={score} />
          <ol className="recent-merges" aria-label="Recent merges, newest first">
            {recent.map((step: MergeStep) => (
              <li key={step.step}>
                <span className="muted">#{step.step}</span> <code>{step.token}</code>{' '}
                <span className="muted">{formatScore(score, step.score)}</span>
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <p className="muted" data-testid="vocab.last-merge">
          No merges yet: every word is still split into single characters.
        </p>
      )}
    </section>
  );
}
