import { useDeferredValue, useId, useMemo, useState } from 'react';
import { createBertTokenizer, type Analysis } from '../../core/tokenizer';
import { useLab } from '../../store/context';
import { TokenizedSentence } from './TokenizedSentence';

const DEFAULT_PREVIEW = 'The baker sold marmalade and unbelievably fresh bread before photosynthesis began.';

function wordsPerPiece(analysis: Analysis): string {
  const words = analysis.words.length;
  return words === 0 ? '—' : (analysis.pieces.length / words).toFixed(2);
}

/** "How this sentence tokenizes now", with the learned vocabulary and with bert-base-uncased's. */
export function PreviewPanel() {
  const learned = useLab((s) => s.trainer.vocab);
  const lastToken = useLab((s) => s.trainer.steps.at(-1)?.token);
  const bert = useLab((s) => s.vocab);
  const [sentence, setSentence] = useState(DEFAULT_PREVIEW);
  const deferredSentence = useDeferredValue(sentence);
  const id = useId();

  // A new tokenizer per vocabulary snapshot: its trie is small (a few thousand tokens) and cheap.
  const learnedAnalysis = useMemo(
    () => (learned.length ? createBertTokenizer(learned).analyze(deferredSentence) : null),
    [learned, deferredSentence],
  );
  const bertTokenizer = useMemo(
    () => (bert.kind === 'ready' ? createBertTokenizer(bert.tokens) : null),
    [bert],
  );
  const bertAnalysis = useMemo(
    () => bertTokenizer?.analyze(deferredSentence) ?? null,
    [bertTokenizer, deferredSentence],
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>How this sentence tokenizes now</h2>
      <div className="field">
        <label htmlFor={`${id}-sentence`}>Sentence</label>
        <input
          id={`${id}-sentence`}
          className="wide-input"
          data-testid="vocab.preview-input"
          value={sentence}
          maxLength={2000}
          onChange={(event) => setSentence(event.target.value)}
        />
      </div>
      {learnedAnalysis ? (
        <div className="compare">
          <h3>
            Learned vocabulary ({learned.length.toLocaleString('en-US')} tokens) ·{' '}
            <span className="muted">{wordsPerPiece(learnedAnalysis)} pieces per word</span>
          </h3>
          <TokenizedSentence
            analysis={learnedAnalysis}
            label="The sentence with the learned vocabulary"
            testId="vocab.preview"
            pieceTestId="vocab.piece"
            {...(lastToken ? { fresh: lastToken } : {})}
          />
        </div>
      ) : (
        <p className="muted">Load a corpus to start from its alphabet.</p>
      )}
      {bertAnalysis && (
        <div className="compare">
          <h3>
            bert-base-uncased (30,522 tokens) ·{' '}
            <span className="muted">{wordsPerPiece(bertAnalysis)} pieces per word</span>
          </h3>
          <TokenizedSentence
            analysis={bertAnalysis}
            label="The sentence with bert-base-uncased's vocabulary"
          />
        </div>
      )}
      <p className="stage-help">
        Frequent words become whole tokens first; rare words stay split into pieces, down to single
        characters. The same greedy longest-match WordPiece runs with both vocabularies.
      </p>
    </section>
  );
}
