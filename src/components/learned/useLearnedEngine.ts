import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';

/**
 * Starts the engine when the view is shown (if nobody has, once the link and a saved session have
 * had their turn), as the Embedding sum view does; the report itself is kept current by the
 * learnedWatch controller while the view is open (see LearnedView).
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
