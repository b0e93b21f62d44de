/**
 * Figures as PNGs: a standalone SVG (exportImage.ts) is rasterized at 2× through an <img> and a
 * canvas; canvas figures are copied onto a background under a header and encoded with toBlob.
 */
import { PNG_SCALE, type StandaloneSvg } from './exportImage';

export function svgDocument(svg: StandaloneSvg): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.markup}\n`;
}

function encode(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))),
      'image/png',
    ),
  );
}

async function loadImage(src: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = src;
  await image.decode();
  return image;
}

/** Rasterizes a standalone SVG to a PNG at `scale` × its size (crisp: the SVG is drawn at that size). */
export async function svgToPng(svg: StandaloneSvg, scale = PNG_SCALE): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgDocument(svg)], { type: 'image/svg+xml;charset=utf-8' }));
  let image: HTMLImageElement;
  try {
    image = await loadImage(url);
  } catch {
    // A Content-Security-Policy without blob: in img-src: try a data: URL before giving up.
    image = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgDocument(svg))}`).catch(
      () => {
        throw new Error('The browser could not draw the SVG to make a PNG.');
      },
    );
  } finally {
    URL.revokeObjectURL(url);
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(svg.width * scale);
  canvas.height = Math.round(svg.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas to draw the PNG on.');
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return encode(canvas);
}

export interface CanvasHeader {
  readonly title: string;
  readonly legend?: readonly { readonly label: string; readonly color: string }[];
  readonly ink: string;
  readonly fontFamily: string;
}

export interface CanvasPngOptions {
  /** The colour under the figure; null leaves it transparent. */
  readonly background: string | null;
  /**
   * Whole-number upscaling without smoothing, for maps drawn one cell per canvas pixel and
   * enlarged on screen with image-rendering: pixelated (1 keeps the backing store's size).
   */
  readonly pixelScale?: number;
  /** A band above the figure with a title and a colour key: a bare canvas has no caption. */
  readonly header?: CanvasHeader;
}

/**
 * Lays out (and, with `paint`, draws) the header band at `ratio` output pixels per CSS pixel;
 * returns its height. A first pass with paint = false sizes the canvas it is then drawn on.
 */
function drawHeader(
  ctx: CanvasRenderingContext2D,
  header: CanvasHeader,
  width: number,
  ratio: number,
  paint: boolean,
): number {
  const pad = 10 * ratio;
  let y = pad;
  ctx.textBaseline = 'top';
  ctx.font = `600 ${15 * ratio}px ${header.fontFamily}`;
  ctx.fillStyle = header.ink;
  if (paint) ctx.fillText(header.title, pad, y, width - 2 * pad);
  y += 22 * ratio;
  let x = pad;
  ctx.font = `${12 * ratio}px ${header.fontFamily}`;
  for (const item of header.legend ?? []) {
    const itemWidth = 16 * ratio + ctx.measureText(item.label).width + 14 * ratio;
    if (x > pad && x + itemWidth > width - pad) {
      x = pad;
      y += 18 * ratio;
    }
    if (paint) {
      ctx.fillStyle = item.color;
      ctx.fillRect(x, y + ratio, 12 * ratio, 12 * ratio);
      ctx.fillStyle = header.ink;
      ctx.fillText(item.label, x + 16 * ratio, y);
    }
    x += itemWidth;
  }
  if (header.legend?.length) y += 18 * ratio;
  return Math.ceil(y + pad / 2);
}

/**
 * A canvas figure as a PNG of its backing store (already devicePixelRatio × its CSS size, or
 * `pixelScale` × for pixel maps), over `background`, under an optional header band.
 */
export function canvasToPng(source: HTMLCanvasElement, options: CanvasPngOptions): Promise<Blob> {
  if (source.width === 0 || source.height === 0) throw new Error('The figure has not been drawn yet.');
  const k = Math.max(1, Math.round(options.pixelScale ?? 1));
  const width = source.width * k;
  const height = source.height * k;
  // Output pixels per CSS pixel, so the header's text has the figure's resolution.
  const ratio = Math.max(1, width / (source.clientWidth || source.width));
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas to draw the PNG on.');
  const top = options.header ? drawHeader(ctx, options.header, width, ratio, false) : 0;
  // Sizing the canvas resets its context state, so the header is drawn after.
  canvas.width = width;
  canvas.height = height + top;
  if (options.background) {
    ctx.fillStyle = options.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  if (options.header) drawHeader(ctx, options.header, width, ratio, true);
  ctx.imageSmoothingEnabled = k === 1;
  ctx.drawImage(source, 0, top, width, height);
  return encode(canvas);
}
