import { useId, useState } from 'react';
import type { MergeScore, StopReason } from '../../core/tokenizer/train';
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

interface ScoreChoiceProps {
  /** The radio group's name. */
  readonly name: string;
  readonly value: MergeScore;
  readonly disabled: boolean;
  readonly onChoose: (score: MergeScore) => void;
}

function ScoreChoice({ name, value, disabled, onChoose }: ScoreChoiceProps) {
  return (
    <fieldset className="score-choice" disabled={disabled}>
      <legend>Merge score</legend>
      {SCORE_CHOICES.map(({ score, testId, label, detail }) => (
        <label key={score}>
          <input
            type="radio"
            name={name}
            data-testid={testId}
            checked={value === score}
            onChange={() => onChoose(score)}
          />
          <span>
            {label}
            <span className="muted"> {detail}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

interface SettingInputProps {
  readonly id: string;
  readonly label: string;
  readonly testId: string;
  readonly min: number;
  readonly max?: number;
  /** As typed: checked on every change, applied on blur. */
  readonly value: string;
  readonly invalid: boolean;
  readonly disabled: boolean;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

function SettingInput({
  id,
  label,
  testId,
  min,
  max,
  value,
  invalid,
  disabled,
  onChange,
  onBlur,
}: SettingInputProps) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={testId}
        type="number"
        min={min}
        max={max}
        value={value}
        aria-invalid={invalid}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
    </div>
  );
}

interface RunButtonsProps {
  /** A corpus is loaded and counted. */
  readonly ready: boolean;
  readonly running: boolean;
  /** Training has stopped: the target is reached or nothing is left to merge. */
  readonly finished: boolean;
  readonly target: number;
  readonly onRun: (merges: number) => void;
  readonly onPause: () => void;
  readonly onReset: () => void;
}

function RunButtons({ ready, running, finished, target, onRun, onPause, onReset }: RunButtonsProps) {
  return (
    <div className="button-row" role="group" aria-label="Training">
      {[1, 10, 100].map((n) => (
        <button
          key={n}
          type="button"
          data-testid={`vocab.run-${n}`}
          disabled={!ready || running || finished}
          onClick={() => onRun(n)}
        >
          {n === 1 ? '1 merge' : `${n} merges`}
        </button>
      ))}
      <button
        type="button"
        data-testid="vocab.run-all"
        disabled={!ready || running || finished}
        onClick={() => onRun(Number.MAX_SAFE_INTEGER)}
      >
        To {number(target)}
      </button>
      <button type="button" data-testid="vocab.pause" disabled={!running} onClick={onPause}>
        Pause
      </button>
      <button type="button" data-testid="vocab.reset" disabled={!ready || running} onClick={onReset}>
        Reset
      </button>
    </div>
  );
}

interface TrainerStatsProps {
  readonly merges: number;
  readonly vocabSize: number;
  readonly piecesPerWord: number;
}

function TrainerStats({ merges, vocabSize, piecesPerWord }: TrainerStatsProps) {
  return (
    <dl className="trainer-stats">
      <div>
        <dt>Merges</dt>
        <dd data-testid="vocab.step">{number(merges)}</dd>
      </div>
      <div>
        <dt>Vocabulary</dt>
        <dd data-testid="vocab.size">{number(vocabSize)}</dd>
      </div>
      <div>
        <dt>Pieces per word</dt>
        <dd>{piecesPerWord.toFixed(3)}</dd>
      </div>
    </dl>
  );
}

/** Why training stopped, in words. */
function stopMessage(trainer: {
  readonly stopped: StopReason | null;
  readonly settings: { readonly vocabSize: number; readonly minCharFrequency: number };
  readonly wordCount: number;
  readonly droppedWords: number;
  readonly vocab: readonly string[];
}): string {
  if (trainer.stopped === 'target')
    return `Reached the target of ${number(trainer.settings.vocabSize)} tokens.`;
  if (trainer.wordCount === 0 && trainer.droppedWords > 0) {
    return `Nothing to train on: every word contains a character seen fewer than ${number(trainer.settings.minCharFrequency)} times. Lower the minimum character frequency.`;
  }
  return `Nothing left to merge: every word of the corpus is a single token now (${number(trainer.vocab.length)} tokens).`;
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
      <ScoreChoice
        name={`${id}-score`}
        value={trainer.settings.score}
        disabled={!ready || running}
        onChoose={(score) => apply({ score })}
      />
      <div className="inputs-options">
        <SettingInput
          id={`${id}-size`}
          label="Target size"
          testId="vocab.target"
          min={5}
          max={100000}
          value={sizeInput}
          invalid={size === null}
          disabled={running}
          onChange={setSizeInput}
          onBlur={() => size !== trainer.settings.vocabSize && apply({})}
        />
        <SettingInput
          id={`${id}-minfreq`}
          label="Min. character frequency"
          testId="vocab.min-frequency"
          min={1}
          value={minFreqInput}
          invalid={minFreq === null}
          disabled={running}
          onChange={setMinFreqInput}
          onBlur={() => minFreq !== trainer.settings.minCharFrequency && apply({})}
        />
      </div>
      {(size === null || minFreq === null) && (
        <p className="message error" role="alert">
          {size === null ? 'The target size must be a whole number from 5 to 100,000. ' : ''}
          {minFreq === null ? 'The minimum character frequency must be a whole number of at least 1.' : ''}
        </p>
      )}
      <p className="muted">Changing a setting restarts training from the alphabet.</p>
      <RunButtons
        ready={ready}
        running={running}
        finished={finished}
        target={trainer.settings.vocabSize}
        onRun={runMerges}
        onPause={pauseMerges}
        onReset={() => apply({})}
      />
      <TrainerStats
        merges={trainer.steps.length}
        vocabSize={trainer.vocab.length}
        piecesPerWord={trainer.steps.at(-1)?.piecesPerWord ?? trainer.initialPiecesPerWord}
      />
      {trainer.stopped && (
        <p className="message" role="status" data-testid="vocab.stopped">
          {stopMessage(trainer)}
        </p>
      )}
    </section>
  );
}
