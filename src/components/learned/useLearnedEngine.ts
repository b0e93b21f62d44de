import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab, useLabStore } from '../../store/context';
import { watchLearned } from '../../store/controllers/learnedWatch';

/**
 * Starts the engine when the view is shown (if nobody has, once the link and a saved session have
 * had their turn), as the Embedding sum view does, and keeps the report current while the view is
 * shown: the Worker computes one after every step only while someone watches (each is a pass over
 * all V rows), so a hidden view stops the watch.
 */
export function useLearnedEngine(active: boolean): void {
  const status = useLab((s) => s.training.status);
  const held = useLab((s) => s.training.autoStartHolds > 0);
  const autoStartTraining = useLab((s) => s.autoStartTraining);
  const trainingEngine = useLab((s) => s.trainingEngine);
  useEffect(() => {
    if (active && status === 'idle') trainingEngine();
    if (active && status === 'idle' && !held) autoStartTraining();
  }, [active, status, held, autoStartTraining, trainingEngine]);
  const store = useLabStore();
  useEffect(() => (active ? watchLearned(store) : undefined), [active, store]);
}

/**
 * Picks the running model's vocabulary lacks (the micro preset learns its own 1,000-odd pieces) are
 * dropped when that model starts; returns the dropped ones for the view to say so.
 */
export function useDropUnknownPicks(): readonly string[] {
  const [vocab, picks] = useLab(useShallow((s) => [s.training.vocab, s.learnedPicks] as const));
  const unpickPiece = useLab((s) => s.unpickPiece);
  const [dropped, setDropped] = useState<readonly string[]>([]);
  useEffect(() => {
    if (!vocab) return;
    const known = new Set(vocab);
    const gone = picks.filter((p) => !known.has(p));
    if (gone.length === 0) return;
    for (const piece of gone) unpickPiece(piece);
    setDropped(gone);
  }, [vocab, picks, unpickPiece]);
  return dropped;
}
