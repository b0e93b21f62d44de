import { createContext, useContext, useLayoutEffect, useRef, type DependencyList } from 'react';
import { createDrawQueue } from './drawQueue';

/**
 * Whether the view around a chart is on screen. A view hidden behind another tab stays mounted and
 * its state keeps following training, but drawing its charts would be work nobody sees: the
 * Training view's map and charts cost the Embedding sum view several milliseconds a step. A chart
 * in a hidden view draws once when the view is shown again.
 */
export const DrawShown = createContext(true);

/**
 * Milliseconds of redraws per animation frame. A step of the default model redraws the map, two
 * loss charts, the frequency plot and the schedule, 10–20 ms together on a slow machine: drawn in
 * one task they made a frame of 50 ms and more; shared out, each frame stays near 16.7 ms.
 */
const DRAW_BUDGET_MS = 6;

const queue = createDrawQueue(
  (callback) => requestAnimationFrame(callback),
  () => performance.now(),
  DRAW_BUDGET_MS,
);

interface Observed<E> {
  readonly element: E;
  readonly parent: HTMLElement;
  readonly observer: ResizeObserver;
  /** The parent's clientWidth as of the last resize: reading it again would force a layout. */
  width: number;
}

/**
 * d3 draws, React owns the element: returns a ref for an <svg> (or a <canvas>) and calls
 * `draw(element, width)` when the element mounts, and in a coming animation frame after each
 * render that changes `deps` and each change of the parent's width (see drawQueue: redraws share
 * frames under a budget, and a chart asked twice before its turn draws once, with its newest data).
 *
 * The parent's width is read once when the element mounts and then only inside the
 * ResizeObserver's callback, which runs after layout. A draw caused by new data (a training step,
 * many times a second) reads no layout: reading clientWidth right after React and d3 have written
 * to the DOM forces a layout, once per chart, and a new observer per render redrew every chart a
 * second time in the next frame. (Play on the default model's Training view measured 10.9–11.6
 * steps/s with this and 9.9–11.3 without, at 30 asked for: the engine's step sets the pace.)
 */
export function useDraw<E extends SVGSVGElement | HTMLCanvasElement = SVGSVGElement>(
  draw: (element: E, width: number) => void,
  deps: DependencyList,
) {
  const ref = useRef<E>(null);
  const observed = useRef<Observed<E> | null>(null);
  const latestDraw = useRef(draw);
  const shown = useContext(DrawShown);
  const latestShown = useRef(shown);

  useLayoutEffect(() => {
    const element = ref.current;
    const parent = element?.parentElement;
    if (!element || !parent) return;
    latestDraw.current = draw;
    latestShown.current = shown;
    const o = observed.current;
    if (o !== null && o.element === element && o.parent === parent) {
      if (shown) queue.schedule(o, () => latestDraw.current(o.element, o.width));
      return;
    }
    stop(o);
    const next: Observed<E> = {
      element,
      parent,
      width: parent.clientWidth,
      observer: new ResizeObserver(() => {
        const width = parent.clientWidth; // layout is fresh inside the callback
        // The callback also runs once right after observe(), and for height-only changes.
        if (width === next.width) return;
        next.width = width;
        if (latestShown.current) queue.schedule(next, () => latestDraw.current(next.element, next.width));
      }),
    };
    next.observer.observe(parent);
    observed.current = next;
    // A new chart draws at once, so it never shows empty for a frame.
    if (shown) draw(element, next.width);
    // The caller lists what `draw` depends on, as with useEffect; showing the view draws too.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, shown]);

  useLayoutEffect(
    () => () => {
      stop(observed.current);
      observed.current = null;
    },
    [],
  );
  return ref;
}

function stop(o: Observed<SVGSVGElement | HTMLCanvasElement> | null): void {
  if (o === null) return;
  o.observer.disconnect();
  queue.cancel(o);
}
