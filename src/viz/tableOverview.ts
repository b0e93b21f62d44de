/**
 * A [rows, cols] table of numbers on a canvas, for tables too big for one SVG node per cell: the
 * token table has V × H = 30,522 × 128 cells in bert-tiny. When there are more rows than pixel rows,
 * each pixel row shows a bucket of consecutive rows and its colour is the bucket's mean, per column:
 * a compressed overview in which a single row's detail is averaged away but structure survives.
 * Marked rows (those this input uses) get a tick and a label to the right of the heat map.
 * Pure drawing: draw(canvas, data, options).
 */
import type { ValueColor } from './heatStrip';
import { cssVar, LIGHT_THEME } from './theme';

export interface TableMark {
  readonly row: number;
  readonly label: string;
  /** The selected row: outlined and always labelled. */
  readonly strong?: boolean;
}

export interface TableOverviewData {
  readonly values: Float32Array; // [rows, cols], row-major
  readonly rows: number;
  readonly cols: number;
  readonly marks: readonly TableMark[];
  /** An optional colour per row for a thin gutter left of the heat map (e.g. segment A or B). */
  readonly gutter?: (row: number) => string | null;
  /**
   * A [cols] vector subtracted from every row before colouring: the rows' mean change, to show
   * each row's change with the part all rows share taken out. A bucket's mean minus the offset is
   * the mean of its rows minus the offset, so the overview stays exact.
   */
  readonly offset?: Float32Array;
}

export interface TableOverviewOptions {
  readonly width: number;
  readonly height: number;
  readonly color: ValueColor;
  /** Room for labels right of the heat map, in CSS pixels. */
  readonly labelWidth: number;
  readonly font?: string;
  readonly ink?: string;
  readonly accent?: string;
}

const GUTTER = 5;
const LABEL_GAP = 11;

/** 256 precomputed colours from −max to +max: a lookup is cheaper than a d3 call per cell. */
function colorTable(color: ValueColor): { lut: Uint8ClampedArray; lo: number; hi: number } {
  const [hi, , lo] = color.domain() as [number, number, number];
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = color(lo + ((hi - lo) * i) / 255);
    const m = /rgb\((\d+), ?(\d+), ?(\d+)\)/.exec(c);
    lut.set(m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [255, 255, 255], i * 3);
  }
  return { lut, lo, hi };
}

export function drawTableOverview(
  canvas: HTMLCanvasElement,
  data: TableOverviewData,
  options: TableOverviewOptions,
): void {
  const { rows, cols, values, offset } = data;
  const dpr = globalThis.devicePixelRatio || 1;
  const width = Math.max(60, Math.floor(options.width));
  const height = Math.max(8, Math.floor(options.height));
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx || rows === 0 || cols === 0) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);

  const left = data.gutter ? GUTTER + 1 : 0;
  const heatWidth = Math.max(20, width - options.labelWidth - left);
  const pixelRows = Math.max(1, Math.min(rows, Math.round(height * dpr)));

  // Bucket means, one image pixel per (bucket, column); the canvas scales it up without smoothing.
  const image = new ImageData(cols, pixelRows);
  const { lut, lo, hi } = colorTable(options.color);
  for (let b = 0; b < pixelRows; b++) {
    const r0 = Math.floor((b * rows) / pixelRows);
    const r1 = Math.max(r0 + 1, Math.floor(((b + 1) * rows) / pixelRows));
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let r = r0; r < r1; r++) s += values[r * cols + c]!;
      const t = Math.round(((s / (r1 - r0) - (offset ? offset[c]! : 0) - lo) / (hi - lo)) * 255);
      const k = Math.max(0, Math.min(255, Number.isFinite(t) ? t : 128)) * 3;
      const p = (b * cols + c) * 4;
      image.data[p] = lut[k]!;
      image.data[p + 1] = lut[k + 1]!;
      image.data[p + 2] = lut[k + 2]!;
      image.data[p + 3] = 255;
    }
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = cols;
  bitmap.height = pixelRows;
  bitmap.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, left, 0, heatWidth, height);

  const rowY = (row: number) => ((row + 0.5) / rows) * height;
  const rowH = Math.max(1, height / rows);
  if (data.gutter) {
    for (let r = 0; r < rows; r++) {
      const fill = data.gutter(r);
      if (!fill) continue;
      ctx.fillStyle = fill;
      ctx.fillRect(0, (r / rows) * height, GUTTER, Math.max(rowH, 1));
    }
  }

  // Ticks for every marked row; labels where they fit, the strong one always.
  // Canvas text cannot follow CSS: read the theme's --ink and --focus unless told otherwise.
  const ink = options.ink ?? cssVar(canvas, '--ink', LIGHT_THEME.ink);
  const accent = options.accent ?? cssVar(canvas, '--focus', LIGHT_THEME.accent);
  ctx.font = options.font ?? '10px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  const x0 = left + heatWidth;
  const marks = [...data.marks].sort((a, b) => Number(b.strong ?? false) - Number(a.strong ?? false));
  const taken: number[] = [];
  for (const mark of marks) {
    const y = rowY(mark.row);
    ctx.strokeStyle = mark.strong ? accent : ink;
    ctx.lineWidth = mark.strong ? 2 : 1;
    ctx.beginPath();
    ctx.moveTo(x0 + 1, y);
    ctx.lineTo(x0 + 7, y);
    ctx.stroke();
    if (mark.strong) ctx.strokeRect(left + 1, y - rowH / 2 - 1, heatWidth - 2, rowH + 2);
    if (options.labelWidth < 20 || taken.some((t) => Math.abs(t - y) < LABEL_GAP)) continue;
    taken.push(y);
    ctx.fillStyle = mark.strong ? accent : ink;
    const clampedY = Math.max(6, Math.min(height - 6, y));
    ctx.fillText(mark.label, x0 + 9, clampedY, options.labelWidth - 10);
  }
}

/** The table row under a y coordinate of a canvas drawn `height` tall. */
export function rowAt(y: number, height: number, rows: number): number {
  return Math.max(0, Math.min(rows - 1, Math.floor((y / Math.max(1, height)) * rows)));
}
