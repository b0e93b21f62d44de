import { drawProjectionScatter, type ScatterPoint } from '../../viz/projectionScatter';
import { useReducedMotion } from '../sum/useReducedMotion';
import { useDraw } from '../useDraw';

/** How long a dot takes to glide to the next step's place: shorter than a step at 8 steps/s. */
const GLIDE_MS = 110;

interface ProjectionFigureProps {
  readonly points: readonly ScatterPoint[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly height: number;
  readonly label: string;
  readonly testId: string;
  readonly path?: boolean;
}

/** A principal-component map drawn by d3 into an SVG React owns: React renders it once, d3 moves the dots. */
export function ProjectionFigure({
  points,
  xLabel,
  yLabel,
  height,
  label,
  testId,
  path,
}: ProjectionFigureProps) {
  const reduced = useReducedMotion();
  const ref = useDraw(
    (svg, width) =>
      drawProjectionScatter(svg, points, {
        width: Math.max(240, width),
        height,
        xLabel,
        yLabel,
        duration: reduced ? 0 : GLIDE_MS,
        path: path ?? false,
      }),
    [points, xLabel, yLabel, height, reduced, path],
  );
  return <svg ref={ref} className="learned-scatter" role="img" aria-label={label} data-testid={testId} />;
}
