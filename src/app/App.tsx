import { useCallback, useEffect } from 'react';
import { PackView } from '../components/pack/PackView';
import { useLab } from '../store/context';
import { BERT_VOCAB, loadVocab } from './loadVocab';

function useBertVocab() {
  const setVocab = useLab((s) => s.setVocab);
  const load = useCallback(() => {
    let cancelled = false;
    setVocab({ kind: 'loading' });
    loadVocab(BERT_VOCAB.path).then(
      (tokens) => !cancelled && setVocab({ kind: 'ready', name: BERT_VOCAB.name, tokens }),
      (error: unknown) =>
        !cancelled &&
        setVocab({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [setVocab]);
  useEffect(load, [load]);
  return load;
}

export function App() {
  const vocab = useLab((s) => s.vocab);
  const retry = useBertVocab();
  return (
    <div className="app">
      <header className="app-header">
        <h1>BERT Embedding Lab</h1>
        <p className="tagline">
          How BERT&rsquo;s input embeddings are made: first the text becomes word pieces and ids. Everything
          runs in your browser; your text never leaves it.
        </p>
      </header>
      <main>
        {vocab.kind === 'loading' && (
          <p className="message" role="status" data-testid="vocab.loading">
            Loading the bert-base-uncased vocabulary (30,522 word pieces)…
          </p>
        )}
        {vocab.kind === 'error' && (
          <div className="message error" role="alert" data-testid="vocab.error">
            Could not load the vocabulary: {vocab.message}.{' '}
            <button type="button" onClick={retry}>
              Try again
            </button>
          </div>
        )}
        {vocab.kind === 'ready' && <PackView vocab={vocab.tokens} />}
      </main>
      <footer className="app-footer muted">
        Vocabulary: bert-base-uncased (
        {vocab.kind === 'ready' ? vocab.tokens.length.toLocaleString('en-US') : '30,522'} word pieces).
        Tokenizer checked id for id against Hugging Face&rsquo;s reference.
      </footer>
    </div>
  );
}
