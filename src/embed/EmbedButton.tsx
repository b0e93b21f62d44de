import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';

const EmbedPanel = lazy(() => import('./EmbedPanel').then((m) => ({ default: m.EmbedPanel })));

/** "Embed this view": shows an <iframe> snippet of the current view and state for a course page. */
export function EmbedButton() {
  const [open, setOpen] = useState(false);
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  // The panel floats over the page, so a press anywhere outside it (and its button) closes it.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const root = rootRef.current;
      if (root && !event.composedPath().includes(root)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);
  return (
    <div className="embed-share" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        data-testid="embed.button"
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        Embed this view
      </button>
      {open && (
        // The button controls this wrapper, which exists from the first frame: the panel inside may
        // still be loading its code, and aria-controls must never point at nothing.
        <div id={`${id}-panel`}>
          <Suspense fallback={null}>
            <EmbedPanel id={`${id}-embed`} onClose={close} />
          </Suspense>
        </div>
      )}
    </div>
  );
}
