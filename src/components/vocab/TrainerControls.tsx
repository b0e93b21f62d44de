import { useId, useState } from 'react';
import type { MergeScore } from '../../core/tokenizer/train';
import { useLab } from '../../store/context';

const number = (n: number) => n.toLocaleString('en-US');

/**
 * The three scores, default first. `vocab.score-wordpiece` is the test id this ratio had when it was
 * the default (then labelled "WordPiece likelihood"); it keeps selecting the same formula.
 */
const SCORE_CHOICES: readonly { score: MergeScore; testId: string; label: string; detail: string }[] = [
  {
    score: 'likelihood',
    testId: 'vocab.score-likelihood',
    label: 'WordPiece likelihood gain:',
    detail: 'how much the merge raises the log-likelihood of the corpus (Schuster & Nakajima, 2012)',
  },
  {
    score: 'pmi',
    testId: 'vocab.score-wordpiece',
    label: 'count(ab) / (count(a) · count(b)):',
    detail: 'the popular course formula, which ignores how often the pair occurs',
  },
  { score: 'bpe', testId: 'vocab.score-bpe', label: 'BPE frequency:', detail: 'count(ab)' },
];

function parseSetting(text: string, min: number, max: number): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/** Score, target size and minimum character frequency, and the buttons that run merges. */
export function TrainerControls() {
  const trainer = useLab((s) => s.trainer);
  const runMerges = useLab((s) => s.runMerges);
  const pauseMerges = useLab((s) => s.pauseMerges);
  const configureTrainer = useLab((s) => s.configureTrainer);
  const id = useId();
  const [sizeInput, setSizeInput] = useState(String(trainer.settings.vocabSize));
  const [minFreqInput, setMinFreqInput] = useState(String(trainer.settings.minCharFrequency));
  const size = parseSetting(sizeInput, 5, 100_000);
  const minFreq = parseSetting(minFreqInput, 1, 1_000_000);
  const ready = trainer.corpus !== null && trainer.status !== 'loading';
  const running = trainer.status === 'running';
  const finished = trainer.stopped !== null;

  const apply = (patch: { score?: MergeScore }) => {
    if (size === null || minFreq === null) return;
    configureTrainer({
      score: patch.score ?? trainer.settings.score,
      vocabSize: size,
      minCharFrequency: minFreq,
    });
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>2 · Train, one merge at a time</h2>
      <fieldset className="score-choice" disabled={!ready || running}>
        <legend>Merge score</legend>
        {SCORE_CHOICES.map(({ score, testId, label, detail }) => (
          <label key={score}>
            <input
              type="radio"
              name={`${id}-score`}
              data-testid={testId}
              checked={trainer.settings.score === score}
              onChange={() => apply({ score })}
            />
            <span>
              {label}
              <span className="muted"> {detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="inputs-options">
        <div className="field field-inline">
          <label htmlFor={`${id}-size`}>Target size</label>
          <input
            id={`${id}-size`}
            data-testid="vocab.target"
            type="number"
            min={5}
            max={100000}
            value={sizeInput}
            aria-invalid={size === null}
            disabled={running}
            onChange={(event) => setSizeInput(event.target.value)}
            onBlur={() => size !== trainer.settings.vocabSize && apply({})}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={`${id}-minfreq`}>Min. character frequency</label>
          <input
            id={`${id}-minfreq`}
            data-testid="vocab.min-frequency"
            type="number"
            min={1}
            value={minFreqInput}
            aria-invalid={minFreq === null}
            disabled={running}
            onChange={(event) => setMinFreqInput(event.target.value)}
            onBlur={() => minFreq !== trainer.settings.minCharFrequency && apply({})}
          />
        </div>
      </div>
      {(size === null || minFreq === null) && (
        <p className="message error" role="alert">
          {size === null ? 'The target size must be a whole number from 5 to 100,000. ' : ''}
          {minFreq === null ? 'The minimum character frequency must be a whole number of at least 1.' : ''}
        </p>
      )}
      <p className="muted">Changing a setting restarts training from the alphabet.</p>
      <div className="button-row" role="group" aria-label="Training">
        {[1, 10, 100].map((n) => (
          <button
            key={n}
            type="button"
            data-testid={`vocab.run-${n}`}
            disabled={!ready || running || finished}
            onClick={() => runMerges(n)}
          >
            {n === 1 ? '1 merge' : `${n} merges`}
          </button>
        ))}
        <button
          type="button"
          data-testid="vocab.run-all"
          disabled={!ready || running || finished}
          onClick={() => runMerges(Number.MAX_SAFE_INTEGER)}
        >
          To {number(trainer.settings.vocabSize)}
        </button>
        <button type="button" data-testid="vocab.pause" disabled={!running} onClick={pauseMerges}>
          Pause
        </button>
        <button
          type="button"
          data-testid="vocab.reset"
          disabled={!ready || running}
          onClick={() => apply({})}
        >
          Reset
        </button>
      </div>
      <dl className="trainer-stats">
        <div>
          <dt>Merges</dt>
          <dd data-testid="vocab.step">{number(trainer.steps.length)}</dd>
        </div>
        <div>
          <dt>Vocabulary</dt>
          <dd data-testid="vocab.size">{number(trainer.vocab.length)}</dd>
        </div>
        <div>
          <dt>Pieces per word</dt>
          <dd>{(trainer.steps.at(-1)?.piecesPerWord ?? trainer.initialPiecesPerWord).toFixed(3)}</dd>
        </div>
      </dl>
      {trainer.stopped && (
        <p className="message" role="status" data-testid="vocab.stopped">
          {trainer.stopped === 'target'
            ? `Reached the target of ${number(trainer.settings.vocabSize)} tokens.`
            : trainer.wordCount === 0 && trainer.droppedWords > 0
              ? `Nothing to train on: every word contains a character seen fewer than ${number(trainer.settings.minCharFrequency)} times. Lower the minimum character frequency.`
              : `Nothing left to merge: every word of the corpus is a single token now (${number(trainer.vocab.length)} tokens).`}
        </p>
      )}
    </section>
  );
}
