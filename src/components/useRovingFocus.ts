import { useCallback, useState, type FocusEvent, type KeyboardEvent } from 'react';

/**
 * Roving tabindex for a long list of chips: the list is one Tab stop, and the arrow keys, Home and
 * End move between its items (WAI-ARIA Authoring Practices, "keyboard navigation inside components").
 * Items carry `data-roving-index`; the item at `active` gets tabIndex 0, the rest -1.
 */
export function useRovingFocus(count: number) {
  const [activeRaw, setActive] = useState(0);
  const active = Math.min(activeRaw, Math.max(0, count - 1));

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const keys: Record<string, (i: number) => number> = {
        ArrowRight: (i) => i + 1,
        ArrowDown: (i) => i + 1,
        ArrowLeft: (i) => i - 1,
        ArrowUp: (i) => i - 1,
        Home: () => 0,
        End: () => count - 1,
      };
      const move = keys[event.key];
      const current = (event.target as HTMLElement).closest<HTMLElement>('[data-roving-index]');
      if (!move || !current) return;
      const next = Math.min(count - 1, Math.max(0, move(Number(current.dataset.rovingIndex))));
      const target = event.currentTarget.querySelector<HTMLElement>(`[data-roving-index="${next}"]`);
      if (!target) return;
      event.preventDefault();
      setActive(next);
      target.focus();
    },
    [count],
  );

  const onFocus = useCallback((event: FocusEvent<HTMLElement>) => {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-roving-index]');
    if (current) setActive(Number(current.dataset.rovingIndex));
  }, []);

  return { active, onKeyDown, onFocus };
}
