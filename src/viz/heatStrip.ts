/**
 * A vector of H numbers as one row of H coloured cells, and the shared diverging colour scale the
 * Embedding sum view draws every vector with. Pure d3: draw(svg, data, options).
 */
import { scaleDiverging, select, type ScaleDiverging } from 'd3';
import { divergingInterpolator, type ColorScheme } from './theme';

export type ValueColor = ScaleDiverging<string>;

/**
 * Blue below zero, neutral at zero (white, or the panel's grey in the dark theme), red above,
 * symmetric around zero so that equal colours mean equal values in every strip that shares the
 * scale. RdBu runs red to blue, hence the reversed domain.
 */
export function divergingColor(maxAbs: number, scheme: ColorScheme = 'light'): ValueColor {
  const m = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs : 1;
  return scaleDiverging(divergingInterpolator(scheme)).domain([m, 0, -m]).clamp(true);
}

/** The largest |x| over several vectors: the domain of one shared scale. */
export function maxAbsOf(...vectors: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const v of vectors) for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

export interface HeatStripData {
  readonly values: ArrayLike<number>;
  /** The hidden dimension under the pointer or the slider, outlined; null for none. */
  readonly cursor: number | null;
}

export interface HeatStripOptions {
  readonly width: number;
  readonly height: number;
  readonly color: ValueColor;
  /**
   * Milliseconds between neighbouring cells' CSS transitions, so a class change on the parent
   * reveals the cells one after another (the cell-by-cell sum); 0 for all at once.
   */
  readonly stagger?: number;
}

export function drawHeatStrip(svg: SVGSVGElement, data: HeatStripData, options: HeatStripOptions): void {
  const H = data.values.length;
  const width = Math.max(40, options.width);
  const cell = width / Math.max(1, H);
  const stagger = options.stagger ?? 0;
  const root = select(svg)
    .attr('width', width)
    .attr('height', options.height)
    .attr('viewBox', `0 0 ${width} ${options.height}`);
  const values = Array.from(data.values);
  root
    .selectAll<SVGRectElement, number>('rect.cell')
    .data(values)
    .join('rect')
    .attr('class', 'cell')
    .attr('x', (_, j) => j * cell)
    .attr('y', 0)
    // Overlap by a hair so the background never shows through as seams between cells.
    .attr('width', cell + 0.5)
    .attr('height', options.height)
    .attr('fill', (v) => options.color(v))
    .style('transition-delay', (_, j) => (stagger ? `${Math.round(j * stagger)}ms` : null));
  root
    .selectAll('rect.cursor')
    .data(data.cursor === null || data.cursor >= H ? [] : [data.cursor])
    .join('rect')
    .attr('class', 'cursor')
    .attr('x', (j) => j * cell + 0.5)
    .attr('y', 0.5)
    .attr('width', Math.max(1, cell - 1))
    .attr('height', options.height - 1);
}

/** The cell under an x coordinate of a strip drawn `width` wide. */
export function cellAt(x: number, width: number, H: number): number {
  return Math.max(0, Math.min(H - 1, Math.floor((x / Math.max(1, width)) * H)));
}
