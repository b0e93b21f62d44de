/**
 * A small line chart with axes and labels. Pure d3: draw(svg, data, options). Used for the
 * vocabulary growth curve (and reusable for loss curves).
 */
import { line, scaleLinear } from 'd3';
import { drawAxes, plotFrame, yTickCount } from './axes';

export interface LineChartData {
  readonly points: readonly (readonly [number, number])[];
  /** Marks the latest point with a dot. */
  readonly highlightLast?: boolean;
  /** More lines on the same axes, each styled by its CSS class. */
  readonly extra?: readonly {
    readonly className: string;
    readonly points: readonly (readonly [number, number])[];
  }[];
}

export interface LineChartOptions {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Domain minimums; the maximums follow the data. */
  readonly xMin?: number;
  readonly yMin?: number;
  /**
   * The smallest the y maximum may be (default yMin + 1, which suits losses and counts); use a
   * smaller one for data on a small scale, such as learning rates.
   */
  readonly yMaxAtLeast?: number;
}

const MARGIN = { top: 10, right: 16, bottom: 38, left: 48 };

export function drawLineChart(svg: SVGSVGElement, data: LineChartData, options: LineChartOptions): void {
  const width = Math.max(200, options.width);
  const height = Math.max(120, options.height);
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const all = [data.points, ...(data.extra ?? []).map((e) => e.points)].flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const y = scaleLinear()
    .domain([options.yMin ?? 0, Math.max(...ys, options.yMaxAtLeast ?? (options.yMin ?? 0) + 1)])
    .range([innerHeight, 0])
    .nice();
  // The y label stands left of the widest tick label ("0.0010" for a learning rate), at about
  // 6.2 px a character in the axes' 10 px font, so the two never overlap.
  const yTicks = yTickCount(innerHeight);
  const widest = Math.max(...y.ticks(yTicks).map((t) => y.tickFormat(yTicks)(t).length));
  const margin = { ...MARGIN, left: Math.max(MARGIN.left, Math.ceil(widest * 6.2) + 26) };
  const innerWidth = width - margin.left - margin.right;
  const x = scaleLinear()
    .domain([options.xMin ?? Math.min(...xs, 0), Math.max(...xs, (options.xMin ?? 0) + 1)])
    .range([0, innerWidth])
    .nice();

  const frame = plotFrame(svg, width, height, margin);
  const { plot } = frame;
  drawAxes(frame, x, y, {
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    xTickSpacing: 80,
    yLabelOffset: margin.left - 12,
  });

  const path = line<readonly [number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  plot
    .selectAll('path.series')
    .data([data.points])
    .join('path')
    .attr('class', 'series')
    .attr('fill', 'none')
    .attr('d', (d) => path(d) ?? '');

  plot
    .selectAll('path.extra')
    .data(data.extra ?? [])
    .join('path')
    .attr('class', (d) => `extra ${d.className}`)
    .attr('fill', 'none')
    .attr('d', (d) => path(d.points) ?? '');

  const last = data.highlightLast ? data.points.at(-1) : undefined;
  plot
    .selectAll('circle.last')
    .data(last ? [last] : [])
    .join('circle')
    .attr('class', 'last')
    .attr('r', 4)
    .attr('cx', (p) => x(p[0]))
    .attr('cy', (p) => y(p[1]));
}
