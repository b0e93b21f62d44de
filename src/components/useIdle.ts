import { useEffect, useState } from 'react';

/**
 * False on mount, true once the browser has been idle after it (at most `timeoutMs` later). For
 * parts of a view that need not be on its first paint, such as the export menu, whose code then
 * loads after the view is usable rather than before.
 */
export function useIdle(timeoutMs = 1000): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => setIdle(true), { timeout: timeoutMs });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(() => setIdle(true), Math.min(timeoutMs, 200));
    return () => clearTimeout(id);
  }, [timeoutMs]);
  return idle;
}
