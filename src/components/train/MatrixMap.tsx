import {
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { orderByFrequency, ROW_CAUSES, type RowFrame, type RowStats } from '../../core/train/pure';
import { useLab } from '../../store/context';
import {
  CAUSE_LABELS,
  causePalette,
  cellAt,
  drawMatrixMap,
  matrixGrid,
  type MatrixGrid,
} from '../../viz/matrixMap';
import { useColorScheme } from '../useColorScheme';
import { useDraw } from '../useDraw';
import { movementExplanation } from './explain';
import { HistoryScrubber } from './HistoryScrubber';
import { centredOf, ShadeChoice, ShadeNote, type MapShade } from './MapShade';
import { PredictReveal } from './PredictReveal';
import { useMapZoom } from './useMapZoom';
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

interface MapToolbarProps {
  readonly order: Order;
  readonly onOrder: (order: Order) => void;
  readonly shade: MapShade;
  readonly onShade: (shade: MapShade) => void;
  /** Multiplies the zoom by `factor` about the frame's centre. */
  readonly onZoom: (factor: number) => void;
}

function MapToolbar({ order, onOrder, shade, onShade, onZoom }: MapToolbarProps) {
  return (
    <div className="button-row">
      <label className="field-inline">
        Order
        <select
          data-testid="train.map-order"
          value={order}
          onChange={(e) => onOrder(e.target.value as Order)}
        >
          <option value="id">by id</option>
          <option value="frequency">by frequency in the batches so far</option>
        </select>
      </label>
      <ShadeChoice shade={shade} onShade={onShade} />
      <button type="button" aria-label="Zoom in" data-testid="train.map-zoom-in" onClick={() => onZoom(2)}>
        +
      </button>
      <button
        type="button"
        aria-label="Zoom out"
        data-testid="train.map-zoom-out"
        onClick={() => onZoom(1 / 2)}
      >
        −
      </button>
    </div>
  );
}

/** The canvas's accessible name: what the step did to the rows, and how to work the map. */
function mapLabel(V: number, frame: RowFrame, predicting: boolean): string {
  const { counts } = frame;
  return `Map of the ${n(V)} rows of E_token at step ${n(frame.step)}: ${n(counts.lookup)} moved through the lookup, ${n(counts.output)} through the output softmax only, ${n(counts.momentum)} with no gradient; ${n(counts.stalled)} had a gradient but did not move, ${n(counts.unchanged)} had none and did not move; arrow keys move the cursor${
    predicting ? ', Enter or Space marks a row you expect to move' : ''
  }; plus and minus keys, Ctrl+wheel or a two-finger pinch zoom; drag to pan`;
}

/** Keyboard panning: a zoomed map scrolls to keep the cursor cell in view. */
function keepCellInView(frame: HTMLElement, canvas: HTMLElement, grid: MatrixGrid, cell: number): void {
  const cw = canvas.clientWidth / grid.columns;
  const ch = canvas.clientHeight / grid.rows;
  const x = (cell % grid.columns) * cw;
  const y = Math.floor(cell / grid.columns) * ch;
  if (x < frame.scrollLeft || x + cw > frame.scrollLeft + frame.clientWidth)
    frame.scrollLeft = x - frame.clientWidth / 2;
  if (y < frame.scrollTop || y + ch > frame.scrollTop + frame.clientHeight)
    frame.scrollTop = y - frame.clientHeight / 2;
}

const ZOOM_KEYS: Readonly<Record<string, number>> = { '+': 2, '=': 2, '-': 0.5, '−': 0.5, '0': 0 };

/** How far an arrow key moves the cursor, in layout cells. */
function arrowMove(key: string, grid: MatrixGrid): number | undefined {
  const moves: Record<string, number> = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ArrowDown: grid.columns,
    ArrowUp: -grid.columns,
  };
  return moves[key];
}

/** The layout cell under the pointer, or null. */
function cellUnder(event: MouseEvent<HTMLCanvasElement>, grid: MatrixGrid, V: number): number | null {
  const rect = event.currentTarget.getBoundingClientRect();
  return cellAt(grid, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height, V);
}

function CursorHint() {
  return (
    <p className="row-details muted">
      Hover over or tap the map, or focus it and use the arrow keys; + and − zoom, and a zoomed map pans by
      dragging (two fingers pinch).
    </p>
  );
}

