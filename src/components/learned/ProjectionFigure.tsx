import { drawProjectionScatter, type ScatterPoint } from '../../viz/projectionScatter';
import { useReducedMotion } from '../sum/useReducedMotion';
import { useDraw } from '../useDraw';

/**
 * How long a dot takes to glide to the next step's place after Step or 10 steps. While Play runs
 * the dots jump instead: a glide restarted with every report kept 300+ SVG nodes changing in
 * every frame, and the page's frames past their budget.
 */
const GLIDE_MS = 400;

interface ProjectionFigureProps {
  readonly points: readonly ScatterPoint[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly height: number;
  readonly label: string;
  readonly testId: string;
  readonly path?: boolean;
  /** Training plays: jump, do not glide. */
  readonly playing: boolean;
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
  playing,
}: ProjectionFigureProps) {
  const reduced = useReducedMotion();
  const ref = useDraw(
    (svg, width) =>
      drawProjectionScatter(svg, points, {
        width: Math.max(240, width),
        height,
        xLabel,
        yLabel,
        duration: reduced || playing ? 0 : GLIDE_MS,
        path: path ?? false,
      }),
    [points, xLabel, yLabel, height, reduced, path, playing],
  );
  return <svg ref={ref} className="learned-scatter" role="img" aria-label={label} data-testid={testId} />;
}
