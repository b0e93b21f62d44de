import { useDeferredValue, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BertTokenizer } from '../../core/tokenizer';
import { useLab } from '../../store/context';
import { analyzeSide, derivePackView, type PackView } from './derivePack';

/**
 * The view's derived state. The inputs are deferred, so typing stays immediate and the tokens
 * catch up in the next render; each side is tokenized only when its own text changes.
 */
export function usePackView(tokenizer: BertTokenizer): { view: PackView; stale: boolean } {
  const inputs = useLab(
    useShallow((s) => ({
      sentenceA: s.sentenceA,
      sentenceB: s.sentenceB,
      maxLengthInput: s.maxLengthInput,
      padToMaxLength: s.padToMaxLength,
    })),
  );
  const deferred = useDeferredValue(inputs);
  const a = useMemo(
    () => analyzeSide(tokenizer, 'Sentence A', deferred.sentenceA),
    [tokenizer, deferred.sentenceA],
  );
  const b = useMemo(
    () => (deferred.sentenceB === '' ? null : analyzeSide(tokenizer, 'Sentence B', deferred.sentenceB)),
    [tokenizer, deferred.sentenceB],
  );
  const view = useMemo(() => derivePackView(tokenizer, deferred, { a, b }), [tokenizer, deferred, a, b]);
  return { view, stale: deferred !== inputs };
}
