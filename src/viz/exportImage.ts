/**
 * Figures as files. An on-screen <svg> is styled by the page's stylesheet (classes, CSS custom
 * properties, the dark theme), so a plain copy renders unstyled elsewhere: `standaloneSvg` inlines
 * each element's computed presentation properties, sizes the copy to everything it draws, and puts
 * the theme's background under it. Turning these into PNGs is rasterize.ts's work.
 */

/** A self-contained <svg> element as markup, with its size in CSS pixels. */
export interface StandaloneSvg {
  readonly markup: string;
  readonly width: number;
  readonly height: number;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** The resolution PNGs are written at, whatever the screen's devicePixelRatio. */
export const PNG_SCALE = 2;

/** Inherited properties: written where an element's value differs from its parent's. */
const INHERITED = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'paint-order',
  'shape-rendering',
] as const;

/** Not inherited: written where they differ from their initial value. */
const OWN: Readonly<Record<string, string>> = {
  opacity: '1',
  'alignment-baseline': 'auto',
  'mix-blend-mode': 'normal',
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The first opaque background from `element` up through its ancestors (and shadow hosts). */
export function backgroundOf(element: Element, fallback = '#ffffff'): string {
  for (let node: Element | null = element; node;) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && color !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(color)) return color;
    const root = node.getRootNode();
    node = node.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
  }
  return fallback;
}

/** The inline style that reproduces `element`'s computed look without the page's stylesheet. */
function inlineStyle(style: CSSStyleDeclaration, parent: CSSStyleDeclaration | null): string {
  const declarations: string[] = [];
  for (const name of INHERITED) {
    const value = style.getPropertyValue(name);
    if (value && (!parent || parent.getPropertyValue(name) !== value)) declarations.push(`${name}:${value}`);
  }
  for (const [name, initial] of Object.entries(OWN)) {
    const value = style.getPropertyValue(name);
    if (value && value !== initial) declarations.push(`${name}:${value}`);
  }
  if (style.display === 'none') declarations.push('display:none');
  return declarations.join(';');
}

export interface StandaloneOptions {
  /** The colour under the figure; null leaves it transparent. */
  readonly background: string | null;
  /** Space around everything the figure draws, in CSS pixels. */
  readonly padding?: number;
  /** A <title> for screen readers and file browsers (default: the element's aria-label). */
  readonly title?: string;
}

/**
 * A copy of an on-screen <svg> that renders the same in another program: computed styles inlined,
 * the viewBox grown to cover whatever draws outside it (chart labels often do, with
 * overflow: visible), width and height to match, and a background rectangle.
 */
