import type { MergeStep } from '../../core/tokenizer/train';
import { useLab } from '../../store/context';

const number = (n: number) => n.toLocaleString('en-US');

function formatScore(score: number): string {
  return score >= 0.01 ? score.toFixed(4) : score.toExponential(3);
}

/** The merge just made, with the arithmetic of its score. */
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
          </p>
          <p className="merge-math">
            {score === 'wordpiece' ? (
              <>
                score = count(ab) / (count(a) · count(b)) = {number(last.pairCount)} / (
                {number(last.leftCount)} · {number(last.rightCount)}) ={' '}
                <strong>{formatScore(last.score)}</strong>
              </>
            ) : (
              <>
                score = count(ab) = <strong>{number(last.pairCount)}</strong>
              </>
            )}
            . It changed {number(last.wordsChanged)} distinct word{last.wordsChanged === 1 ? '' : 's'}.
          </p>
          <p className="stage-help">
            {score === 'wordpiece'
              ? 'The likelihood score divides by how common each part is, so it prefers pairs whose parts rarely appear apart: merging them explains the corpus best.'
              : 'The frequency score simply takes the most common adjacent pair, so frequent parts such as "##e" get merged early.'}
          </p>
          <ol className="recent-merges" aria-label="Recent merges, newest first">
            {recent.map((step: MergeStep) => (
              <li key={step.step}>
                <span className="muted">#{step.step}</span> <code>{step.token}</code>{' '}
                <span className="muted">{formatScore(step.score)}</span>
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
