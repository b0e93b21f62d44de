import { useRef, type PointerEvent, type RefObject } from 'react';

interface Point {
  x: number;
  y: number;
}

/** How far (CSS px) a finger travels before a touch counts as a drag rather than a tap. */
const DRAG_SLOP = 4;

/**
 * Touch pan and pinch for a canvas inside a scrolling frame, with Pointer Events: one finger
 * drags the frame's scroll offset, two fingers zoom about their midpoint (the zoom is the frame's
 * own, set through `zoomAbout`) and pan with it. The canvas has `touch-action: none`, so the
 * browser leaves these gestures to us; the page scrolls as usual everywhere else.
 */
export function useTouchPanZoom(
  frameRef: RefObject<HTMLElement | null>,
  zoomRef: RefObject<number>,
  zoomAbout: (next: number, clientX?: number, clientY?: number) => void,
) {
  const pointers = useRef(new Map<number, Point>());
  const pinch = useRef<{ distance: number; zoom: number } | null>(null);
  const dragged = useRef(false);
  const start = useRef<Point | null>(null);

  const twoFingers = () => {
    const [a, b] = [...pointers.current.values()];
    if (!a || !b) return null;
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  };

  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    if (event.pointerType !== 'touch') return;
    // Capture keeps the moves coming when a finger leaves the canvas mid-gesture.
    event.currentTarget.setPointerCapture?.(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.current.size === 1) {
      dragged.current = false;
      start.current = { x: event.clientX, y: event.clientY };
    }
    const two = twoFingers();
    if (two && pointers.current.size === 2) pinch.current = { distance: two.distance, zoom: zoomRef.current };
  };

  /** Pans or pinches; true when the move belonged to a gesture (the caller then skips hover picking). */
  const onPointerMove = (event: PointerEvent<HTMLElement>): boolean => {
    const last = pointers.current.get(event.pointerId);
    if (event.pointerType !== 'touch' || !last) return false;
    const frame = frameRef.current;
    const before = twoFingers();
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const after = twoFingers();
    if (pointers.current.size >= 2 && before && after && pinch.current) {
      dragged.current = true;
      if (frame) {
        // The midpoint's own travel pans, as in a map app.
        frame.scrollLeft -= after.mid.x - before.mid.x;
        frame.scrollTop -= after.mid.y - before.mid.y;
      }
      if (pinch.current.distance > 0)
        zoomAbout(pinch.current.zoom * (after.distance / pinch.current.distance), after.mid.x, after.mid.y);
      return true;
    }
    const from = start.current;
    if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > DRAG_SLOP)
      dragged.current = true;
    if (!dragged.current) return false;
    if (frame) {
      frame.scrollLeft -= event.clientX - last.x;
      frame.scrollTop -= event.clientY - last.y;
    }
    return true;
  };

  const onPointerEnd = (event: PointerEvent<HTMLElement>) => {
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
    if (pointers.current.size === 0) start.current = null;
  };

  return { onPointerDown, onPointerMove, onPointerEnd };
}
