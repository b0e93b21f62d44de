import { useMemo } from 'react';
import type { EmbeddingTables, PairTrace } from '../../engine/session';
import type { ValueColor } from '../../viz/heatStrip';
import { drawTableOverview, type TableMark, type TableOverviewData } from '../../viz/tableOverview';
import { useDraw } from '../useDraw';
import { themeFor } from '../../viz/theme';
import { useColorScheme } from '../useColorScheme';
import { SEGMENT_NAME } from './sumData';

const ACCENT = '#7c3aed';

function TableCanvas(props: {
  data: TableOverviewData;
  height: number;
  color: ValueColor;
  label: string;
  labelWidth?: number;
  testId: string;
}) {
  const { data, height, color } = props;
  const labelWidth = props.labelWidth ?? 84;
  const ref = useDraw<HTMLCanvasElement>(
    (canvas, width) => drawTableOverview(canvas, data, { width, height, color, labelWidth }),
    [data, height, color, labelWidth],
  );
  return (
    <div className="sum-table-canvas">
      <canvas ref={ref} role="img" aria-label={props.label} data-testid={props.testId} />
    </div>
  );
}

/** Rows `ids` of a [rows, H] table, stacked: the magnified strip of the token table. */
function gatherRows(table: Float32Array, ids: readonly number[], H: number): Float32Array {
  const out = new Float32Array(ids.length * H);
  ids.forEach((id, i) => out.set(table.subarray(id * H, (id + 1) * H), i * H));
  return out;
}

/**
 * The three lookup tables side by side, with the rows this input uses marked: E_token [V, H] as a
 * compressed overview plus a magnified strip of the rows in use, E_segment [2, H], E_position [P, H].
 */
export function SumTables({
  tables,
  trace,
  position,
  color,
}: {
  tables: EmbeddingTables;
  trace: PairTrace;
  position: number;
  color: ValueColor;
}) {
  const H = tables.hidden;
  const segments = themeFor(useColorScheme()).segments;
  const selectedId = trace.inputIds[position] ?? 0;
  const selectedSegment = trace.tokenTypeIds[position] ?? 0;
  const T = trace.seqLength;

  const token = useMemo(() => {
    const byId = new Map<number, string>();
    trace.inputIds.forEach((id, p) => byId.set(id, trace.tokens[p] ?? String(id)));
    const ids = [...byId.keys()].sort((a, b) => a - b);
    const marks: TableMark[] = ids.map((id) => ({
      row: id,
      label: `${id} ${byId.get(id)}`,
      strong: id === selectedId,
    }));
    const overview: TableOverviewData = { values: tables.token, rows: tables.vocabSize, cols: H, marks };
    const zoom: TableOverviewData = {
      values: gatherRows(tables.token, ids, H),
      rows: ids.length,
      cols: H,
      marks: ids.map((id, i) => ({ row: i, label: `${id} ${byId.get(id)}`, strong: id === selectedId })),
    };
    return { overview, zoom, count: ids.length };
  }, [tables, trace, selectedId, H]);

  const segment = useMemo<TableOverviewData>(() => {
    const used = new Set(trace.tokenTypeIds);
    return {
      values: tables.segment,
      rows: 2,
      cols: H,
      marks: [0, 1]
        .filter((s) => used.has(s))
        .map((s) => ({ row: s, label: `${s} (${SEGMENT_NAME[s]})`, strong: s === selectedSegment })),
      gutter: (row) => segments[row as 0 | 1] ?? null,
    };
  }, [tables, trace, selectedSegment, H, segments]);

  const positions = useMemo<TableOverviewData>(
    () => ({
      values: tables.position,
      rows: tables.maxPositions,
      cols: H,
      marks: [
        { row: 0, label: '0' },
        { row: T - 1, label: `${T - 1} last` },
        { row: position, label: `${position}`, strong: true },
      ],
      // Rows 0 … T−1 are the ones this input reads.
      gutter: (row) => (row < T ? ACCENT : null),
    }),
    [tables, T, position, H],
  );

  const zoomHeight = Math.min(320, Math.max(40, token.count * (token.count > 40 ? 5 : 11)));
  return (
    <section className="panel sum-tables" aria-label="The three lookup tables">
      <h2>The three lookup tables</h2>
      <div className="sum-tables-grid">
        <figure>
          <figcaption>
            Token table E_token: {tables.vocabSize.toLocaleString('en-US')} × {H}
          </figcaption>
          <TableCanvas
            testId="sum.token-table"
            data={token.overview}
            height={220}
            color={color}
            label={`Token table, ${tables.vocabSize} rows of ${H}, each pixel row the mean of a bucket of rows; the ${token.count} rows in use are ticked`}
          />
          <figcaption className="muted">Magnified: the {token.count} rows in use</figcaption>
          <TableCanvas
            testId="sum.token-zoom"
            data={token.zoom}
            height={zoomHeight}
            color={color}
            label="The token table's rows in use, magnified"
          />
        </figure>
        <figure>
          <figcaption>Segment table E_segment: 2 × {H}</figcaption>
          <TableCanvas
            testId="sum.segment-table"
            data={segment}
            height={36}
            color={color}
            label="Segment table, rows A and B"
          />
        </figure>
        <figure>
          <figcaption>
            Position table E_position: {tables.maxPositions} × {H} (rows 0–{T - 1} in use)
          </figcaption>
          <TableCanvas
            testId="sum.position-table"
            data={positions}
            height={Math.min(256, tables.maxPositions * 3)}
            color={color}
            label={`Position table, ${tables.maxPositions} rows; rows 0 to ${T - 1} in use`}
          />
        </figure>
      </div>
    </section>
  );
}
