import { memo, type PointerEvent } from 'react';
import { cellAt, drawHeatStrip, type ValueColor } from '../../viz/heatStrip';
import { useDraw } from '../useDraw';
import { fmt, valuesAttr } from './sumData';

export interface HeatRowProps {
  readonly label: string;
  readonly detail?: string;
  readonly values: Float32Array;
  readonly color: ValueColor;
  readonly cursor: number | null;
  readonly onCursor: (j: number | null) => void;
  /** The row's place in the animation, as a class: 'is-off', 'is-looked' or 'is-on'. */
  readonly state: string;
  readonly testId?: string;
  /** Milliseconds between cells when the strip fills in; see drawHeatStrip. */
  readonly stagger?: number;
  readonly attrs?: Record<`data-${string}`, string>;
}

const STRIP_HEIGHT = 22;

/** One labelled vector of the stepper: a heat strip of H cells whose values sit in `data-values`. */
/** The smallest and largest value, for the strip's text summary. */
function range(values: ArrayLike<number>): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  return values.length > 0 ? `from ${fmt(lo, 3)} to ${fmt(hi, 3)}` : 'none';
}

export const HeatRow = memo(function HeatRow(props: HeatRowProps) {
  const { values, color, cursor, stagger, onCursor } = props;
  const ref = useDraw(
    (svg, width) =>
      drawHeatStrip(
        svg,
        { values, cursor },
        { width, height: STRIP_HEIGHT, color, ...(stagger ? { stagger } : {}) },
      ),
    [values, color, cursor, stagger],
  );
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    onCursor(cellAt(event.clientX - box.left, box.width, values.length));
  };
  return (
    <div
      className={`sum-row ${props.state}`}
      data-testid={props.testId}
      data-values={valuesAttr(values)}
      {...props.attrs}
    >
      <div className="sum-row-label">
        <span>{props.label}</span>
        {props.detail && <span className="muted">{props.detail}</span>}
      </div>
      <div className="sum-strip">
        <svg
          ref={ref}
          role="img"
          aria-label={`${props.label}: ${values.length} values, ${range(values)}`}
          onPointerMove={onPointerMove}
          onPointerLeave={() => onCursor(null)}
        />
      </div>
    </div>
  );
});
