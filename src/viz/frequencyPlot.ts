/**
 * Token frequency in the training stream against how many steps updated the row through the
 * lookup, both on log scales. Each id is counted once per step it appears in, however often, so
 * every point lies on or under y = x; frequent ids fall further under it (many occurrences per
 * step). Points are grouped by their (x, y) pair, which keeps the SVG small for V = 30,522: the
 * dot's area grows with the number of rows at that pair. Pure d3: draw(svg, data, options).
 */
import { scaleLog, scaleSqrt } from 'd3';
import { drawAxes, plotFrame } from './axes';

export interface FrequencyPlotData {
  /** Occurrences of each id in the batches so far: [V]. */
  readonly frequency: ArrayLike<number>;
  /** Steps in which each row was updated through the lookup: [V]. */
  readonly lookupSteps: ArrayLike<number>;
}

export interface FrequencyPlotOptions {
  readonly width: number;
  readonly height: number;
}

const MARGIN = { top: 10, right: 16, bottom: 38, left: 52 };

interface Group {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
}

/** Rows grouped by (frequency, lookup steps); rows never seen (frequency 0) have no log. */
export function frequencyGroups(data: FrequencyPlotData): Group[] {
  const groups = new Map<string, { x: number; y: number; rows: number }>();
  for (let r = 0; r < data.frequency.length; r++) {
    const x = data.frequency[r]!;
    const y = data.lookupSteps[r]!;
    if (x <= 0 || y <= 0) continue;
    const key = `${x},${y}`;
    const group = groups.get(key);
    if (group) group.rows++;
    else groups.set(key, { x, y, rows: 1 });
  }
  return [...groups.values()];
}

export function drawFrequencyPlot(
  svg: SVGSVGElement,
  data: FrequencyPlotData,
  options: FrequencyPlotOptions,
): void {
  const width = Math.max(200, options.width);
  const height = Math.max(140, options.height);
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const groups = frequencyGroups(data);
  const maxX = Math.max(10, ...groups.map((g) => g.x));
  const maxY = Math.max(10, ...groups.map((g) => g.y));
  const maxRows = Math.max(1, ...groups.map((g) => g.rows));
  const x = scaleLog().domain([1, maxX]).range([0, innerWidth]).nice();
  const y = scaleLog().domain([1, maxY]).range([innerHeight, 0]).nice();
  const r = scaleSqrt().domain([1, maxRows]).range([2, 7]);

  const frame = plotFrame(svg, width, height, MARGIN);
  const { plot } = frame;
  drawAxes(frame, x, y, {
    xLabel: 'occurrences of the id in the batches (log)',
    yLabel: 'steps updated by lookup (log)',
    xTickSpacing: 90,
    yLabelOffset: 40,
    format: '~s',
  });
  // y = x: an id that occurred once in every step it was looked up.
  const top = Math.min(x.domain()[1]!, y.domain()[1]!);
  plot
    .selectAll('line.diagonal')
    .data([top])
    .join('line')
    .attr('class', 'diagonal')
    .attr('x1', x(1))
    .attr('y1', y(1))
    .attr('x2', (d) => x(d))
    .attr('y2', (d) => y(d));
  plot
    .selectAll('circle.group')
    .data(groups)
    .join('circle')
    .attr('class', 'group')
    .attr('cx', (g) => x(g.x))
    .attr('cy', (g) => y(g.y))
    .attr('r', (g) => r(g.rows))
    .selectAll('title')
    .data((g) => [g])
    .join('title')
    .text((g) => `${g.rows} rows: ${g.x} occurrences, ${g.y} lookup steps`);
}
