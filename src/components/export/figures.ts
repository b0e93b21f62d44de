/**
 * Finding a view's figures in the page and turning them into files. Each export action starts from
 * the menu's element and looks only inside its own view, so two labs on one page (web components)
 * never export each other's figures.
 */
import {
  backgroundOf,
  stackSvgs,
  standaloneSvg,
  type StackOptions,
  type StandaloneSvg,
} from '../../viz/exportImage';
import { canvasToPng, svgDocument, svgToPng, type CanvasHeader } from '../../viz/rasterize';
import { cssVar } from '../../viz/theme';
import { textBlob } from './download';
import type { ExportAction, ExportFile } from './ExportMenu';

export interface PageTheme {
  readonly background: string;
  readonly ink: string;
  readonly muted: string;
  readonly fontFamily: string;
  readonly mono: string;
}

/** The view element around the menu: `[data-testid="<view>.view"]`. */
export function viewRoot(anchor: HTMLElement, view: string): HTMLElement {
  const root = anchor.closest<HTMLElement>(`[data-testid="${view}.view"]`);
  if (!root) throw new Error(`The ${view} view is not on the page.`);
  return root;
}

/** The colours and fonts the figure has on screen, light or dark. */
export function pageTheme(root: HTMLElement): PageTheme {
  const panel = root.querySelector('.panel') ?? root;
  return {
    background: backgroundOf(panel),
    ink: cssVar(root, '--ink', '#1c1f24'),
    muted: cssVar(root, '--muted', '#5b6270'),
    fontFamily: getComputedStyle(root).fontFamily || 'sans-serif',
    mono: cssVar(root, '--mono', 'monospace'),
  };
}

export function find<E extends Element>(root: HTMLElement, selector: string, what: string): E {
  const element = root.querySelector<E>(selector);
  if (!element) throw new Error(`${what} is not on the page yet.`);
  return element;
}

/** On-screen SVG charts, each made standalone, stacked under a title and notes. */
export function chartFigure(
  root: HTMLElement,
  charts: readonly { readonly svg: SVGSVGElement; readonly label?: string }[],
  caption: Pick<StackOptions, 'title' | 'notes' | 'legend'>,
): StandaloneSvg {
  const theme = pageTheme(root);
  const parts = charts.map(({ svg, label }) => ({
    svg: standaloneSvg(svg, { background: null, padding: 4 }),
    ...(label ? { label } : {}),
  }));
  return stackSvgs(parts, { ...caption, ...theme, minWidth: 420 });
}

/** The colour a legend key is drawn in on screen (its CSS `color`, as .line-key uses). */
export function keyColor(root: HTMLElement, selector: string, fallback: string): string {
  const key = root.querySelector(selector);
  return key ? getComputedStyle(key).color : fallback;
}

const svgFile = (svg: StandaloneSvg, name: string): ExportFile => ({
  blob: textBlob(svgDocument(svg), 'image/svg+xml'),
  name,
});

const pngFile = async (svg: StandaloneSvg, name: string): Promise<ExportFile> => ({
  blob: await svgToPng(svg),
  name,
});

/** Where one format of a figure goes: its test id after `export.` and its file name. */
interface ImageTarget {
  readonly id: string;
  readonly name: string;
}

/**
 * The PNG and SVG exports of one SVG figure, SVG first where the view's PNG of record is another
 * (canvas) figure. Both draw the same `figure`, so the two files always show the same thing.
 */
export function imageActions(
  figure: (anchor: HTMLElement) => StandaloneSvg,
  options: {
    readonly label: string;
    readonly disabledReason: string | null;
    readonly png: ImageTarget;
    readonly svg: ImageTarget;
    readonly svgFirst?: boolean;
  },
): ExportAction[] {
  const { label, disabledReason } = options;
  const png: ExportAction = {
    id: options.png.id,
    format: 'PNG',
    label: `${label}, image`,
    disabledReason,
    run: (anchor) => pngFile(figure(anchor), options.png.name),
  };
  const svg: ExportAction = {
    id: options.svg.id,
    format: 'SVG',
    label: `${label}, vector image`,
    disabledReason,
    run: (anchor) => svgFile(figure(anchor), options.svg.name),
  };
  return options.svgFirst ? [svg, png] : [png, svg];
}

/** A canvas figure as a PNG on the page's background, under a caption band. */
export async function canvasFile(
  root: HTMLElement,
  canvas: HTMLCanvasElement,
  name: string,
  caption: Pick<CanvasHeader, 'title' | 'legend'>,
  pixelScale = 1,
): Promise<ExportFile> {
  const theme = pageTheme(root);
  const header = { ...caption, ink: theme.ink, fontFamily: theme.fontFamily };
  return { blob: await canvasToPng(canvas, { background: theme.background, header, pixelScale }), name };
}

export const jsonFile = (data: unknown, name: string): ExportFile => ({
  blob: textBlob(`${JSON.stringify(data, null, 2)}\n`, 'application/json'),
  name,
});

export const csvFile = (csv: string, name: string): ExportFile => ({ blob: textBlob(csv, 'text/csv'), name });
