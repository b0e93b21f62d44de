/**
 * A P×P matrix of cosines (the position table's rows against each other) as one pixel per cell on
 * a canvas, scaled up by CSS: 128 × 128 = 16,384 cells is a job for an ImageData, not SVG nodes.
 * Pure drawing: the caller owns the canvas and says which cell is read and where training stops.
 */
import { rgb } from 'd3';
import { divergingColor, type ValueColor } from './heatStrip';
import type { ColorScheme } from './theme';

export interface CosineHeatmapData {
  /** P, the matrix's side. */
  readonly count: number;
  /** [P, P], row-major, symmetric. */
  readonly cosines: Float32Array;
  /** Rows 0..lookedUp−1 are looked up by training; a line marks where they stop. */
  readonly lookedUp: number;
}

export interface CosineHeatmapOptions {
  readonly scheme: ColorScheme;
  /** The cell read out, outlined; null for none. */
  readonly focus: { readonly i: number; readonly j: number } | null;
  /** Where the line and the focus outline are drawn: the page's accent and ink colours. */
  readonly accent: string;
  readonly ink: string;
  /** Canvas pixels per cell: the canvas is P·cell wide, so lines and outlines stay sharp. */
  readonly cell: number;
}

/** cos(row i, row j) of a row-major P×P matrix; NaN outside it. */
export function cosineAt(data: Pick<CosineHeatmapData, 'count' | 'cosines'>, i: number, j: number): number {
  const P = data.count;
  if (!(i >= 0 && j >= 0 && i < P && j < P)) return NaN;
  return data.cosines[i * P + j] ?? NaN;
}

/**
 * The colour scale's half-range: the largest |cosine| off the diagonal (the diagonal is always 1
 * and would wash the band out), at least 0.05 so random step-0 rows do not look like structure.
 */
export function heatmapRange(data: Pick<CosineHeatmapData, 'count' | 'cosines'>): number {
  const P = data.count;
  let m = 0;
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++) if (i !== j) m = Math.max(m, Math.abs(data.cosines[i * P + j] ?? 0));
  return Math.max(0.05, Math.min(1, m));
}

/** The cell under a point of the drawn square of side `size` CSS px; null outside it. */
export function heatmapCellAt(
  x: number,
  y: number,
  size: number,
  count: number,
): { readonly i: number; readonly j: number } | null {
  if (!(size > 0) || x < 0 || y < 0 || x >= size || y >= size) return null;
  return { i: Math.floor((y / size) * count), j: Math.floor((x / size) * count) };
}

/** 256 colours of the scale from −range to +range, so each cell is a table lookup. */
export function heatmapPalette(color: ValueColor, range: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const { r, g, b } = rgb(color(-range + (2 * range * k) / 255));
    out[k * 3] = r;
    out[k * 3 + 1] = g;
    out[k * 3 + 2] = b;
  }
  return out;
}

/** Draws the matrix; returns the colour scale's half-range for the legend. */
export function drawCosineHeatmap(
  canvas: HTMLCanvasElement,
  data: CosineHeatmapData,
  options: CosineHeatmapOptions,
): number {
  const P = data.count;
  const c = Math.max(1, Math.round(options.cell));
  const side = P * c;
  if (canvas.width !== side) canvas.width = side;
  if (canvas.height !== side) canvas.height = side;
  const ctx = canvas.getContext('2d');
  if (!ctx || P === 0) return 1;
  const range = heatmapRange(data);
  const lut = heatmapPalette(divergingColor(range, options.scheme), range);
  const image = ctx.createImageData(side, side);
  const px = image.data;
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < P; j++) {
      const v = data.cosines[i * P + j] ?? 0;
      const k = Math.max(0, Math.min(255, Math.round(((v + range) / (2 * range)) * 255))) * 3;
      for (let dy = 0; dy < c; dy++) {
        let at = ((i * c + dy) * side + j * c) * 4;
        for (let dx = 0; dx < c; dx++, at += 4) {
          px[at] = lut[k]!;
          px[at + 1] = lut[k + 1]!;
          px[at + 2] = lut[k + 2]!;
          px[at + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  // Where training's sequences stop: rows and columns at and past T are never looked up.
  const T = data.lookedUp;
  if (T > 0 && T < P) {
    ctx.strokeStyle = options.ink;
    ctx.lineWidth = Math.max(1, c / 2);
    ctx.setLineDash([4 * c, 3 * c]);
    ctx.beginPath();
    ctx.moveTo(T * c, 0);
    ctx.lineTo(T * c, side);
    ctx.moveTo(0, T * c);
    ctx.lineTo(side, T * c);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (options.focus) {
    const { i, j } = options.focus;
    ctx.strokeStyle = options.accent;
    ctx.lineWidth = Math.max(2, c);
    const pad = Math.max(2, c);
    ctx.strokeRect(j * c - pad, i * c - pad, c + 2 * pad, c + 2 * pad);
  }
  return range;
}
