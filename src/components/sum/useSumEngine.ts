import { useEffect } from 'react';
import { useLab } from '../../store/context';

/**
 * Keeps the Embedding sum view's trace current: starts the engine if nobody has (once the link and
 * a saved session have had their turn), and reads the trace again whenever the pair, the engine's
 * step or its status changes (a restart included).
 */
export function useSumEngine(active: boolean): void {
  const status = useLab((s) => s.training.status);
  const step = useLab((s) => s.training.snapshot?.step ?? -1);
  const sentenceA = useLab((s) => s.sentenceA);
  const sentenceB = useLab((s) => s.sentenceB);
  const autoStartTraining = useLab((s) => s.autoStartTraining);
  const held = useLab((s) => s.training.autoStartHolds > 0);
  const refreshSum = useLab((s) => s.refreshSum);

  useEffect(() => {
    if (active && status === 'idle' && !held) autoStartTraining();
  }, [active, status, held, autoStartTraining]);

  useEffect(() => {
    if (active && status === 'ready') void refreshSum();
  }, [active, status, step, sentenceA, sentenceB, refreshSum]);
}
