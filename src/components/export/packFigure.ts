/**
 * The packed sequence as a standalone SVG: the chips of Tokenize & Pack (token, id, segment,
 * position, attention mask) laid out in rows, drawn from the packed input itself rather than copied
 * from the page, whose chips are HTML.
 */
import type { PackedInput, PackedToken } from '../../core/tokenizer';
import { escapeXml, SVG_NS, type StandaloneSvg } from '../../viz/exportImage';

export interface PackFigureColors {
  readonly background: string;
  readonly ink: string;
  readonly muted: string;
  readonly segA: string;
  readonly segABg: string;
  readonly segB: string;
  readonly segBBg: string;
  readonly special: string;
  readonly specialBg: string;
  readonly padBg: string;
  readonly unk: string;
}

export const LIGHT_PACK_COLORS: PackFigureColors = {
  background: '#ffffff',
  ink: '#1c1f24',
  muted: '#5b6270',
  segA: '#2459c7',
  segABg: '#e8effd',
  segB: '#b4490b',
  segBBg: '#fdefe4',
  special: '#4b5563',
  specialBg: '#eceef1',
  padBg: '#f6f7f9',
  unk: '#c81e1e',
};

export interface PackFigureOptions {
  /** The figure's width in CSS pixels; chips wrap to it. */
  readonly width: number;
  readonly colors: PackFigureColors;
  readonly fontFamily: string;
  readonly monoFamily: string;
  /** Width of a token in the chips' font (13px bold monospace); the page measures with a canvas. */
  readonly measure: (token: string) => number;
  /** Lines under the title: the sentences and settings. */
  readonly notes: readonly string[];
  /** The page's budget bar, already standalone, drawn above the chips. */
  readonly budget?: StandaloneSvg;
}

const PAD = 16;
const CHIP_GAP = 6;
const CHIP_HEIGHT = 80;
const SEGMENT = ['A', 'B'] as const;

function chipColors(slot: PackedToken, c: PackFigureColors): { fill: string; stroke: string; dash: string } {
  if (slot.kind === 'pad') return { fill: c.padBg, stroke: c.muted, dash: '3 2' };
  if (slot.piece?.isUnk) return { fill: slot.side === 'b' ? c.segBBg : c.segABg, stroke: c.unk, dash: '4 2' };
  if (slot.kind === 'piece') {
    return slot.side === 'b'
      ? { fill: c.segBBg, stroke: c.segB, dash: '' }
      : { fill: c.segABg, stroke: c.segA, dash: '' };
  }
  return { fill: c.specialBg, stroke: c.special, dash: '' };
}

/** Width of one chip: its longest line, at least 56 px as on the page. */
export function chipWidth(slot: PackedToken, measure: (token: string) => number): number {
  const numbers = Math.max(String(slot.id).length, String(slot.position).length) * 6.5 + 44;
  return Math.ceil(Math.max(56, measure(slot.token) + 14, numbers));
}

export function packFigure(packed: PackedInput, options: PackFigureOptions): StandaloneSvg {
  const c = options.colors;
  const width = Math.max(320, Math.round(options.width));
  const body: string[] = [];
  const text = (x: number, y: number, size: number, fill: string, content: string, extra = '') =>
    body.push(
      `<text x="${x}" y="${y}" font-size="${size}" fill="${fill}"${extra}>${escapeXml(content)}</text>`,
    );

  let y = PAD + 15;
  const layout = packed.hasPair ? '[CLS] A [SEP] B [SEP]' : '[CLS] A [SEP]';
  text(PAD, y, 15, c.ink, `${layout}: ${packed.slots.length} slots`, ' font-weight="600"');
  const chars = Math.floor((width - 2 * PAD) / 6.4);
  for (const note of options.notes) {
    // Long sentences are cut rather than wrapped: the JSON export carries them whole.
    y += 17;
    text(PAD, y, 12, c.muted, note.length > chars ? `${note.slice(0, chars - 1)}…` : note);
  }
  y += 12;
  if (options.budget) {
    body.push(`<g transform="translate(${PAD - 8},${y - 8})">${options.budget.markup}</g>`);
    y += options.budget.height - 8;
  }

  let x = PAD;
  y += 4;
  for (const slot of packed.slots) {
    const w = chipWidth(slot, options.measure);
    if (x > PAD && x + w > width - PAD) {
      x = PAD;
      y += CHIP_HEIGHT + CHIP_GAP;
    }
    const { fill, stroke, dash } = chipColors(slot, c);
    const masked = slot.attention === 0;
    body.push(
      `<g data-position="${slot.position}" data-token-id="${slot.id}">`,
      `<rect x="${x + 0.5}" y="${y + 0.5}" width="${w - 1}" height="${CHIP_HEIGHT - 1}" rx="7" fill="${fill}" stroke="${stroke}"${dash ? ` stroke-dasharray="${dash}"` : ''}${slot.piece?.isUnk ? ' stroke-width="2"' : ''}/>`,
    );
    const tokenColor = slot.piece?.isUnk ? c.unk : c.ink;
    text(
      x + 6,
      y + 19,
      13,
      tokenColor,
      slot.token,
      ` font-family="${escapeXml(options.monoFamily)}" font-weight="600"`,
    );
    body.push(
      `<line x1="${x + 5}" x2="${x + w - 5}" y1="${y + 25.5}" y2="${y + 25.5}" stroke="${c.ink}" stroke-opacity="0.12"/>`,
    );
    const rows: [string, string, string, string][] = [
      ['id', String(slot.id), c.ink, ''],
      ['seg', SEGMENT[slot.segment], slot.segment === 1 ? c.segB : c.segA, ''],
      ['pos', String(slot.position), c.ink, ''],
      ['mask', String(slot.attention), masked ? c.unk : c.ink, masked ? ' font-weight="600"' : ''],
    ];
    rows.forEach(([key, value, color, weight], i) => {
      const ry = y + 39 + i * 12.5;
      text(x + 6, ry, 10.5, c.muted, key);
      text(x + 38, ry, 10.5, color, value, weight);
    });
    body.push('</g>');
    x += w + CHIP_GAP;
  }
  const height = Math.ceil(y + CHIP_HEIGHT + PAD);
  const title = `The packed input BERT sees: ${packed.slots.length} slots`;
  const markup =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${escapeXml(options.fontFamily)}"><title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${height}" fill="${escapeXml(c.background)}"/>${body.join('')}</svg>`;
  return { markup, width, height };
}
