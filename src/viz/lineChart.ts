/**
 * A small line chart with axes and labels. Pure d3: draw(svg, data, options). Used for the
 * vocabulary growth curve (and reusable for loss curves).
 */
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';

export interface LineChartData {
  readonly points: readonly (readonly [number, number])[];
  /** Marks the latest point with a dot. */
  readonly highlightLast?: boolean;
}

export interface LineChartOptions {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Domain minimums; the maximums follow the data. */
  readonly xMin?: number;
  readonly yMin?: number;
}

const MARGIN = { top: 10, right: 16, bottom: 38, left: 48 };

export function drawLineChart(svg: SVGSVGElement, data: LineChartData, options: LineChartOptions): void {
  const width = Math.max(200, options.width);
  const height = Math.max(120, options.height);
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const xs = data.points.map((p) => p[0]);
  const ys = data.points.map((p) => p[1]);
  const x = scaleLinear()
    .domain([options.xMin ?? Math.min(...xs, 0), Math.max(...xs, (options.xMin ?? 0) + 1)])
    .range([0, innerWidth])
    .nice();
  const y = scaleLinear()
    .domain([options.yMin ?? 0, Math.max(...ys, (options.yMin ?? 0) + 1)])
    .range([innerHeight, 0])
    .nice();

  const root = select(svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  const plot = root
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);

  plot
    .selectAll<SVGGElement, null>('g.x-axis')
    .data([null])
    .join('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(innerWidth / 80))));
  plot
    .selectAll<SVGGElement, null>('g.y-axis')
    .data([null])
    .join('g')
    .attr('class', 'y-axis')
    .call(axisLeft(y).ticks(Math.max(2, Math.floor(innerHeight / 40))));

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
    .attr('transform', `translate(-36,${innerHeight / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text((d) => d);

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
