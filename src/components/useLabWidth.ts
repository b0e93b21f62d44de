import { useLayoutEffect, useState, type RefCallback } from 'react';

/**
 * Whether the lab is at most `maxWidth` CSS pixels wide: `@container lab (max-width: …)` for a
 * component's script. The lab's width is its root's (`.lab-root`, app/styles.css), which is the
 * window's in the full page and an iframe, and the element's own in a web component, so a view in
 * a course page's column lays out by that column. Put the returned ref on any element of the view.
 */
export function useLabAtMost(maxWidth: number): [RefCallback<HTMLElement>, boolean] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [atMost, setAtMost] = useState(false);
  useLayoutEffect(() => {
    if (!element) return;
    const root = element.closest('.lab-root') ?? document.documentElement;
    // Measured once before the first paint, then on every resize of the root.
    setAtMost(root.clientWidth <= maxWidth);
    const observer = new ResizeObserver(() => setAtMost(root.clientWidth <= maxWidth));
    observer.observe(root);
    return () => observer.disconnect();
  }, [element, maxWidth]);
  return [setElement, atMost];
}
