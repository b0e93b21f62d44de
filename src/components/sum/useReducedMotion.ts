import { useMediaQuery } from '../useMediaQuery';

/** True when the learner asked the system for less motion: the view then cuts instead of animating. */
export function useReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}
