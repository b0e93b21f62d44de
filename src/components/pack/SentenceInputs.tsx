import { useId } from 'react';
import { useLab } from '../../store/context';
import { FullLabLink, useEmbedding } from '../embedding';
import { MAX_INPUT_CHARS, MAX_POSITIONS, type PackView } from './derivePack';

const count = (n: number) => n.toLocaleString('en-US');

function SentenceField(props: {
  label: string;
  hint: string;
  testId: string;
  value: string;
  onChange: (text: string) => void;
}) {
  const id = useId();
  const over = props.value.length > MAX_INPUT_CHARS;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        data-testid={props.testId}
        value={props.value}
        rows={3}
        spellCheck={false}
        aria-describedby={`${id}-count`}
        aria-invalid={over}
        onChange={(event) => props.onChange(event.target.value)}
      />
      <div id={`${id}-count`} className={over ? 'field-count over' : 'field-count'}>
        {props.hint} · {count(props.value.length)} / {count(MAX_INPUT_CHARS)} characters
      </div>
    </div>
  );
}

/** Which vocabulary tokenizes: bert-base-uncased, or one learned in the Vocabulary view. */
function VocabChoice({ vocabName, vocabSize }: { vocabName: string; vocabSize: number }) {
  const learned = useLab((s) => s.learnedVocab);
  const packVocab = useLab((s) => s.packVocab);
  const setPackVocab = useLab((s) => s.setPackVocab);
  const id = useId();
  const embedding = useEmbedding();
  if (!learned) {
    return (
      <p className="muted vocab-name" data-testid="pack.vocab-name">
        {embedding ? (
          <>
            Vocabulary: {vocabName} ({vocabSize.toLocaleString('en-US')} tokens).{' '}
            <FullLabLink embedding={embedding} view="vocab" testId="pack.vocab-link">
              Train your own in the full lab
            </FullLabLink>
          </>
        ) : (
          <>
            Vocabulary: {vocabName} ({vocabSize.toLocaleString('en-US')} tokens). Train your own in the
            Vocabulary view.
          </>
        )}
      </p>
    );
  }
  return (
    <div className="field field-inline">
      <label htmlFor={id}>Vocabulary</label>
      <select
        id={id}
        data-testid="pack.vocab"
        value={packVocab}
        onChange={(event) => setPackVocab(event.target.value === 'learned' ? 'learned' : 'bert')}
      >
        <option value="bert">bert-base-uncased (30,522 tokens)</option>
        <option value="learned">
          {learned.name} ({learned.tokens.length.toLocaleString('en-US')} tokens)
        </option>
      </select>
    </div>
  );
}

export function SentenceInputs({
  maxLength,
  vocabName,
  vocabSize,
}: {
  maxLength: PackView['maxLength'];
  vocabName: string;
  vocabSize: number;
}) {
  const sentenceA = useLab((s) => s.sentenceA);
  const sentenceB = useLab((s) => s.sentenceB);
  const maxLengthInput = useLab((s) => s.maxLengthInput);
  const padToMaxLength = useLab((s) => s.padToMaxLength);
  const setSentenceA = useLab((s) => s.setSentenceA);
  const setSentenceB = useLab((s) => s.setSentenceB);
  const setMaxLengthInput = useLab((s) => s.setMaxLengthInput);
  const setPadToMaxLength = useLab((s) => s.setPadToMaxLength);
  const maxId = useId();

  return (
    <section className="panel inputs" aria-labelledby={`${maxId}-title`}>
      <h2 id={`${maxId}-title`}>Your sentence pair</h2>
      <div className="inputs-grid">
        <SentenceField
          label="Sentence A"
          hint="segment 0"
          testId="pack.input-a"
          value={sentenceA}
          onChange={setSentenceA}
        />
        <SentenceField
          label="Sentence B (optional)"
          hint="segment 1; leave empty for one sentence"
          testId="pack.input-b"
          value={sentenceB}
          onChange={setSentenceB}
        />
      </div>
      <div className="inputs-options">
        <div className="field field-inline">
          <label htmlFor={maxId}>Max length</label>
          <input
            id={maxId}
            data-testid="pack.max-length"
            type="number"
            inputMode="numeric"
            min={3}
            max={MAX_POSITIONS}
            step={1}
            value={maxLengthInput}
            aria-invalid={!maxLength.ok}
            aria-describedby={`${maxId}-help`}
            onChange={(event) => setMaxLengthInput(event.target.value)}
          />
          <span id={`${maxId}-help`} className="muted">
            tokens, specials included (BERT allows up to {MAX_POSITIONS})
          </span>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="pack.pad"
            checked={padToMaxLength}
            onChange={(event) => setPadToMaxLength(event.target.checked)}
          />
          Pad with [PAD] to the max length
        </label>
        <VocabChoice vocabName={vocabName} vocabSize={vocabSize} />
      </div>
      {!maxLength.ok && (
        <p className="message error" role="alert" data-testid="pack.max-length-error">
          {maxLength.message}
        </p>
      )}
    </section>
  );
}
