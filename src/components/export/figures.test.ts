import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBertTokenizer, parseVocabText, type TokenId } from '../../core/tokenizer';
import { escapeXml, stackSvgs, wrapText, type StandaloneSvg } from '../../viz/exportImage';
import { chipWidth, LIGHT_PACK_COLORS, packFigure } from './packFigure';

const bertVocab = parseVocabText(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'public', 'vocab', 'bert-base-uncased.txt'),
    'utf8',
  ),
);

/** The opening tags of an SVG string, e.g. to count chips; and a check that tags balance. */
function tags(markup: string) {
  const open: string[] = [];
  const stack: string[] = [];
  for (const [, close, name, selfClosing] of markup.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (close) expect(stack.pop()).toBe(name);
    else {
      open.push(name!);
      if (!selfClosing) stack.push(name!);
    }
  }
  expect(stack).toEqual([]);
  return open;
}

const attr = (markup: string, name: string) =>
  Number(new RegExp(`<svg[^>]* ${name}="([\\d.]+)"`).exec(markup)?.[1]);

describe('stacked figures', () => {
  const part: StandaloneSvg = {
    markup:
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40"/></svg>',
    width: 200,
    height: 40,
  };
  const options = {
    title: 'Loss <and> "accuracy" & more',
    background: '#fff',
    ink: '#111',
    muted: '#666',
    fontFamily: 'system-ui, "Segoe UI"',
  };

  it('sizes the figure to its parts, title and notes, and says so in width, height and viewBox', () => {
    const svg = stackSvgs([{ svg: part, label: 'one' }, { svg: part }], { ...options, notes: ['a note'] });
    expect(attr(svg.markup, 'width')).toBe(svg.width);
    expect(attr(svg.markup, 'height')).toBe(svg.height);
    expect(svg.markup).toContain(`viewBox="0 0 ${svg.width} ${svg.height}"`);
    expect(svg.width).toBe(200 + 32);
    expect(svg.height).toBeGreaterThan(2 * 40 + 22 + 16);
    expect(tags(svg.markup).filter((t) => t === 'svg')).toHaveLength(3);
  });

  it('escapes text, so a title cannot break the markup', () => {
    const svg = stackSvgs([{ svg: part }], options);
    expect(svg.markup).toContain(escapeXml(options.title));
    expect(svg.markup).not.toContain('<and>');
    tags(svg.markup);
  });

  it('a label column widens the figure and puts labels beside their parts', () => {
    const svg = stackSvgs([{ svg: part, label: 'Token row', detail: 'E_token[7]' }], {
      ...options,
      labelWidth: 150,
    });
    expect(svg.width).toBe(200 + 150 + 32);
    expect(svg.markup).toContain('translate(166,');
  });

  it('wraps text at word boundaries', () => {
    expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapText('', 10)).toEqual([]);
  });
});

describe('the packed sequence figure', () => {
  const tokenizer = createBertTokenizer(bertVocab);
  const measure = (token: string) => token.length * 8;
  const options = {
    width: 600,
    colors: LIGHT_PACK_COLORS,
    fontFamily: 'sans-serif',
    monoFamily: 'monospace',
    measure,
    notes: ['A: <script>alert(1)</script>'],
  };

  it('draws one chip per slot, in order, inside the width', () => {
    const packed = tokenizer.encodePair(
      'The lab shows how BERT turns unaffable words.',
      'Rare & “odd” ones split.',
      {
        maxLength: 40,
        padTo: 40,
      },
    );
    const svg = packFigure(packed, options);
    const ids = [...svg.markup.matchAll(/<g data-position="(\d+)" data-token-id="(\d+)">/g)];
    expect(ids.map((m) => Number(m[1]))).toEqual(packed.positionIds);
    expect(ids.map((m) => Number(m[2]))).toEqual(packed.inputIds);
    for (const m of svg.markup.matchAll(
      /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="79" rx="7"/g,
    )) {
      expect(Number(m[1]) + Number(m[2])).toBeLessThanOrEqual(600 - 16);
    }
    expect(svg.width).toBe(600);
    expect(attr(svg.markup, 'height')).toBe(svg.height);
    // Padding is drawn with a dashed border, its mask 0 in the unknown-token red.
    expect(svg.markup).toContain('stroke-dasharray="3 2"');
    expect(svg.markup).toContain(`fill="${LIGHT_PACK_COLORS.unk}" font-weight="600">0</text>`);
    tags(svg.markup);
  });

  it('escapes tokens and notes', () => {
    const packed = tokenizer.encodePair('a < b & c');
    const svg = packFigure(packed, options);
    expect(svg.markup).not.toContain('<script>');
    expect(svg.markup).toContain('&#60;');
    tags(svg.markup);
  });

  it('a chip is as wide as its token needs, and never narrower than the page’s 56 px', () => {
    const [cls] = tokenizer.encodePair('x').slots;
    expect(chipWidth({ ...cls!, token: '[PAD]', id: 0 as TokenId }, measure)).toBe(56);
    // Room for a five-digit id after its key.
    expect(chipWidth({ ...cls!, token: 'a', id: 17350 as TokenId }, measure)).toBeGreaterThanOrEqual(
      38 + 5 * 6.5,
    );
    const long = { ...cls!, token: 'supercalifragilistic' };
    expect(chipWidth(long, measure)).toBe(20 * 8 + 14);
  });
});
