import type { ValueColor } from '../../viz/heatStrip';
import { drawTableOverview, type TableOverviewData } from '../../viz/tableOverview';
import { useDraw } from '../useDraw';

/** A [rows, H] table drawn by drawTableOverview into a canvas that fills its box's width. */
export function TableCanvas(props: {
  data: TableOverviewData;
  height: number;
  color: ValueColor;
  label: string;
  labelWidth?: number;
  testId: string;
  /** What the table shows, for tests: weights, change, centred. */
  mode?: string;
}) {
  const { data, height, color } = props;
  const labelWidth = props.labelWidth ?? 84;
  const ref = useDraw<HTMLCanvasElement>(
    (canvas, width) => drawTableOverview(canvas, data, { width, height, color, labelWidth }),
    [data, height, color, labelWidth],
  );
  return (
    <div className="sum-table-canvas">
      <canvas
        ref={ref}
        role="img"
        aria-label={props.label}
        data-testid={props.testId}
        data-mode={props.mode}
      />
    </div>
  );
}

/** Rows `ids` of a [rows, H] table, stacked: the magnified strip of the token table. */
export function gatherRows(table: Float32Array, ids: readonly number[], H: number): Float32Array {
  const out = new Float32Array(ids.length * H);
  ids.forEach((id, i) => out.set(table.subarray(id * H, (id + 1) * H), i * H));
  return out;
}
