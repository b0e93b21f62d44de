import type { LearnedClaim } from '../../core/lesson/learned';
import type { LessonRunData } from '../../store/lessonTypes';
import { drawLineChart } from '../../viz/lineChart';
import { useDraw } from '../useDraw';

const HEIGHT = 200;

const cos2 = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2).replace('-', '−');

/**
 * The learned chapter's band, step by step: the mean cosine of neighbouring position rows inside
 * the training length, of rows 10 apart, and of neighbouring rows past it (never looked up).
 */
export function BandChart({ data }: { data: LessonRunData }) {
  const claim = data.outcome.claim as LearnedClaim;
  const series = [
    { label: `Neighbouring rows 1–${claim.lookedUp - 1}`, values: claim.band.map((b) => b.adjacent) },
    { label: `Rows 10 apart, below ${claim.lookedUp}`, values: claim.band.map((b) => b.tenApart) },
    {
      label: `Neighbouring rows ${claim.lookedUp}–${claim.positions - 1} (never looked up)`,
      values: claim.band.map((b) => b.beyondAdjacent),
    },
  ];
  const steps = claim.band.map((b) => b.step);
  const ref = useDraw(
    (svg, width) => {
      const points = (values: readonly number[]) => values.map((v, i) => [steps[i]!, v] as const);
      const all = series.flatMap((s) => s.values).filter(Number.isFinite);
      drawLineChart(
        svg,
        {
          points: points(series[0]!.values),
          highlightLast: true,
          extra: series
            .slice(1)
            .map((s, i) => ({ className: `lesson-line-${i + 1}`, points: points(s.values) })),
        },
        {
          width: Math.min(width, 640),
          height: HEIGHT,
          xLabel: 'step',
          yLabel: 'mean cosine',
          yMin: Math.min(0, ...all),
          yMaxAtLeast: 0.2,
        },
      );
    },
    [claim],
  );
  return (
    <figure className="lesson-figure lesson-drift" data-testid="lesson.band">
      <svg
        ref={ref}
        role="img"
        aria-label={`Mean cosine of position rows over ${claim.steps} steps: ${series.map((s) => `${s.label} from ${cos2(s.values[0])} to ${cos2(s.values.at(-1))}`).join('; ')}.`}
      />
      <figcaption>
        <ul className="lesson-legend">
          {series.map((s, i) => (
            <li key={s.label}>
              <span className={`lesson-swatch lesson-swatch-${i}`} aria-hidden="true" />
              {s.label}: {cos2(s.values[0])} at step 0, {cos2(s.values.at(-1))} after step {claim.steps}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
