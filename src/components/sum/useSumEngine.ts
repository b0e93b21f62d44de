import { useEffect, useRef } from 'react';
import { useLab } from '../../store/context';
import { stepZeroFor } from '../../store/stepZero';

/**
 * While training plays, the view reads the trace and the tables at most this often. Each read is
 * the engine's own numbers for one step (V × H floats of E_token from the Worker, then five canvases
 * redrawn): every step of the default model, ~9 a second, cost the page about a third of its frames
 * and the engine about one step in eight. Four reads a second still show each number moving.
 */
const SUM_REFRESH_MS = 250;

/**
 * Keeps the Embedding sum view's trace current: starts the engine if nobody has (once the link and
 * a saved session have had their turn), shows a fresh run's step 0 computed in the page while the
 * engine loads, and reads the trace again whenever the pair, the engine's step or its status
 * changes (a restart included), at most once every SUM_REFRESH_MS; the last change is always read.
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
  const showSum = useLab((s) => s.showSum);
  // lab and bert-tiny speak bert-base-uncased; micro a vocabulary adopted in the page (without one,
  // the Worker trains it first and there is no step 0 to show until it has).
  const tokens = useLab((s) =>
    s.training.starting?.preset === 'micro'
      ? (s.learnedVocab?.tokens ?? null)
      : s.vocab.kind === 'ready'
        ? s.vocab.tokens
        : null,
  );
  const lastRead = useRef(-Infinity);

  const trainingEngine = useLab((s) => s.trainingEngine);

  useEffect(() => {
    if (active && status === 'idle') trainingEngine();
    if (active && status === 'idle' && !held) autoStartTraining();
  }, [active, status, held, autoStartTraining, trainingEngine]);

  // Numbers first: a fresh run's step 0 is shown from the seed while the engine loads. An older
  // run's trace never stands in for it: without a step 0 to show, the view waits.
  useEffect(() => {
    if (active && status === 'starting' && starting !== null)
      showSum(stepZeroFor(starting, tokens, sentenceA, sentenceB));
  }, [active, status, starting, tokens, sentenceA, sentenceB, showSum]);

  useEffect(() => {
    if (!active || status !== 'ready') return;
    const read = () => {
      lastRead.current = performance.now();
      void refreshSum();
    };
    const wait = lastRead.current + SUM_REFRESH_MS - performance.now();
    if (wait <= 0) return read();
    // A newer change replaces this timer with one due at the same time: steps arriving faster than
    // the interval are read at its pace, and the latest one is read last.
    const timer = setTimeout(read, wait);
    return () => clearTimeout(timer);
  }, [active, status, step, sentenceA, sentenceB, refreshSum]);
}
