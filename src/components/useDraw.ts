import { useLayoutEffect, useRef, type DependencyList } from 'react';

/**
 * d3 draws, React owns the element: returns a ref for an <svg> (or a <canvas>) and calls
 * `draw(element, width)` after each render that changes `deps`, and again (once per animation
 * frame) when the parent resizes.
 */
export function useDraw<E extends SVGSVGElement | HTMLCanvasElement = SVGSVGElement>(
  draw: (element: E, width: number) => void,
  deps: DependencyList,
) {
  const ref = useRef<E>(null);
  useLayoutEffect(() => {
    const svg = ref.current;
    const parent = svg?.parentElement;
    if (!svg || !parent) return;
    let frame = 0;
    const redraw = () => {
      frame = 0;
      draw(svg, parent.clientWidth);
    };
    redraw();
    const observer = new ResizeObserver(() => {
      if (!frame) frame = requestAnimationFrame(redraw);
    });
    observer.observe(parent);
    return () => {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
    // The caller lists what `draw` depends on, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}
