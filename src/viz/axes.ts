/** The frame shared by the d3 charts: a sized <svg>, a translated plot group, two labelled axes. */
import { axisBottom, axisLeft, select, type AxisScale, type Selection } from 'd3';

export interface Margin {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export interface PlotFrame {
  readonly plot: Selection<SVGGElement, null, null, undefined>;
  readonly innerWidth: number;
  readonly innerHeight: number;
}

/** Sizes the svg and returns its plot group (made once, reused on redraw). */
export function plotFrame(svg: SVGSVGElement, width: number, height: number, margin: Margin): PlotFrame {
  const root = select(svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  const plot = root
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${margin.left},${margin.top})`) as unknown as PlotFrame['plot'];
  return {
    plot,
    innerWidth: width - margin.left - margin.right,
    innerHeight: height - margin.top - margin.bottom,
  };
}

export interface AxesOptions {
  readonly xLabel: string;
  readonly yLabel: string;
  /** Pixels per x tick. */
  readonly xTickSpacing: number;
  /** How far left of the plot the y label sits. */
  readonly yLabelOffset: number;
  /** d3 tick format specifier, e.g. '~s' for log axes. */
  readonly format?: string;
}

/** How many y ticks an axis of this height gets: one per 40 px, at least two. */
export const yTickCount = (innerHeight: number) => Math.max(2, Math.floor(innerHeight / 40));

export function drawAxes(
  frame: PlotFrame,
  x: AxisScale<number>,
  y: AxisScale<number>,
  options: AxesOptions,
): void {
  const { plot, innerWidth, innerHeight } = frame;
  const xTicks = Math.max(2, Math.floor(innerWidth / options.xTickSpacing));
  const yTicks = yTickCount(innerHeight);
  plot
    .selectAll<SVGGElement, null>('g.x-axis')
    .data([null])
    .join('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(axisBottom(x).ticks(xTicks, options.format));
  plot
    .selectAll<SVGGElement, null>('g.y-axis')
    .data([null])
    .join('g')
    .attr('class', 'y-axis')
    .call(axisLeft(y).ticks(yTicks, options.format));
  plot
    .selectAll('text.x-label')
    .data([options.xLabel])
    .join('text')
    .attr('class', 'x-label axis-label')
    .attr('x', innerWidth / 2)
    .attr('y', innerHeight + 32)
    .attr('text-anchor', 'middle')
    .text((d) => d);
  plot
    .selectAll('text.y-label')
    .data([options.yLabel])
    .join('text')
    .attr('class', 'y-label axis-label')
    .attr('transform', `translate(${-options.yLabelOffset},${innerHeight / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text((d) => d);
}
