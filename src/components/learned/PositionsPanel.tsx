import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { LearnedReport } from '../../core/learned/types';
import { useLab } from '../../store/context';
import { cosineAt, drawCosineHeatmap, heatmapCellAt } from '../../viz/cosineHeatmap';
import { themeFor } from '../../viz/theme';
import { useColorScheme } from '../useColorScheme';
import { useDraw } from '../useDraw';
import { axisLabel, bandSentence, neverSentence, num } from './learnedText';
import { positionPoints } from './mapData';
import { ProjectionFigure } from './ProjectionFigure';

/** The heatmap is drawn at least this many canvas pixels wide, whatever P is. */
const HEATMAP_PX = 256;

type Cell = { readonly i: number; readonly j: number };

const clampCell = (cell: Cell, P: number): Cell => ({
  i: Math.max(0, Math.min(P - 1, cell.i)),
  j: Math.max(0, Math.min(P - 1, cell.j)),
});

const ARROWS: Readonly<Record<string, Cell>> = {
  ArrowUp: { i: -1, j: 0 },
  ArrowDown: { i: 1, j: 0 },
  ArrowLeft: { i: 0, j: -1 },
  ArrowRight: { i: 0, j: 1 },
};

/** The P×P cosine heatmap of E_position: hover or focus and the arrow keys read a cell. */
function PositionHeatmap({ report }: { report: LearnedReport }) {
  const p = report.positions;
  const P = p.count;
  const scheme = useColorScheme();
  const theme = themeFor(scheme);
  const [read, setRead] = useState<Cell>({ i: 1, j: 2 });
  const readoutId = useId();
  const cell = clampCell(read, P);
  const value = cosineAt(p, cell.i, cell.j);
  const ref = useDraw<HTMLCanvasElement>(
    (canvas) =>
      drawCosineHeatmap(canvas, p, {
        scheme,
        focus: cell,
        accent: theme.accent,
        ink: theme.ink,
        cell: Math.ceil(HEATMAP_PX / Math.max(1, P)),
      }),
    [p, cell.i, cell.j, scheme],
  );
  const onPointer = (event: PointerEvent<HTMLCanvasElement>) => {
    const at = heatmapCellAt(
      event.nativeEvent.offsetX,
      event.nativeEvent.offsetY,
      event.currentTarget.clientWidth,
      P,
    );
    if (at) setRead(at);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const move = ARROWS[event.key];
    if (!move) return;
    event.preventDefault();
    const step = event.shiftKey ? 10 : 1;
    setRead(clampCell({ i: cell.i + move.i * step, j: cell.j + move.j * step }, P));
  };
  const T = p.lookedUp;
  const never = cell.i >= T || cell.j >= T;
  return (
    <figure className="learned-heat">
      <div className="learned-heat-box">
        <canvas
          ref={ref}
          tabIndex={0}
          role="img"
          aria-label={`Cosine between every pair of the ${P} position rows; arrow keys move the cell read below`}
          aria-describedby={readoutId}
          data-testid="learned.positions"
          data-count={P}
          data-looked-up={T}
          data-i={cell.i}
          data-j={cell.j}
          data-cosine={value}
          onPointerMove={onPointer}
          onPointerDown={onPointer}
          onKeyDown={onKeyDown}
        />
        {T < P && (
          <span
            className="learned-never-label"
            style={{ left: `${(T / P) * 100}%`, top: `${(T / P) * 100}%` }}
          >
            never looked up
          </span>
        )}
      </div>
      <figcaption>
        <p
          className="learned-readout"
          id={readoutId}
          aria-live="polite"
          data-testid="learned.positions.readout"
        >
          cos(E_position[{cell.i}], E_position[{cell.j}]) = <b className="num">{num(value)}</b>
          {never ? ' · never looked up' : ''}
        </p>
        <p className="muted">
          Rows and columns 0–{P - 1}; the dashed lines at {T} mark the training sequence length.
        </p>
      </figcaption>
    </figure>
  );
}

/** The position rows' first two principal components, in order: a path from row 0 to row P−1. */
function PositionMap({ report }: { report: LearnedReport }) {
  const playing = useLab((s) => s.training.snapshot?.playing ?? false);
  const map = report.positionMap;
  const points = useMemo(() => {
    return positionPoints(map, report.positions.lookedUp);
  }, [map, report.positions.lookedUp]);
  return (
    <figure className="learned-posmap">
      <ProjectionFigure
        points={points}
        playing={playing}
        xLabel={axisLabel(1, map.explained)}
        yLabel={axisLabel(2, map.explained)}
        height={300}
        path
        testId="learned.position-map"
        label={`The ${map.ids.length} position rows projected on their first two principal components, joined in order; rows 0 to ${report.positions.lookedUp - 1} are the ones training looks up`}
      />
      <figcaption className="muted">
        <span className="learned-key learned-key-looked" aria-hidden="true" /> rows 0–
        {report.positions.lookedUp - 1} (looked up){' '}
        <span className="learned-key learned-key-never" aria-hidden="true" /> rows past them (never)
      </figcaption>
    </figure>
  );
}

export const PositionsPanel = memo(function PositionsPanel({ report }: { report: LearnedReport }) {
  const p = report.positions;
  return (
    <section className="panel learned-positions" aria-labelledby="learned-positions-title">
      <h2 id="learned-positions-title">Positions</h2>
      <p data-testid="learned.band">{bandSentence(p, report.step)}</p>
      <div className="learned-positions-grid">
        <PositionHeatmap report={report} />
        <PositionMap report={report} />
      </div>
      <p className="muted" data-testid="learned.never">
        {neverSentence(p)}
      </p>
      <table className="learned-table" data-testid="learned.band-table">
        <caption>Mean cosine of position rows</caption>
        <tbody>
          <tr>
            <th scope="row">Neighbours i, i+1 (rows 1–{p.lookedUp - 1})</th>
            <td className="num">{num(p.adjacent)}</td>
          </tr>
          <tr>
            <th scope="row">10 apart, i, i+10</th>
            <td className="num">{num(p.tenApart)}</td>
          </tr>
          <tr>
            <th scope="row">Neighbours never looked up</th>
            <td className="num">{num(p.beyondAdjacent)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
});
