/**
 * How far rows moved, by cause, as box plots on one log axis: for each group of rows a filled box
 * for ‖Δrow‖ and an outlined box for ‖g‖ (quartiles, with the median as a tick), so a learner can
 * see at a glance whether step sizes follow gradient sizes (SGD) or not (Adam). Pure d3.
 *
 * Zeros have no place on a log axis: a box whose quartiles are all 0 (the gradient of rows that
 * moved with none, every step at a learning rate of 0) is left out, and the table beside it says 0.
 */
import { axisBottom, scaleLog, select } from 'd3';
import { plotFrame } from './axes';

export interface MoveSizeBox {
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
}

export interface MoveSizeLane {
  readonly cause: string;
  /** The lane's name, written at its left. */
  readonly label: string;
  readonly color: string;
  readonly update: MoveSizeBox | null;
  readonly grad: MoveSizeBox | null;
}

const LANE = 22;
const MARGIN = { top: 4, right: 12, bottom: 22, left: 84 };

interface BoxMark {
  readonly key: string;
  readonly lane: number;
  readonly kind: 'update' | 'grad';
  readonly color: string;
  readonly box: MoveSizeBox;
}

/** The boxes that can be drawn on a log axis: median above 0 (a zero lower quartile is clamped). */
function marksOf(lanes: readonly MoveSizeLane[]): BoxMark[] {
  const marks: BoxMark[] = [];
  lanes.forEach((lane, i) => {
    for (const kind of ['update', 'grad'] as const) {
      const box = lane[kind];
      if (box && box.median > 0)
        marks.push({ key: `${lane.cause}-${kind}`, lane: i, kind, color: lane.color, box });
    }
  });
  return marks;
}

export function drawMoveSizeBoxes(svg: SVGSVGElement, lanes: readonly MoveSizeLane[], width: number): void {
  const marks = marksOf(lanes);
  const height = MARGIN.top + MARGIN.bottom + LANE * lanes.length;
  const frame = plotFrame(svg, Math.max(200, width), height, MARGIN);
  const values = marks.flatMap((m) => [m.box.q1, m.box.q3]).filter((v) => v > 0);
  const lo = values.length ? Math.min(...values) : 1e-6;
  const hi = values.length ? Math.max(...values) : 1;
  const x = scaleLog()
    .domain([lo / 2, hi === lo ? hi * 4 : hi * 2])
    .range([0, frame.innerWidth])
    .clamp(true);
  const y = (m: BoxMark) => m.lane * LANE + (m.kind === 'update' ? 2 : 11);
  frame.plot
    .selectAll<SVGGElement, null>('g.x-axis')
    .data([null])
    .join('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${LANE * lanes.length})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(frame.innerWidth / 70)), '.0e'));
  // Each lane named at its left, so the boxes read without the key.
  frame.plot
    .selectAll<SVGTextElement, MoveSizeLane>('text.lane-label')
    .data(lanes, (lane) => lane.cause)
    .join('text')
    .attr('class', 'lane-label')
    .attr('x', -8)
    .attr('y', (_, i) => i * LANE + 11)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('fill', 'currentColor')
    .text((lane) => lane.label);
  const boxes = frame.plot
    .selectAll<SVGGElement, BoxMark>('g.move-box')
    .data(marks, (m) => m.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'move-box');
      g.append('rect');
      g.append('line');
      return g;
    })
    .attr('data-kind', (m) => m.kind);
  boxes
    .select('rect')
    .attr('x', (m) => x(Math.max(m.box.q1, lo / 2)))
    .attr('y', y)
    .attr('width', (m) => Math.max(2, x(m.box.q3) - x(Math.max(m.box.q1, lo / 2))))
    .attr('height', 8)
    .attr('fill', (m) => (m.kind === 'update' ? m.color : 'none'))
    .attr('stroke', (m) => m.color)
    .attr('stroke-width', 1.5);
  boxes
    .select('line')
    .attr('x1', (m) => x(m.box.median))
    .attr('x2', (m) => x(m.box.median))
    .attr('y1', (m) => y(m) - 2)
    .attr('y2', (m) => y(m) + 10)
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 2);
  select(svg).attr('data-boxes', marks.length);
}
