import { CAUSE_INDEX, movedRows } from '../../core/train/pure';
import { CAUSE_LABELS, CAUSE_LEGEND_ORDER, causeCss } from '../../viz/matrixMap';
import { useLab } from '../../store/context';
import { useColorScheme } from '../useColorScheme';
import { useViewedFrame } from './useViewedFrame';

const count = (n: number) => n.toLocaleString('en-US');
const share = (n: number, V: number) => `${V > 0 ? ((100 * n) / V).toFixed(1) : '0'}%`;

/** The last step's rows by cause, and the counters since the model was (re)started. */
export function RowCounts() {
  const rows = useLab((s) => s.training.rows);
  const frame = useViewedFrame();
  const scheme = useColorScheme();
  // Summed over V rows once per step in the store, not in every render.
  const totals = useLab((s) => s.training.runFacts);
  if (!frame || !rows || !totals) return null;
  const V = rows.vocabSize;
  const last = frame.counts;
  const moved = movedRows(last);
  return (
    <div className="row-counts">
      <h3>
        Rows of E_token, step {frame.step}:{' '}
        <span className="rows-moved">
          moved{' '}
          <strong data-testid="train.rows-moved" data-count={moved}>
            {count(moved)}
          </strong>{' '}
          of {count(V)}
        </span>
      </h3>
      {/*
        One table, one line per cause: what the last step did to each row, and how many rows each
        cause has touched at least once since the model was (re)started. The share of V next to
        the run's counts shows how few rows the lookup reaches, and how many the softmax does.
      */}
      <table
        className="cause-counts"
        data-testid="train.rows-so-far"
        aria-label={`Rows of E_token by cause: step ${frame.step}, and at least once over all ${rows.steps} steps`}
      >
        <thead>
          <tr>
            <th scope="col">Rows that…</th>
            <th scope="col">this step</th>
            <th scope="col">
              at least once in {count(rows.steps)} {rows.steps === 1 ? 'step' : 'steps'}
            </th>
          </tr>
        </thead>
        <tbody>
          {CAUSE_LEGEND_ORDER.map((cause) => (
            <tr key={cause}>
              <th scope="row">
                <span
                  className="swatch"
                  data-cause={cause}
                  style={{
                    background: causeCss(CAUSE_INDEX[cause], scheme),
                    color: causeCss(CAUSE_INDEX[cause], scheme),
                  }}
                />
                {CAUSE_LABELS[cause]}
              </th>
              <td>
                <strong data-testid={`train.rows-${cause}`} data-count={last[cause]}>
                  {count(last[cause])}
                </strong>
              </td>
              <td>
                {count(totals.ever[cause])} ({share(totals.ever[cause], V)})
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">never seen in any batch</th>
            <td aria-label="not a per-step count">–</td>
            <td data-testid="train.rows-never-seen" data-count={totals.neverSeen}>
              {count(totals.neverSeen)} ({share(totals.neverSeen, V)})
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