export function standaloneSvg(source: SVGSVGElement, options: StandaloneOptions): StandaloneSvg {
  const clone = source.cloneNode(true) as SVGSVGElement;
  const from = [source, ...source.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  const styles = new Map<Element, CSSStyleDeclaration>();
  const styleOf = (element: Element) => {
    let style = styles.get(element);
    if (!style) styles.set(element, (style = getComputedStyle(element)));
    return style;
  };
  from.forEach((element, i) => {
    const parent = element === source || !element.parentElement ? null : styleOf(element.parentElement);
    const target = to[i]!;
    const css = inlineStyle(styleOf(element), parent);
    if (css) target.setAttribute('style', css);
    else target.removeAttribute('style');
    target.removeAttribute('tabindex');
  });

  const rect = source.getBoundingClientRect();
  const width = Number(source.getAttribute('width')) || rect.width || 300;
  const height = Number(source.getAttribute('height')) || rect.height || 150;
  const base = source.viewBox.baseVal;
  const view =
    base && base.width > 0 && base.height > 0
      ? { x: base.x, y: base.y, width: base.width, height: base.height }
      : { x: 0, y: 0, width, height };
  // User units per CSS pixel on each axis, to turn the padding and the new size into both.
  const ux = view.width / width;
  const uy = view.height / height;
  let box = view;
  try {
    const b = source.getBBox();
    if (b.width > 0 || b.height > 0) {
      const x0 = Math.min(view.x, b.x);
      const y0 = Math.min(view.y, b.y);
      const x1 = Math.max(view.x + view.width, b.x + b.width);
      const y1 = Math.max(view.y + view.height, b.y + b.height);
      box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    }
  } catch {
    // getBBox throws for an SVG that is not rendered (display: none): keep its own viewBox.
  }
  const pad = options.padding ?? 8;
  const vb = {
    x: box.x - pad * ux,
    y: box.y - pad * uy,
    width: box.width + 2 * pad * ux,
    height: box.height + 2 * pad * uy,
  };
  const outWidth = Math.ceil(vb.width / ux);
  const outHeight = Math.ceil(vb.height / uy);
  clone.setAttribute('width', String(outWidth));
  clone.setAttribute('height', String(outHeight));
  clone.setAttribute('viewBox', [vb.x, vb.y, vb.width, vb.height].map(round).join(' '));
  clone.setAttribute('xmlns', SVG_NS);
  clone.style.removeProperty('width');
  clone.style.removeProperty('height');
  clone.style.removeProperty('overflow');

  const document = source.ownerDocument;
  const title = options.title ?? source.getAttribute('aria-label');
  if (title) {
    const element = document.createElementNS(SVG_NS, 'title');
    element.textContent = title;
    clone.insertBefore(element, clone.firstChild);
  }
  if (options.background) {
    const bg = document.createElementNS(SVG_NS, 'rect');
    bg.setAttribute('x', String(round(vb.x)));
    bg.setAttribute('y', String(round(vb.y)));
    bg.setAttribute('width', String(round(vb.width)));
    bg.setAttribute('height', String(round(vb.height)));
    bg.setAttribute('fill', options.background);
    // After the <title>, before everything drawn.
    clone.insertBefore(bg, title ? clone.firstChild!.nextSibling : clone.firstChild);
  }
  return { markup: new XMLSerializer().serializeToString(clone), width: outWidth, height: outHeight };
}

export interface StackPart {
  readonly svg: StandaloneSvg;
  /** Shown left of the part when the stack has a label column, else above it. */
  readonly label?: string;
  /** A second, quieter line under the label. */
  readonly detail?: string;
}

export interface StackOptions {
  readonly title: string;
  /** Lines under the title, wrapped to the width. */
  readonly notes?: readonly string[];
  readonly background: string;
  readonly ink: string;
  readonly muted: string;
  readonly fontFamily: string;
  /** Width of a column of labels left of the parts; 0 puts each label above its part. */
  readonly labelWidth?: number;
  /** The least width of the figure, so notes have room to wrap. */
  readonly minWidth?: number;
  readonly legend?: readonly { readonly label: string; readonly color: string }[];
}

/** Greedy word wrap at about `chars` characters a line. */
export function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Several standalone SVGs stacked into one captioned figure: a title, notes, an optional legend,
 * then each part with its label. Pure string building, so it is the same in Node and the page.
 */
export function stackSvgs(parts: readonly StackPart[], options: StackOptions): StandaloneSvg {
  const pad = 16;
  const gap = 10;
  const labelWidth = options.labelWidth ?? 0;
  const contentWidth = Math.max(0, ...parts.map((p) => p.svg.width));
  const width = Math.ceil(Math.max(options.minWidth ?? 0, labelWidth + contentWidth) + 2 * pad);
  const body: string[] = [];
  let y = pad;
  const text = (x: number, size: number, color: string, content: string, weight = 400) =>
    body.push(
      `<text x="${x}" y="${round(y + size)}" font-size="${size}" font-weight="${weight}" fill="${color}">${escapeXml(content)}</text>`,
    );

  text(pad, 15, options.ink, options.title, 600);
  y += 22;
  const chars = Math.max(20, Math.floor((width - 2 * pad) / 6.4));
  for (const note of options.notes ?? []) {
    for (const line of wrapText(note, chars)) {
      text(pad, 12, options.muted, line);
      y += 16;
    }
  }
  if (options.legend?.length) {
    let x = pad;
    y += 4;
    for (const item of options.legend) {
      body.push(
        `<rect x="${x}" y="${round(y + 2)}" width="12" height="12" rx="2" fill="${escapeXml(item.color)}"/>`,
      );
      text(x + 16, 12, options.ink, item.label);
      x += 16 + item.label.length * 6.6 + 14;
    }
    y += 18;
  }
  y += gap;
  for (const part of parts) {
    if (part.label && labelWidth === 0) {
      text(pad, 12, options.ink, part.label, 600);
      y += 16;
      if (part.detail) {
        text(pad, 11, options.muted, part.detail);
        y += 15;
      }
    } else if (part.label) {
      const middle = y + part.svg.height / 2;
      const top = part.detail ? middle - 14 : middle - 7;
      body.push(
        `<text x="${pad}" y="${round(top + 11)}" font-size="12" font-weight="600" fill="${options.ink}">${escapeXml(part.label)}</text>`,
      );
      if (part.detail) {
        body.push(
          `<text x="${pad}" y="${round(top + 25)}" font-size="11" fill="${options.muted}">${escapeXml(part.detail)}</text>`,
        );
      }
    }
    body.push(`<g transform="translate(${pad + labelWidth},${round(y)})">${part.svg.markup}</g>`);
    y += part.svg.height + gap;
  }
  const height = Math.ceil(y - gap + pad);
  const markup =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${escapeXml(options.fontFamily)}"><title>${escapeXml(options.title)}</title>` +
    `<rect width="${width}" height="${height}" fill="${escapeXml(options.background)}"/>${body.join('')}</svg>`;
  return { markup, width, height };
}

/** The file's text: an XML declaration, then the markup. */
