import { useEffect } from 'react';
import { useLab } from '../../store/context';

/**
 * Keeps the Embedding sum view's trace current: starts the engine if nobody has (once the link and
 * a saved session have had their turn), shows a fresh run's step 0 computed in the page while the
 * engine loads, and reads the trace again whenever the pair, the engine's step or its status
 * changes (a restart included).
 */
export function useSumEngine(active: boolean): void {
  const status = useLab((s) => s.training.status);
  const step = useLab((s) => s.training.snapshot?.step ?? -1);
  const sentenceA = useLab((s) => s.sentenceA);
  const sentenceB = useLab((s) => s.sentenceB);
  const autoStartTraining = useLab((s) => s.autoStartTraining);
  const held = useLab((s) => s.training.autoStartHolds > 0);
  const refreshSum = useLab((s) => s.refreshSum);
  const starting = useLab((s) => s.training.starting);
  const vocabReady = useLab((s) => s.vocab.kind === 'ready');
  const showStepZero = useLab((s) => s.showStepZero);

  useEffect(() => {
    if (active && status === 'idle' && !held) autoStartTraining();
  }, [active, status, held, autoStartTraining]);

  // Numbers first: a fresh run's step 0 is shown from the seed while the engine loads.
  useEffect(() => {
    if (active && status === 'starting' && starting !== null) showStepZero();
  }, [active, status, starting, vocabReady, sentenceA, sentenceB, showStepZero]);

  useEffect(() => {
    if (active && status === 'ready') void refreshSum();
  }, [active, status, step, sentenceA, sentenceB, refreshSum]);
}
