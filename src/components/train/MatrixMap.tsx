import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import { orderByFrequency, ROW_CAUSES, type RowFrame, type RowStats } from '../../core/train/pure';
import { useLab } from '../../store/context';
import {
  CAUSE_LABELS,
  causePalette,
  cellAt,
  drawMatrixMap,
  matrixGrid,
  MAX_ZOOM,
  zoomByWheel,
} from '../../viz/matrixMap';
import { useColorScheme } from '../useColorScheme';
import { useDraw } from '../useDraw';
import { useTouchPanZoom } from './useTouchPanZoom';
import { movementExplanation } from './explain';
import { HistoryScrubber } from './HistoryScrubber';
import { PredictReveal } from './PredictReveal';
import { useViewedFrame } from './useViewedFrame';

type Order = 'id' | 'frequency';

/** A count as the captions write it: 30,522, not 30522. */
const n = (x: number): string => x.toLocaleString('en-US');

/** Where the cursor row sits in the layout, and the row at a layout cell. */
function layout(order: Uint32Array | null, V: number) {
  if (!order) return { rowAt: (cell: number) => cell, cellOf: (row: number) => row };
  const inverse = new Uint32Array(V);
  order.forEach((row, cell) => (inverse[row] = cell));
  return { rowAt: (cell: number) => order[cell]!, cellOf: (row: number) => inverse[row]! };
}

interface RowDetailsProps {
  readonly rows: RowStats;
  readonly frame: RowFrame;
  readonly row: number;
  readonly vocab: readonly string[] | null;
}

function RowDetails({ rows, frame, row, vocab }: RowDetailsProps) {
  const cause = ROW_CAUSES[frame.causes[row]!];
  return (
    <p className="row-details" data-testid="train.row" data-row={row} aria-live="polite">
      Row <strong>{row}</strong> <code data-testid="train.row-token">{vocab?.[row] ?? '?'}</code>: seen{' '}
      {rows.frequency[row]!.toLocaleString('en-US')} times in the batches; over {rows.steps} steps moved by
      the lookup <span data-testid="train.row-lookup">{rows.byCause.lookup[row]}</span>, by the output only{' '}
      <span data-testid="train.row-output">{rows.byCause.output[row]}</span>, with no gradient{' '}
      {rows.byCause.momentum[row]}; had a gradient but did not move {rows.byCause.stalled[row]}, had none and
      did not move {rows.byCause.unchanged[row]} times. Step {frame.step}: {cause ? CAUSE_LABELS[cause] : '?'}
      , ‖Δrow‖ = {frame.updateNorm[row]!.toExponential(2)}.
    </p>
  );
}

