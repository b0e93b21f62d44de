import { useLab } from '../../store/context';
import { useEmbedding } from '../embedding';
import { downloadBlob, textBlob } from '../export/download';

const SHOWN = 300;
const number = (n: number) => n.toLocaleString('en-US');

/** The vocabulary as it grows: learned tokens newest first, the alphabet folded away. */
export function VocabList() {
  const vocab = useLab((s) => s.trainer.vocab);
  const initialVocabSize = useLab((s) => s.trainer.initialVocabSize);
  const running = useLab((s) => s.trainer.status === 'running');
  const adoptLearnedVocab = useLab((s) => s.adoptLearnedVocab);
  const setView = useLab((s) => s.setView);
  // An embed has no Tokenize & Pack beside it, and a learned vocabulary does not travel in a link.
  const embedded = useEmbedding() !== null;
  const learned = vocab.slice(initialVocabSize).reverse();
  const alphabet = vocab.slice(0, initialVocabSize);

  return (
    <section className="panel" aria-labelledby="vocab-list-title">
      <h2 id="vocab-list-title">3 · The vocabulary</h2>
      <p>
        {number(alphabet.length)} tokens from the alphabet (5 specials, first letters and <code>##</code>{' '}
        letters) and {number(learned.length)} learned by merging.
      </p>
      <details>
        <summary>Alphabet ({number(alphabet.length)})</summary>
        <p className="token-cloud">
          {alphabet.map((t) => (
            <code key={t}>{t}</code>
          ))}
        </p>
      </details>
      <p
        className="token-cloud"
        role="group"
        aria-label="Learned tokens, newest first"
        data-testid="vocab.learned"
      >
        {learned.slice(0, SHOWN).map((t, i) => (
          <code key={t} className={i === 0 ? 'fresh' : undefined}>
            {t}
          </code>
        ))}
        {learned.length > SHOWN && (
          <span className="muted"> … and {number(learned.length - SHOWN)} older</span>
        )}
      </p>
      <div className="button-row">
        <button
          type="button"
          data-testid="vocab.export"
          disabled={vocab.length === 0}
          // vocab.txt: one token per line, the line number is the id. The temporary link goes beside
          // the button, not inside it, or its click would bubble back into this handler.
          onClick={(event) =>
            downloadBlob(
              textBlob(`${vocab.join('\n')}\n`, 'text/plain'),
              'vocab.txt',
              event.currentTarget.parentElement ?? event.currentTarget,
            )
          }
        >
          Export vocab.txt
        </button>
        {!embedded && (
          <button
            type="button"
            data-testid="vocab.use"
            disabled={vocab.length === 0 || running}
            onClick={() => {
              adoptLearnedVocab();
              setView('pack');
            }}
          >
            Use it in Tokenize &amp; Pack
          </button>
        )}
      </div>
    </section>
  );
}
