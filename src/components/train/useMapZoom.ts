import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { MAX_ZOOM, zoomByWheel } from '../../viz/matrixMap';
import { useTouchPanZoom } from './useTouchPanZoom';

/**
 * The zoom of the matrix map's scrolling frame: `zoomAbout` zooms keeping a point still, Ctrl+wheel
 * (and a trackpad pinch, which arrives as one) zooms about the pointer, two fingers pinch
 * (useTouchPanZoom). `shown`: whether the frame is mounted, so the listeners can attach.
 */
export function useMapZoom(frameRef: RefObject<HTMLDivElement | null>, shown: boolean) {
  const [zoom, setZoom] = useState(1);
  const zoomRef = useRef(zoom);
  const anchor = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    zoomRef.current = zoom;
  }, [zoom]);
  /** Zooms to `next` keeping the point (clientX, clientY) still: content coordinates scale with the zoom. */
  const zoomAbout = useCallback(
    (next: number, clientX?: number, clientY?: number) => {
      const element = frameRef.current;
      const old = zoomRef.current;
      next = Math.min(MAX_ZOOM, Math.max(1, next));
      if (!element || next === old) return;
      const rect = element.getBoundingClientRect();
      const px = clientX === undefined ? element.clientWidth / 2 : clientX - rect.left;
      const py = clientY === undefined ? element.clientHeight / 2 : clientY - rect.top;
      const k = next / old;
      anchor.current = { x: (element.scrollLeft + px) * k - px, y: (element.scrollTop + py) * k - py };
      zoomRef.current = next;
      setZoom(next);
    },
    [frameRef],
  );
  // A plain wheel scrolls. React's wheel listeners are passive, so preventing the page zoom needs
  // our own.
  useEffect(() => {
    const element = frameRef.current;
    if (!shown || !element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoomAbout(zoomByWheel(zoomRef.current, event.deltaY, event.deltaMode), event.clientX, event.clientY);
    };
    // The visible window, for tests and tools: scroll offset in CSS pixels, read without a re-render.
    const onScroll = () => {
      const canvasElement = element.querySelector('canvas');
      if (canvasElement)
        canvasElement.dataset.offset = `${Math.round(element.scrollLeft)},${Math.round(element.scrollTop)}`;
    };
    onScroll();
    element.addEventListener('wheel', onWheel, { passive: false });
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('scroll', onScroll);
    };
  }, [frameRef, shown, zoomAbout]);
  const touch = useTouchPanZoom(frameRef, zoomRef, zoomAbout);
  useLayoutEffect(() => {
    const element = frameRef.current;
    if (!element || !anchor.current) return;
    element.scrollLeft = anchor.current.x;
    element.scrollTop = anchor.current.y;
    anchor.current = null;
  }, [frameRef, zoom]);
  return { zoom, zoomRef, zoomAbout, touch };
}
