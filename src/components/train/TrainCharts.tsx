import { useDeferredValue, useMemo } from 'react';
import { smoothSeries } from '../../core/train/pure';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import { drawFrequencyPlot } from '../../viz/frequencyPlot';
import { drawLineChart } from '../../viz/lineChart';
import { useDraw } from '../useDraw';

/** TensorBoard's default-ish smoothing: each point weighs the previous average by 0.9. */
const SMOOTHING = 0.9;

type Points = (readonly [number, number])[];

const zip = (steps: readonly number[], values: readonly number[]): Points =>
  steps.map((step, i) => [step, values[i]!] as const);

/** MLM and NSP loss, and MLM accuracy, over the steps since the last start, smoothed. */
export function LossCurves() {
  // Deferred: below the first screen, and up to HISTORY_LIMIT points a series to recompute.
  const history = useDeferredValue(useLab((s) => s.training.history));
  const series = useMemo(() => {
    const steps = history.map((p) => p.step);
    const mlm = history.map((p) => p.mlm);
    const accuracy = history.map((p) => p.mlmAccuracy);
    return {
      mlmRaw: zip(steps, mlm),
      mlm: zip(steps, smoothSeries(mlm, SMOOTHING)),
      nsp: zip(
        steps,
        smoothSeries(
          history.map((p) => p.nsp),
          SMOOTHING,
        ),
      ),
      accuracyRaw: zip(steps, accuracy),
      accuracy: zip(steps, smoothSeries(accuracy, SMOOTHING)),
    };
  }, [history]);
  const loss = useDraw(
    (svg, width) =>
      drawLineChart(
        svg,
        {
          points: series.mlm,
          highlightLast: true,
          extra: [
            { className: 'raw', points: series.mlmRaw },
            { className: 'nsp', points: series.nsp },
          ],
        },
        { width: Math.min(width, 560), height: 200, xLabel: 'step', yLabel: 'loss' },
      ),
    [series],
  );
  const accuracy = useDraw(
    (svg, width) =>
      drawLineChart(
        svg,
        {
          points: series.accuracy,
          highlightLast: true,
          extra: [{ className: 'raw', points: series.accuracyRaw }],
        },
        { width: Math.min(width, 560), height: 160, xLabel: 'step', yLabel: 'MLM accuracy' },
      ),
    [series],
  );
  if (history.length === 0) return null;
  const first = history[0]!;
  const last = history.at(-1)!;
  const span = `from step ${first.step} to step ${last.step}`;
  const end = (points: Points) => (points.at(-1)?.[1] ?? NaN).toFixed(3);
  return (
    <div className="chart-panel loss-curves" data-testid="train.loss-curves" data-points={history.length}>
      <h3>Loss and accuracy</h3>
      <ul className="legend">
        <li>
          <span className="line-key series-key" /> MLM loss (smoothed, β = {SMOOTHING})
        </li>
        <li>
          <span className="line-key nsp-key" /> NSP loss (smoothed)
        </li>
        <li>
          <span className="line-key raw-key" /> per step
        </li>
      </ul>
      {/* The names summarise the curves in words: where they start and where they are now. */}
      <svg
        ref={loss}
        role="img"
        aria-label={`MLM and NSP loss per step, ${span}: MLM ${first.mlm.toFixed(3)} to ${last.mlm.toFixed(3)} (smoothed ${end(series.mlm)}), NSP ${first.nsp.toFixed(3)} to ${last.nsp.toFixed(3)}`}
      />
      <svg
        ref={accuracy}
        role="img"
        aria-label={`MLM accuracy per step, ${span}: ${Math.round(first.mlmAccuracy * 100)}% to ${Math.round(last.mlmAccuracy * 100)}% (smoothed ${Math.round(Number(end(series.accuracy)) * 100)}%)`}
      />
    </div>
  );
}

/** Frequency in the training stream against the steps each row moved through the lookup, log-log. */
export function FrequencyPlot() {
  // Deferred together, so the caption's counts and the dots are those of one step.
  const { rows, facts } = useDeferredValue(
    useLab(useShallow((s) => ({ rows: s.training.rows, facts: s.training.runFacts }))),
  );
  const svg = useDraw(
    (element, width) => {
      if (rows)
        drawFrequencyPlot(
          element,
          { frequency: rows.frequency, lookupSteps: rows.byCause.lookup },
          { width: Math.min(width, 560), height: 240 },
        );
    },
    [rows],
  );
  if (!rows || rows.steps === 0 || !facts) return null;
  // Counted over V rows once per step in the store.
  const { seen, everyStep, movedEveryStep, steps } = facts;
  const V = rows.vocabSize.toLocaleString('en-US');
  const stepsText = `${steps.toLocaleString('en-US')} ${steps === 1 ? 'step' : 'steps'}`;
  return (
    <div className="chart-panel frequency-plot" data-testid="train.frequency">
      <h3>Frequent ids are looked up often, rare ones seldom</h3>
      <p className="stage-help">
        Each dot is a group of rows with the same counts (bigger: more rows): how often the id occurred in the
        batches, against the steps its row moved with a lookup gradient. Rows never seen in a batch have no
        place on a log scale and are left out; the line is y = x.
      </p>
      <p
        className="stage-help"
        data-testid="train.frequency-moved"
        data-looked-up-every-step={everyStep}
        data-moved-every-step={movedEveryStep}
      >
        Being looked up is not the only way a row moves: in {stepsText}, {everyStep.toLocaleString('en-US')}{' '}
        of {V} rows moved through the lookup in every step, and {movedEveryStep.toLocaleString('en-US')} moved
        in every step for any reason.
      </p>
      <svg
        ref={svg}
        role="img"
        aria-label={`Token frequency against steps moved through the lookup, log-log: ${seen.toLocaleString('en-US')} of ${V} ids seen in ${stepsText}; ${everyStep.toLocaleString('en-US')} of them moved through the lookup in every step`}
      />
    </div>
  );
}
