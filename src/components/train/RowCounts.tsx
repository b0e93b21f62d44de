import { useMemo } from 'react';
import { CAUSE_INDEX, movedRows, rowTotals, type RowCause } from '../../core/train/pure';
import { CAUSE_LABELS, CAUSE_LEGEND_ORDER, causeCss } from '../../viz/matrixMap';
import { useLab } from '../../store/context';
import { useColorScheme } from '../useColorScheme';
import { useViewedFrame } from './useViewedFrame';

const count = (n: number) => n.toLocaleString('en-US');
const share = (n: number, V: number) => `${V > 0 ? ((100 * n) / V).toFixed(1) : '0'}%`;

const SO_FAR: Readonly<Record<RowCause, string>> = {
  lookup: 'Rows moved through the lookup, at least once',
  output: 'Rows moved through the output softmax only, at least once',
  momentum: 'Rows moved with no gradient (optimizer state or decay), at least once',
  unchanged: 'Rows with no gradient that did not move, at least once',
  stalled: 'Rows with a gradient that did not move (learning rate 0), at least once',
};

/** The last step's rows by cause, and the counters since the model was (re)started. */
export function RowCounts() {
  const rows = useLab((s) => s.training.rows);
  const frame = useViewedFrame();
  const scheme = useColorScheme();
  const totals = useMemo(() => (rows ? rowTotals(rows) : null), [rows]);
  if (!frame || !rows || !totals) return null;
  const V = rows.vocabSize;
  const last = frame.counts;
  const moved = movedRows(last);
  return (
    <div className="row-counts">
      <h3>Rows of E_token, step {frame.step}</h3>
      <p className="rows-moved">
        Moved this step:{' '}
        <strong data-testid="train.rows-moved" data-count={moved}>
          {count(moved)}
        </strong>{' '}
        of {count(V)}
      </p>
      <ul className="legend cause-counts">
        {CAUSE_LEGEND_ORDER.map((cause) => (
          <li key={cause}>
            <span
              className="swatch"
              data-cause={cause}
              style={{
                background: causeCss(CAUSE_INDEX[cause], scheme),
                color: causeCss(CAUSE_INDEX[cause], scheme),
              }}
            />
            {CAUSE_LABELS[cause]}:{' '}
            <strong data-testid={`train.rows-${cause}`} data-count={last[cause]}>
              {count(last[cause])}
            </strong>
          </li>
        ))}
      </ul>
      <ul className="so-far" data-testid="train.rows-so-far" aria-label={`Over all ${rows.steps} steps`}>
        {CAUSE_LEGEND_ORDER.map((cause) => (
          <li key={cause}>
            {SO_FAR[cause]}: {count(totals.ever[cause])} of {count(V)} ({share(totals.ever[cause], V)})
          </li>
        ))}
        <li data-testid="train.rows-never-seen" data-count={totals.neverSeen}>
          Rows never seen in any batch: {count(totals.neverSeen)} of {count(V)} ({share(totals.neverSeen, V)})
        </li>
      </ul>
    </div>
  );
}