/** The canvas ref, drawn by drawMatrixMap with the page's colour scheme; it records its draw time. */
function useMapCanvas(
  frame: RowFrame | null,
  permutation: Uint32Array | null,
  cursor: number | null,
  predicted: ReadonlySet<number>,
  brightness: Float32Array | null,
) {
  const scheme = useColorScheme();
  return useDraw<HTMLCanvasElement>(
    (element) => {
      if (!frame) return;
      const ms = drawMatrixMap(element, {
        causes: frame.causes,
        updateNorm: frame.updateNorm,
        ...(brightness ? { brightness } : {}),
        order: permutation,
        cursor,
        predicted,
        palette: causePalette(scheme),
        markShade: scheme === 'dark' ? 255 : 0,
      });
      element.dataset.drawMs = ms.toFixed(2);
      element.dataset.shade = brightness ? 'centred' : 'update';
    },
    [frame, permutation, cursor, predicted, scheme, brightness],
  );
}

/**
 * The map of all V rows of E_token, coloured by this step's cause, with a hover/keyboard cursor.
 * `below` goes under the map, in its column (the Training view puts how far rows moved there).
 */
export function MatrixMap({ below }: { readonly below?: ReactNode } = {}) {
  const rows = useLab((s) => s.training.rows);
  const vocab = useLab((s) => s.training.vocab);
  const settings = useLab((s) => s.training.settings);
  const prediction = useLab((s) => s.training.prediction);
  const report = useLab((s) => s.training.lastReport);
  const [shade, setShade] = useState<MapShade>('update');
  const togglePrediction = useLab((s) => s.togglePrediction);
  const frame = useViewedFrame();
  const [order, setOrder] = useState<Order>('id');
  const [cursor, setCursor] = useState<number | null>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const V = rows?.vocabSize ?? 0;
  const shown = rows !== null && frame !== null && frame.causes.length === V;
  const { zoom, zoomRef, zoomAbout, touch } = useMapZoom(frameRef, shown);
  const pressedAt = useRef<{ x: number; y: number } | null>(null);

  // Sorting 30k ids takes a few ms: only when the frequency layout is shown, once per step.
  const permutation = useMemo(
    () => (rows && order === 'frequency' ? orderByFrequency(rows.frequency) : null),
    [rows, order],
  );
  const { rowAt, cellOf } = useMemo(() => layout(permutation, V), [permutation, V]);
  const grid = matrixGrid(V);

  const centred = shade === 'centred' ? centredOf(frame, report) : null;
  const canvas = useMapCanvas(frame, permutation, cursor, prediction.rows, centred);

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
    const cell = cellUnder(event, grid, V);
    if (cell !== null) setCursor(rowAt(cell));
  };
  const mark = (event: MouseEvent<HTMLCanvasElement>) => {
    // A click that ends a drag (panning the zoomed map) marks nothing.
    const from = pressedAt.current;
    if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > 4) return;
    const cell = cellUnder(event, grid, V);
    if (prediction.on && cell !== null) togglePrediction(rowAt(cell));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (prediction.on && row !== null && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      return togglePrediction(row);
    }
    const zoomKey = ZOOM_KEYS[event.key];
    if (zoomKey !== undefined && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      return zoomAbout(zoomKey === 0 ? 1 : zoomRef.current * zoomKey);
    }
    const move = arrowMove(event.key, grid);
    if (move === undefined) return;
    event.preventDefault();
    const cell = row === null ? 0 : Math.min(V - 1, Math.max(0, cellOf(row) + move));
    setCursor(rowAt(cell));
    if (frameRef.current && zoom > 1) keepCellInView(frameRef.current, event.currentTarget, grid, cell);
  };

  return (
    <div className="matrix-map">
      <div className="matrix-side">
        <h3>E_token, one cell per row</h3>
        <p className="stage-help" data-testid="train.explain">
          {movementExplanation(settings)}{' '}
          {centred
            ? 'Brighter cells moved further on their own: ‖Δrow − mean Δrow‖, log scale, the step all rows share taken out.'
            : 'Brighter cells moved further (‖Δrow‖, log scale).'}
        </p>
        <MapToolbar
          order={order}
          onOrder={setOrder}
          shade={shade}
          onShade={setShade}
          onZoom={(factor) => zoomAbout(zoomRef.current * factor)}
        />
        {shade === 'centred' && <ShadeNote frame={frame} centred={centred} />}
        <HistoryScrubber />
        <PredictReveal />
        {row !== null ? <RowDetails rows={rows} frame={frame} row={row} vocab={vocab} /> : <CursorHint />}
      </div>
      <div className="matrix-main">
        <div className="matrix-frame" ref={frameRef}>
          <canvas
            ref={canvas}
            data-testid="train.map"
            tabIndex={0}
            role="img"
            aria-label={mapLabel(V, frame, prediction.on)}
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
        {below}
      </div>
    </div>
  );
}
