/**
 * Rows of an embedding table projected onto their first two principal axes, as an SVG scatter:
 * a few hundred small dots, some labelled. Points are joined by key, so across training steps a
 * dot glides from where the row was to where it is (a d3 transition; none when duration is 0).
 * Pure d3: draw(svg, data, options).
 */
import {
  extent,
  interrupt,
  line,
  scaleLinear,
  select,
  type BaseType,
  type Selection,
  type Transition,
} from 'd3';
import { drawAxes, plotFrame, type Margin } from './axes';

export type ScatterKind = 'dot' | 'top' | 'pick' | 'focus' | 'looked' | 'never';

export interface ScatterPoint {
  /** Stable across steps: the token id or the position index. */
  readonly key: number;
  readonly x: number;
  readonly y: number;
  readonly kind: ScatterKind;
  /** Drawn beside the dot; empty for none. */
  readonly label: string;
}

export interface ScatterOptions {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Milliseconds the dots take to move to a new step's place; 0 to jump. */
  readonly duration: number;
  /** Join the points in their order with a line (the position rows, 0, 1, 2, …). */
  readonly path?: boolean;
}

const MARGIN: Margin = { top: 10, right: 12, bottom: 40, left: 46 };
const RADIUS: Readonly<Record<ScatterKind, number>> = {
  dot: 2,
  top: 2.5,
  pick: 4,
  focus: 5,
  looked: 3,
  never: 2,
};

/** A domain a little wider than the data, never empty, so no dot sits on an axis. */
function paddedExtent(values: readonly number[]): [number, number] {
  const [lo, hi] = extent(values.filter(Number.isFinite));
  if (lo === undefined || hi === undefined) return [-1, 1];
  const pad = (hi - lo) * 0.06 || Math.abs(lo) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/**
 * The selection with any glide on its nodes stopped, so a jump is not overtaken by an old glide.
 * The named `interrupt` (not the .interrupt() method) keeps d3-transition, which adds .transition()
 * and .interrupt() to selections, in the bundle: the d3 package is marked side-effect free.
 */
function stopped<E extends Element, D>(selection: Selection<E, D, SVGGElement, unknown>) {
  for (const node of selection.nodes()) interrupt(node);
  return selection;
}
export function drawProjectionScatter(
  svg: SVGSVGElement,
  points: readonly ScatterPoint[],
  options: ScatterOptions,
): void {
  const frame = plotFrame(svg, options.width, options.height, MARGIN);
  const { plot, innerWidth, innerHeight } = frame;
  const x = scaleLinear()
    .domain(paddedExtent(points.map((p) => p.x)))
    .range([0, innerWidth]);
  const y = scaleLinear()
    .domain(paddedExtent(points.map((p) => p.y)))
    .range([innerHeight, 0]);
  drawAxes(frame, x, y, {
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    xTickSpacing: 70,
    yLabelOffset: 34,
    format: '.2~f',
  });
  // One transition for the path, the dots and the labels, so they move together. It starts on the
  // plot, their common ancestor, whose timing they inherit: d3's transition() would start on
  // document.documentElement, which no parentNode chain reaches from inside a web component's
  // shadow root ("transition 1 not found").
  const glide: Transition<BaseType, unknown, BaseType, unknown> | null =
    options.duration > 0
      ? select<BaseType, unknown>(plot.node()!).transition('glide').duration(options.duration)
      : null;
  const pathData = options.path ? [points] : [];
  const trail = plot
    .selectAll<SVGPathElement, readonly ScatterPoint[]>('path.scatter-path')
    .data(pathData)
    .join('path')
    .attr('class', 'scatter-path');
  const d = line<ScatterPoint>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  if (glide) trail.transition(glide).attr('d', d);
  else trail.attr('d', d);

  const dots = plot
    .selectAll<SVGCircleElement, ScatterPoint>('circle.scatter-dot')
    .data(points, (p) => p.key)
    .join((enter) =>
      enter
        .append('circle')
        .attr('cx', (p) => x(p.x))
        .attr('cy', (p) => y(p.y)),
    )
    .attr('class', (p) => `scatter-dot scatter-${p.kind}`)
    .attr('r', (p) => RADIUS[p.kind]);
  // Document order is data order (the caller puts picks last, above the crowd); order() moves only
  // nodes that are out of place, where raise() would re-append them all on every step.
  dots.order();
  if (glide)
    dots
      .transition(glide)
      .attr('cx', (p) => x(p.x))
      .attr('cy', (p) => y(p.y));
  else
    stopped(dots)
      .attr('cx', (p) => x(p.x))
      .attr('cy', (p) => y(p.y));

  const labelled = points.filter((p) => p.label !== '');
  const labels = plot
    .selectAll<SVGTextElement, ScatterPoint>('text.scatter-label')
    .data(labelled, (p) => p.key)
    .join((enter) =>
      enter
        .append('text')
        .attr('x', (p) => x(p.x) + 5)
        .attr('y', (p) => y(p.y) - 4),
    )
    .attr('class', (p) => `scatter-label scatter-label-${p.kind}`)
    .text((p) => p.label);
  labels.order();
  if (glide)
    labels
      .transition(glide)
      .attr('x', (p) => x(p.x) + 5)
      .attr('y', (p) => y(p.y) - 4);
  else
    stopped(labels)
      .attr('x', (p) => x(p.x) + 5)
      .attr('y', (p) => y(p.y) - 4);
}
