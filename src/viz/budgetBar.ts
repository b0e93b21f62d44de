/**
 * A horizontal bar of the sequence budget: [CLS], the kept pieces of A, [SEP], the kept pieces of
 * B, [SEP] and padding fill the slots up to max length; the pieces truncation cut off hang past
 * the max-length line, hatched. Pure d3: draw(svg, data, options).
 */
import { select } from 'd3';

export interface BudgetSegment {
  readonly kind: 'special' | 'a' | 'b' | 'pad' | 'cut-a' | 'cut-b';
  readonly count: number;
  readonly label: string;
}

export interface BudgetBarData {
  readonly segments: readonly BudgetSegment[];
  readonly maxLength: number;
}

const BAR_Y = 18;
const BAR_HEIGHT = 22;
const HEIGHT = 64;

export function drawBudgetBar(svg: SVGSVGElement, data: BudgetBarData, options: { width: number }): void {
  const width = Math.max(120, options.width);
  const total = data.segments.reduce((sum, s) => sum + s.count, 0);
  // Word pieces to pixels, [0, max] -> [1, width - 1]: a plain linear map rather than d3's
  // scaleLinear, whose interpolators bring d3-interpolate and d3-color (14 kB) into the first view.
  const max = Math.max(total, data.maxLength, 1);
  const x = (pieces: number) => 1 + (pieces / max) * (width - 2);

  let offset = 0;
  const placed = data.segments
    .filter((s) => s.count > 0)
    .map((s) => {
      const start = offset;
      offset += s.count;
      return { ...s, start, end: offset };
    });

  const root = select(svg)
    .attr('width', width)
    .attr('height', HEIGHT)
    .attr('viewBox', `0 0 ${width} ${HEIGHT}`);

  root
    .selectAll('defs')
    .data([null])
    .join((enter) => {
      const defs = enter.append('defs');
      const pattern = defs
        .append('pattern')
        .attr('id', 'budget-hatch')
        .attr('patternUnits', 'userSpaceOnUse')
        .attr('width', 6)
        .attr('height', 6)
        .attr('patternTransform', 'rotate(45)');
      pattern.append('rect').attr('width', 6).attr('height', 6).attr('class', 'hatch-bg');
      pattern
        .append('line')
        .attr('x1', 0)
        .attr('y1', 0)
        .attr('x2', 0)
        .attr('y2', 6)
        .attr('class', 'hatch-line');
      return defs;
    });

  root
    .selectAll<SVGRectElement, (typeof placed)[number]>('rect.segment')
    .data(placed, (d) => d.label)
    .join('rect')
    .attr('class', (d) => `segment seg-${d.kind}`)
    .attr('x', (d) => x(d.start))
    .attr('y', BAR_Y)
    .attr('width', (d) => Math.max(1, x(d.end) - x(d.start)))
    .attr('height', BAR_HEIGHT)
    .selectAll('title')
    .data((d) => [d])
    .join('title')
    .text((d) => `${d.label}: ${d.count}`);

  root
    .selectAll<SVGTextElement, (typeof placed)[number]>('text.segment-label')
    .data(
      placed.filter((d) => x(d.end) - x(d.start) > 28),
      (d) => d.label,
    )
    .join('text')
    .attr('class', (d) => `segment-label label-${d.kind}`)
    .attr('x', (d) => (x(d.start) + x(d.end)) / 2)
    .attr('y', BAR_Y + BAR_HEIGHT / 2 + 4)
    .attr('text-anchor', 'middle')
    .text((d) => String(d.count));

  const limit = x(data.maxLength);
  root
    .selectAll('line.limit')
    .data([limit])
    .join('line')
    .attr('class', 'limit')
    .attr('x1', (d) => d)
    .attr('x2', (d) => d)
    .attr('y1', BAR_Y - 6)
    .attr('y2', BAR_Y + BAR_HEIGHT + 6);
  root
    .selectAll('text.limit-label')
    .data([limit])
    .join('text')
    .attr('class', 'limit-label')
    .attr('x', (d) => d)
    .attr('y', 11)
    // Keep the label inside the drawing: hang it left of a line near the right edge, and so on.
    .attr('text-anchor', (d) => (d > width - 60 ? 'end' : d < 60 ? 'start' : 'middle'))
    .text(`max length ${data.maxLength}`);
}
