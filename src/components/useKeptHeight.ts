import { useLayoutEffect, useState } from 'react';
import { useLab } from '../store/context';
import type { LabState } from '../store/types';

/**
 * Training is starting (a restart too) or playing: the live parts of the views change with every
 * step then, and an embed's host page must not follow each change (src/embed/heightReport.ts).
 */
export function trainingBusy(state: LabState): boolean {
  return state.training.status === 'starting' || (state.training.snapshot?.playing ?? false);
}

/**
 * A callback ref that reserves a live panel's size while training starts or plays: the element's
 * min-height follows the tallest it has been since then, so a step's shorter caption or batch, or a
 * restart's empty charts, leave room rather than pulling up everything below (and, in an embed,
 * the course page below the frame). A width change starts over: heights at another width mean
 * nothing. Paused, the panel takes its own height again.
 */
export function useKeptHeight<T extends HTMLElement>(): (element: T | null) => void {
  const hold = useLab(trainingBusy);
  const [element, setElement] = useState<T | null>(null);
  useLayoutEffect(() => {
    if (!element || !hold) return;
    let width = element.getBoundingClientRect().width;
    let kept = 0;
    const keep = () => {
      const rect = element.getBoundingClientRect();
      if (rect.width !== width) {
        width = rect.width;
        element.style.minHeight = '';
        kept = 0;
      }
      kept = Math.max(kept, element.getBoundingClientRect().height);
      element.style.minHeight = `${kept}px`;
    };
    keep();
    const observer = new ResizeObserver(keep);
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.style.minHeight = '';
    };
  }, [element, hold]);
  return setElement;
}
