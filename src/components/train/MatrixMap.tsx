import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import { orderByFrequency, ROW_CAUSES, type RowFrame, type RowStats } from '../../core/train';
import { useLab } from '../../store/context';
import { cellAt, drawMatrixMap, matrixGrid, MAX_ZOOM, zoomByWheel } from '../../viz/matrixMap';
import { useDraw } from '../useDraw';
import { movementExplanation } from './explain';
import { HistoryScrubber } from './HistoryScrubber';
import { PredictReveal } from './PredictReveal';
import { useViewedFrame } from './useViewedFrame';

type Order = 'id' | 'frequency';

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
      {rows.byCause.momentum[row]}, unchanged {rows.byCause.unchanged[row]} times. Step {frame.step}: {cause},
      ‖Δrow‖ = {frame.updateNorm[row]!.toExponential(2)}.
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
  useEffect(() => {
    const element = frameRef.current;
    if (!shown || !element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      const old = zoomRef.current;
      const next = zoomByWheel(old, event.deltaY, event.deltaMode);
      if (next === old) return;
      // The point under the pointer stays put: content coordinates scale with the zoom.
      const rect = element.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      const k = next / old;
      anchor.current = { x: (element.scrollLeft + px) * k - px, y: (element.scrollTop + py) * k - py };
      zoomRef.current = next;
      setZoom(next);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [shown]);
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

  const canvas = useDraw<HTMLCanvasElement>(
    (element) => {
      if (!frame) return;
      const ms = drawMatrixMap(element, {
        causes: frame.causes,
        updateNorm: frame.updateNorm,
        order: permutation,
        cursor,
        predicted: prediction.rows,
      });
      element.dataset.drawMs = ms.toFixed(2);
    },
    [frame, permutation, cursor, prediction.rows],
  );

  if (!shown) return null;
  const row = cursor !== null && cursor < V ? cursor : null;

  const pick = (event: PointerEvent<HTMLCanvasElement>) => {
    // Dragging a zoomed map pans it; the wheel scrolls the frame natively.
    const frameElement = frameRef.current;
    if (event.buttons === 1 && zoom > 1 && frameElement) {
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
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const cell = row === null ? 0 : Math.min(V - 1, Math.max(0, cellOf(row) + move));
    setCursor(rowAt(cell));
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
        <button type="button" aria-label="Zoom in" onClick={() => setZoom((z) => Math.min(MAX_ZOOM, z * 2))}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => setZoom((z) => Math.max(1, z / 2))}>
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
          aria-label={`Map of the ${V} rows of E_token; arrow keys move the cursor${
            prediction.on ? ', Enter or Space marks a row you expect to move' : ''
          }; Ctrl+wheel zooms`}
          data-zoom={zoom}
          style={{ width: `${zoom * 100}%` }}
          onPointerMove={pick}
          onPointerDown={(event) => {
            pressedAt.current = { x: event.clientX, y: event.clientY };
            pick(event);
          }}
          onClick={mark}
          onFocus={() => row === null && setCursor(rowAt(0))}
          onKeyDown={onKeyDown}
        />
      </div>
      {row !== null ? (
        <RowDetails rows={rows} frame={frame} row={row} vocab={vocab} />
      ) : (
        <p className="row-details muted">Hover over the map, or focus it and use the arrow keys.</p>
      )}
    </div>
  );
}
