import { useEffect, useRef, useState } from 'react';
import type { LearnedReport } from '../../core/learned/types';
import { useLab } from '../../store/context';

/**
 * While Play runs, the view shows a new report at most this often. The Worker posts one after
 * every step (~9 a second on the default model); redrawing the heatmap, two maps and the lists for
 * each cost the page frames, and four a second still show the band and the neighbours moving.
 */
const LEARNED_PACE_MS = 250;

/**
 * The Worker's last report, paced while training plays (the newest is always shown last); at once
 * otherwise, so Step, a new pick or a new k show their numbers as soon as they come.
 */
export function usePacedReport(): LearnedReport | null {
  const report = useLab((s) => s.learned);
  const playing = useLab((s) => s.training.snapshot?.playing ?? false);
  const [shown, setShown] = useState(report);
  const lastShown = useRef(-Infinity);
  useEffect(() => {
    const show = () => {
      lastShown.current = performance.now();
      setShown(report);
    };
    const wait = playing ? lastShown.current + LEARNED_PACE_MS - performance.now() : 0;
    if (wait <= 0) return show();
    // A newer report replaces this timer with one due at the same time.
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [report, playing]);
  return playing ? shown : report;
}
