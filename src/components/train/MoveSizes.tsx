import { CAUSE_INDEX } from '../../core/train/pure';
import { MOVE_SIZE_CAUSES, type MoveSizeCause, type Quartiles } from '../../core/train/moveSizes';
import { causeCss } from '../../viz/matrixMap';
import { drawMoveSizeBoxes } from '../../viz/moveSizeBoxes';
import { useLab } from '../../store/context';
import { useColorScheme } from '../useColorScheme';
import { useDraw } from '../useDraw';
import { formatNorm, formatRange, moveSizeExplanation } from './moveSizeText';
import './moveSizes.css';

/** Each group by the path that gave its rows a gradient (the map's colours, the causes' ids). */
const GROUP_LABELS: Readonly<Record<MoveSizeCause, string>> = {
  lookup: 'lookup',
  output: 'softmax only',
  momentum: 'none, moved',
};

const count = (n: number) => n.toLocaleString('en-US');

/** "1.9e-2" over "1.2–2.5e-2": the median and, for more than one row, the quartiles. */
function Spread({ q, rows }: { q: Quartiles | null; rows: number }) {
  if (!q) return <>–</>;
  return (
    <>
      <strong>{formatNorm(q.median)}</strong>
      {rows > 1 && <span className="quartiles">{formatRange(q.q1, q.q3)}</span>}
    </>
  );
}

/**
 * How far the last step moved E_token's rows, and how large their gradients were, by the path that
 * gave them one: median and quartiles, counted once per step in the store (store/rowFacts.ts).
 */
export function MoveSizes() {
  const facts = useLab((s) => s.training.stepFacts);
  const report = useLab((s) => s.training.lastReport);
  const optimizer = useLab((s) => s.training.settings.optimizer);
  const scheme = useColorScheme();
  const sizes = facts?.moveSizes;
  const svg = useDraw(
    (element, width) => {
      if (sizes)
        drawMoveSizeBoxes(
          element,
          MOVE_SIZE_CAUSES.map((cause) => ({
            cause,
            label: GROUP_LABELS[cause],
            color: causeCss(CAUSE_INDEX[cause], scheme),
            update: sizes[cause].update,
            grad: sizes[cause].grad,
          })),
          width,
        );
    },
    [sizes, scheme],
  );
  if (!facts || !sizes || !report || report.step !== facts.step) return null;
  const why = moveSizeExplanation({ optimizer, learningRate: report.learningRate, sizes });
  return (
    <div className="move-sizes" data-testid="train.move-sizes">
      <h3>How far rows moved, step {facts.step}</h3>
      <table
        className="cause-counts move-size-table"
        data-testid="train.move-size-table"
        aria-label={`‖Δrow‖ and ‖g‖ by gradient path, step ${facts.step}`}
      >
        <thead>
          <tr>
            <th scope="col">Gradient path</th>
            <th scope="col">‖Δrow‖</th>
            <th scope="col">‖g‖</th>
          </tr>
        </thead>
        <tbody>
          {MOVE_SIZE_CAUSES.map((cause) => {
            const g = sizes[cause];
            return (
              <tr
                key={cause}
                data-testid="train.move-size"
                data-cause={cause}
                data-rows={g.rows}
                {...(g.update && g.grad
                  ? {
                      'data-median-update': g.update.median,
                      'data-median-grad': g.grad.median,
                      'data-update-quartiles': `${g.update.q1} ${g.update.q3}`,
                      'data-grad-quartiles': `${g.grad.q1} ${g.grad.q3}`,
                    }
                  : {})}
              >
                <th scope="row">
                  <span className="swatch" style={{ background: causeCss(CAUSE_INDEX[cause], scheme) }} />
                  {GROUP_LABELS[cause]}
                  <span className="quartiles">
                    {count(g.rows)} {g.rows === 1 ? 'row' : 'rows'}
                  </span>
                </th>
                <td>
                  <Spread q={g.update} rows={g.rows} />
                </td>
                <td>
                  <Spread q={g.grad} rows={g.rows} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="stage-help move-size-key">
        Rows grouped by the path that gave them a gradient: the input lookup, the output softmax only, or none
        (moved by the optimizer’s state or weight decay). Each cell: the median over the group’s rows, and
        beneath it the quartiles. Below, on a log axis: filled boxes ‖Δrow‖, outlined boxes ‖g‖, from lower to
        upper quartile, the tick at the median.
      </p>
      <svg
        ref={svg}
        className="move-size-boxes"
        role="img"
        aria-label="Box plots on a log axis: filled boxes are ‖Δrow‖, outlined boxes ‖g‖, per group of rows; the tick is the median"
      />
      <p className="stage-help move-size-why" data-testid="train.move-size-why">
        {why}
      </p>
    </div>
  );
}
