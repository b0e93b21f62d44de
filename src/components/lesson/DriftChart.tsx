import type { JointTrainingClaim } from '../../core/lesson/jointTraining';
import type { LessonRunData } from '../../store/lessonTypes';
import { drawLineChart } from '../../viz/lineChart';
import { useDraw } from '../useDraw';

const HEIGHT = 200;

/** ‖row_t − row_0‖ of the watched rows, step by step, as core/lesson measured it from the engine's rows. */
export function DriftChart({ data }: { data: LessonRunData }) {
  const claim = data.outcome.claim as JointTrainingClaim;
  const [first, ...rest] = claim.rows;
  const ref = useDraw(
    (svg, width) => {
      if (!first) return;
      const points = (drift: readonly number[]) => drift.map((d, t) => [t, d] as const);
      drawLineChart(
        svg,
        {
          points: points(first.drift),
          highlightLast: true,
          extra: rest.map((row, i) => ({ className: `lesson-line-${i + 1}`, points: points(row.drift) })),
        },
        {
          width: Math.min(width, 640),
          height: HEIGHT,
          xLabel: 'step',
          yLabel: '‖row − row at step 0‖',
          yMaxAtLeast: 0,
        },
      );
    },
    [first, rest],
  );
  if (!first) return null;
  return (
    <figure className="lesson-figure lesson-drift" data-testid="lesson.drift">
      <svg
        ref={ref}
        role="img"
        aria-label={`How far the rows of ${claim.rows.map((r) => `"${r.token}"`).join(', ')} moved from where they started, over ${claim.steps} steps.`}
      />
      <figcaption>
        <ul className="lesson-legend">
          {claim.rows.map((row, i) => (
            <li key={row.token}>
              <span className={`lesson-swatch lesson-swatch-${i}`} aria-hidden="true" />
              &ldquo;{row.token}&rdquo;: {row.drift.at(-1)?.toPrecision(2)} after step {claim.steps}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
