/** A small line of one number over training steps, with its last value dotted. Pure d3. */
import { extent, line, scaleLinear, select } from 'd3';

export interface SparkPoint {
  readonly x: number;
  readonly y: number;
}

export function drawSparkline(
  svg: SVGSVGElement,
  points: readonly SparkPoint[],
  options: { width: number; height: number },
): void {
  const { height } = options;
  const width = Math.max(60, options.width);
  const [x0 = 0, x1 = 1] = extent(points, (p) => p.x);
  const [y0 = 0, y1 = 1] = extent(points, (p) => p.y);
  const pad = (y1 - y0) * 0.1 || Math.abs(y1) * 0.01 || 1;
  const x = scaleLinear()
    .domain([x0, x1 === x0 ? x0 + 1 : x1])
    .range([3, width - 3]);
  const y = scaleLinear()
    .domain([y0 - pad, y1 + pad])
    .range([height - 3, 3]);
  const root = select(svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  root
    .selectAll('path.spark')
    .data([points])
    .join('path')
    .attr('class', 'spark')
    .attr('d', (d) =>
      line<SparkPoint>()
        .x((p) => x(p.x))
        .y((p) => y(p.y))([...d]),
    );
  const last = points[points.length - 1];
  root
    .selectAll('circle.spark-end')
    .data(last ? [last] : [])
    .join('circle')
    .attr('class', 'spark-end')
    .attr('r', 2.5)
    .attr('cx', (p) => x(p.x))
    .attr('cy', (p) => y(p.y));
}
