/**
 * The token embedding table as a map: one pixel-sized cell per row of E_token, laid out in a
 * square grid (30,522 rows -> 175 × 175 cells), coloured by why the row moved this step and
 * brightened by how far it moved. Pure canvas code: draw(canvas, data, options).
 *
 * Speed: the canvas's own pixels are the cells (width = columns, height = rows of the grid) and
 * CSS scales it up with `image-rendering: pixelated`, so a redraw is one pass over V rows into a
 * reused ImageData and one putImageData, well under 4 ms for V = 30,522.
 *
 * Predicted rows ("predict, then reveal") need an outline, which a one-pixel cell cannot have:
 * while any row is predicted, each cell is drawn as 4 × 4 pixels, and a predicted row's twelve
 * border pixels take the mark shade (black, or white on a dark page) around its coloured 2 × 2 centre.
 */
import type { RowCause } from '../core/train/pure';
import { LIGHT_THEME, themeFor, type ColorScheme } from './theme';

/** Cause colours in ROW_CAUSES order, as [r, g, b]; the two causes of rows that did not move are the theme's. */
const CAUSE_COLORS: readonly (readonly [number, number, number])[] = [
  [232, 89, 12], // lookup: orange
  [36, 89, 199], // output: blue
  [174, 62, 201], // momentum (moved with no gradient): purple
  LIGHT_THEME.unchanged, // unchanged: light grey
  LIGHT_THEME.stalled, // stalled (a gradient, no move): sand
];

export const CAUSE_LABELS: Readonly<Record<RowCause, string>> = {
  lookup: 'moved through the lookup',
  output: 'moved through the output softmax only',
  momentum: 'moved with no gradient',
  unchanged: 'no gradient, did not move',
  stalled: 'had a gradient, did not move',
};

/** The order legends list the causes in: the rows that moved, then those that did not. */
export const CAUSE_LEGEND_ORDER: readonly RowCause[] = [
  'lookup',
  'output',
  'momentum',
  'stalled',
  'unchanged',
];

type Rgb = readonly [number, number, number];

/** The cause colours for a colour scheme: rows that did not move take the page's quiet shades. */
export function causePalette(scheme: ColorScheme = 'light'): readonly Rgb[] {
  const theme = themeFor(scheme);
  return [...CAUSE_COLORS.slice(0, 3), theme.unchanged, theme.stalled];
}

/** A cause's colour as CSS, by its index in ROW_CAUSES. */
export const causeCss = (index: number, scheme: ColorScheme = 'light') =>
  `rgb(${(causePalette(scheme)[index] ?? [0, 0, 0]).join(' ')})`;

export interface MatrixMapData {
  /** Each row's cause, as an index into ROW_CAUSES: [V]. */
  readonly causes: Uint8Array;
  /** ‖ΔE_token[r]‖ of the step: [V]. */
  readonly updateNorm: Float32Array;
  /**
   * What brightens a row that moved, if not ‖Δrow‖: e.g. ‖Δrow − mean Δrow‖, the row's step with
   * the step all rows share taken out: [V]. Rows that did not move keep their quiet shade.
   */
  readonly brightness?: Float32Array;
  /** cell -> row id; null for id order. */
  readonly order: Uint32Array | null;
  /** The row under the cursor, drawn in the mark shade; null for none. */
  readonly cursor: number | null;
  /** Rows the learner predicted will move, outlined. */
  readonly predicted?: ReadonlySet<number>;
  /** Colours in ROW_CAUSES order (default: the light theme's). */
  readonly palette?: readonly Rgb[];
  /** Grey level of the cursor and of outlines: 0 (black) on a light page, 255 on a dark one. */
  readonly markShade?: number;
}

/** Canvas pixels per cell side while rows are outlined. */
export const OUTLINE_SCALE = 4;

export interface MatrixGrid {
  readonly columns: number;
  readonly rows: number;
}

/** The smallest square-ish grid that holds V cells. */
export function matrixGrid(vocabSize: number): MatrixGrid {
  const columns = Math.max(1, Math.ceil(Math.sqrt(vocabSize)));
  return { columns, rows: Math.max(1, Math.ceil(vocabSize / columns)) };
}

/** The cell under a point given as fractions (0..1) of the canvas's width and height, or null. */
export function cellAt(grid: MatrixGrid, fx: number, fy: number, vocabSize: number): number | null {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return null;
  const cell = Math.floor(fy * grid.rows) * grid.columns + Math.floor(fx * grid.columns);
  return cell < vocabSize ? cell : null;
}