/** The map of all V rows of E_token, coloured by this step's cause, with a hover/keyboard cursor. */
export function MatrixMap() {
  const rows = useLab((s) => s.training.rows);
  const vocab = useLab((s) => s.training.vocab);
  const settings = useLab((s) => s.training.settings);
  const prediction = useLab((s) => s.training.prediction);
  const togglePrediction = useLab((s) => s.togglePrediction);
  const frame = useViewedFrame();
  const [order, setOrder] = useState<Order>('id');
  const [cursor, setCursor] = useState<number | null>(null);
  const [zoom, setZoom] = useState(1);
  const frameRef = useRef<HTMLDivElement>(null);
  const V = rows?.vocabSize ?? 0;
  const shown = rows !== null && frame !== null && frame.causes.length === V;

  // Ctrl+wheel (and a trackpad pinch, which arrives as one) zooms about the pointer; a plain wheel
  // scrolls. React's wheel listeners are passive, so preventing the page zoom needs our own.
  const zoomRef = useRef(zoom);
  const anchor = useRef<{ x: number; y: number } | null>(null);
  const pressedAt = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    zoomRef.current = zoom;
  }, [zoom]);
  /** Zooms to `next` keeping the point (clientX, clientY) still: content coordinates scale with the zoom. */
  const zoomAbout = useCallback((next: number, clientX?: number, clientY?: number) => {
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
  }, []);
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
  }, [shown, zoomAbout]);
  const touch = useTouchPanZoom(frameRef, zoomRef, zoomAbout);
  useLayoutEffect(() => {
    const element = frameRef.current;
    if (!element || !anchor.current) return;
    element.scrollLeft = anchor.current.x;
    element.scrollTop = anchor.current.y;
    anchor.current = null;
  }, [zoom]);

  // Sorting 30k ids takes a few ms: only when the frequency layout is shown, once per step.
  const permutation = useMemo(
    () => (rows && order === 'frequency' ? orderByFrequency(rows.frequency) : null),
    [rows, order],
  );
  const { rowAt, cellOf } = useMemo(() => layout(permutation, V), [permutation, V]);
  const grid = matrixGrid(V);

  const scheme = useColorScheme();
  const canvas = useDraw<HTMLCanvasElement>(
    (element) => {
      if (!frame) return;
      const ms = drawMatrixMap(element, {
        causes: frame.causes,
        updateNorm: frame.updateNorm,
        order: permutation,
        cursor,
        predicted: prediction.rows,
        palette: causePalette(scheme),
        markShade: scheme === 'dark' ? 255 : 0,
      });
      element.dataset.drawMs = ms.toFixed(2);
    },
    [frame, permutation, cursor, prediction.rows, scheme],
  );

  if (!shown) return null;
  const row = cursor !== null && cursor < V ? cursor : null;

  const pick = (event: PointerEvent<HTMLCanvasElement>) => {
    // Fingers pan and pinch (useTouchPanZoom); the cursor follows one finger's taps.
    if (touch.onPointerMove(event)) return;
    // Dragging a zoomed map with the mouse pans it; the wheel scrolls the frame natively.
    const frameElement = frameRef.current;
    if (event.pointerType !== 'touch' && event.buttons === 1 && zoom > 1 && frameElement) {
      frameElement.scrollLeft -= event.movementX;
      frameElement.scrollTop -= event.movementY;
    }
    const cell = cellUnder(event);
    if (cell !== null) setCursor(rowAt(cell));
  };
  const cellUnder = (event: MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return cellAt(
      grid,
      (event.clientX - rect.left) / rect.width,
      (event.clientY - rect.top) / rect.height,
      V,
    );
  };
  const mark = (event: MouseEvent<HTMLCanvasElement>) => {
    // A click that ends a drag (panning the zoomed map) marks nothing.
    const from = pressedAt.current;
    if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > 4) return;
    const cell = cellUnder(event);
    if (prediction.on && cell !== null) togglePrediction(rowAt(cell));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: grid.columns,
      ArrowUp: -grid.columns,
    };
    if (prediction.on && row !== null && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      return togglePrediction(row);
    }
    const zoomKeys: Record<string, number> = { '+': 2, '=': 2, '-': 0.5, '−': 0.5, '0': 0 };
    const zoomKey = zoomKeys[event.key];
    if (zoomKey !== undefined && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      return zoomAbout(zoomKey === 0 ? 1 : zoomRef.current * zoomKey);
    }
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const cell = row === null ? 0 : Math.min(V - 1, Math.max(0, cellOf(row) + move));
    setCursor(rowAt(cell));
    // Keyboard panning: a zoomed map scrolls to keep the cursor cell in view.
    const frameElement = frameRef.current;
    const canvasElement = event.currentTarget;
    if (frameElement && zoom > 1) {
      const cw = canvasElement.clientWidth / grid.columns;
      const ch = canvasElement.clientHeight / grid.rows;
      const x = (cell % grid.columns) * cw;
      const y = Math.floor(cell / grid.columns) * ch;
      if (x < frameElement.scrollLeft || x + cw > frameElement.scrollLeft + frameElement.clientWidth)
        frameElement.scrollLeft = x - frameElement.clientWidth / 2;
      if (y < frameElement.scrollTop || y + ch > frameElement.scrollTop + frameElement.clientHeight)
        frameElement.scrollTop = y - frameElement.clientHeight / 2;
    }
  };

  return (
    <div className="matrix-map">
      <h3>E_token, one cell per row</h3>
      <p className="stage-help" data-testid="train.explain">
        {movementExplanation(settings)} Brighter cells moved further (‖Δrow‖, log scale).
      </p>
      <div className="button-row">
        <label className="field-inline">
          Order
          <select
            data-testid="train.map-order"
            value={order}
            onChange={(e) => setOrder(e.target.value as Order)}
          >
            <option value="id">by id</option>
            <option value="frequency">by frequency in the batches so far</option>
          </select>
        </label>
        <button
          type="button"
          aria-label="Zoom in"
          data-testid="train.map-zoom-in"
          onClick={() => zoomAbout(zoomRef.current * 2)}
        >
          +
        </button>
        <button
          type="button"
          aria-label="Zoom out"
          data-testid="train.map-zoom-out"
          onClick={() => zoomAbout(zoomRef.current / 2)}
        >
          −
        </button>
      </div>
      <HistoryScrubber />
      <PredictReveal />
      <div className="matrix-frame" ref={frameRef}>
        <canvas
          ref={canvas}
          data-testid="train.map"
          tabIndex={0}
          role="img"
          aria-label={`Map of the ${n(V)} rows of E_token at step ${n(frame.step)}: ${n(frame.counts.lookup)} moved through the lookup, ${n(frame.counts.output)} through the output softmax only, ${n(frame.counts.momentum)} with no gradient; ${n(frame.counts.stalled)} had a gradient but did not move, ${n(frame.counts.unchanged)} had none and did not move; arrow keys move the cursor${
            prediction.on ? ', Enter or Space marks a row you expect to move' : ''
          }; plus and minus keys, Ctrl+wheel or a two-finger pinch zoom; drag to pan`}
          data-zoom={zoom}
          style={{ width: `${zoom * 100}%` }}
          onPointerMove={pick}
          onPointerDown={(event) => {
            pressedAt.current = { x: event.clientX, y: event.clientY };
            touch.onPointerDown(event);
            pick(event);
          }}
          onPointerUp={touch.onPointerEnd}
          onPointerCancel={touch.onPointerEnd}
          onClick={mark}
          onFocus={() => row === null && setCursor(rowAt(0))}
          onKeyDown={onKeyDown}
        />
      </div>
      {row !== null ? (
        <RowDetails rows={rows} frame={frame} row={row} vocab={vocab} />
      ) : (
        <p className="row-details muted">
          Hover over or tap the map, or focus it and use the arrow keys; + and − zoom, and a zoomed map pans
          by dragging (two fingers pinch).
        </p>
      )}
    </div>
  );
}
