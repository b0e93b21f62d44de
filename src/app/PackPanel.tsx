import { errorMessage } from '../core/errorMessage';
import { useCallback, useEffect, useState } from 'react';
import { PackView } from '../components/pack/PackView';
import { useLab } from '../store/context';
import { BERT_VOCAB, loadVocab, type DownloadProgress } from './loadVocab';
import { VocabLoading } from './VocabLoading';

/** Loads bert-base-uncased into the store from the lab's own asset base; returns a retry and the bytes so far. */
export function useBertVocab() {
  const setVocab = useLab((s) => s.setVocab);
  const assetBase = useLab((s) => s.assetBase);
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const load = useCallback(() => {
    let cancelled = false;
    setVocab({ kind: 'loading' });
    setProgress(null);
    loadVocab(BERT_VOCAB.path, assetBase, (p) => !cancelled && setProgress(p)).then(
      (tokens) => !cancelled && setVocab({ kind: 'ready', name: BERT_VOCAB.name, tokens }),
      (error: unknown) => !cancelled && setVocab({ kind: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [setVocab, assetBase]);
  useEffect(load, [load]);
  return { retry: load, progress };
}

/** The Tokenize & Pack view with its vocabulary: loading, a clear error with a retry, or the view. */
export function PackPanel() {
  const vocab = useLab((s) => s.vocab);
  const learned = useLab((s) => s.learnedVocab);
  const packVocab = useLab((s) => s.packVocab);
  const { retry, progress } = useBertVocab();
  if (packVocab === 'learned' && learned) return <PackView vocab={learned.tokens} vocabName={learned.name} />;
  if (vocab.kind === 'loading') return <VocabLoading progress={progress} />;
  if (vocab.kind === 'error') {
    return (
      <div className="message error" role="alert" data-testid="vocab.error">
        Could not load the vocabulary: {vocab.message}.{' '}
        <button type="button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <PackView vocab={vocab.tokens} vocabName={vocab.name} />;
}