/** The map's zoom range: 1 fits the frame, 8 shows bert-tiny's 175 columns at ~25 px each. */
export const MAX_ZOOM = 8;

/**
 * The zoom after one wheel event with Ctrl held (a mouse wheel notch or a trackpad pinch, which
 * browsers report as Ctrl+wheel): exponential in deltaY, so that many small pinch events and one
 * notch agree, and at most ×2 per event. deltaMode 1 counts lines, ~16 px each.
 */
export function zoomByWheel(zoom: number, deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const factor = Math.min(2, Math.max(0.5, Math.exp(-pixels * 0.01)));
  return Math.min(MAX_ZOOM, Math.max(1, zoom * factor));
}

const images = new WeakMap<HTMLCanvasElement, ImageData>();

/** Draws the map; returns the milliseconds the draw took. */
export function drawMatrixMap(canvas: HTMLCanvasElement, data: MatrixMapData): number {
  const t0 = performance.now();
  const V = data.causes.length;
  const grid = matrixGrid(V);
  const palette = data.palette ?? CAUSE_COLORS;
  const shade = data.markShade ?? 0;
  const marks = data.predicted && data.predicted.size > 0 ? data.predicted : null;
  const s = marks ? OUTLINE_SCALE : 1;
  const width = grid.columns * s;
  const height = grid.rows * s;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext('2d');
  if (!context) return 0;
  let image = images.get(canvas);
  if (!image || image.width !== width || image.height !== height) {
    image = context.createImageData(width, height);
    images.set(canvas, image);
  }
  const pixels = image.data;

  // Brightness on a log scale: steps move rows by amounts that span several decades (a looked-up
  // row by ~lr, a softmax-only row by far less), so t = (ln‖Δ‖ − ln min) / (ln max − ln min).
  const bright = data.brightness ?? data.updateNorm;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < V; r++) {
    const n = bright[r]!;
    if (data.updateNorm[r]! > 0 && n > 0) {
      if (n < lo) lo = n;
      if (n > hi) hi = n;
    }
  }
  const logLo = Math.log(lo);
  const span = hi > lo ? Math.log(hi) - logLo : 1;

  pixels.fill(0);
  for (let cell = 0; cell < V; cell++) {
    const r = data.order ? data.order[cell]! : cell;
    const cause = data.causes[r]!;
    const color = palette[cause]!;
    const n = bright[r]!;
    const t = n > 0 ? Math.max(0, (Math.log(n) - logLo) / span) : 0;
    // Dim rows that barely moved toward black, keep the largest movers at full colour; rows that
    // did not move (unchanged, stalled) keep their quiet shade as it is.
    const k = data.updateNorm[r]! > 0 ? 0.45 + 0.55 * t : 1;
    if (s === 1) {
      const i = cell * 4;
      pixels[i] = color[0] * k;
      pixels[i + 1] = color[1] * k;
      pixels[i + 2] = color[2] * k;
      pixels[i + 3] = 255;
      continue;
    }
    const outlined = marks!.has(r);
    const x0 = (cell % grid.columns) * s;
    const y0 = Math.floor(cell / grid.columns) * s;
    for (let dy = 0; dy < s; dy++) {
      for (let dx = 0; dx < s; dx++) {
        const border = dx === 0 || dy === 0 || dx === s - 1 || dy === s - 1;
        const i = ((y0 + dy) * width + x0 + dx) * 4;
        if (outlined && border) pixels.fill(shade, i, i + 3);
        else {
          pixels[i] = color[0] * k;
          pixels[i + 1] = color[1] * k;
          pixels[i + 2] = color[2] * k;
        }
        pixels[i + 3] = 255;
      }
    }
  }
  if (data.cursor !== null && data.cursor < V) {
    const cell = data.order ? data.order.indexOf(data.cursor) : data.cursor;
    if (cell >= 0) {
      const x0 = (cell % grid.columns) * s;
      const y0 = Math.floor(cell / grid.columns) * s;
      for (let dy = 0; dy < s; dy++) {
        const i = ((y0 + dy) * width + x0) * 4;
        for (let dx = 0; dx < s; dx++) pixels.fill(shade, i + dx * 4, i + dx * 4 + 3);
      }
    }
  }
  context.putImageData(image, 0, 0);
  return performance.now() - t0;
}
