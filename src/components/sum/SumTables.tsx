import { useMemo } from 'react';
import type { TokenDrift } from '../../core/train/drift';
import type { EmbeddingTables, PairTrace } from '../../engine/session';
import type { ValueColor } from '../../viz/heatStrip';
import type { TableMark, TableOverviewData } from '../../viz/tableOverview';
import { themeFor } from '../../viz/theme';
import { useColorScheme } from '../useColorScheme';
import { SEGMENT_NAME } from './sumData';
import { TableCanvas } from './TableCanvas';
import { TokenTable } from './TokenTable';

const ACCENT = '#7c3aed';

/**
 * The three lookup tables side by side, with the rows this input uses marked: E_token [V, H] as a
 * compressed overview plus a magnified strip of the rows in use, E_segment [2, H], E_position [P, H].
 */
export function SumTables({
  tables,
  drift,
  trace,
  position,
  color,
}: {
  tables: EmbeddingTables;
  drift: TokenDrift | null;
  trace: PairTrace;
  position: number;
  color: ValueColor;
}) {
  const H = tables.hidden;
  const segments = themeFor(useColorScheme()).segments;
  const selectedId = trace.inputIds[position] ?? 0;
  const selectedSegment = trace.tokenTypeIds[position] ?? 0;
  const T = trace.seqLength;

  const tokenMarks = useMemo(() => {
    const byId = new Map<number, string>();
    trace.inputIds.forEach((id, p) => byId.set(id, trace.tokens[p] ?? String(id)));
    const ids = [...byId.keys()].sort((a, b) => a - b);
    return ids.map((id): TableMark => ({
      row: id,
      label: `${id} ${byId.get(id)}`,
      strong: id === selectedId,
    }));
  }, [trace, selectedId]);

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

  return (
    <section className="panel sum-tables" aria-label="The three lookup tables">
      <h2>The three lookup tables</h2>
      <div className="sum-tables-grid">
        <TokenTable
          token={tables.token}
          rows={tables.vocabSize}
          hidden={H}
          marks={tokenMarks}
          color={color}
          drift={drift}
        />
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
