import { VIEWS } from '../app/views';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVED_KEYS } from '../store/share/state';
import {
  controlsOf,
  EMBED_CONTROLS,
  EMBED_KEYS,
  readBackground,
  readTheme,
  hideRules,
  MAX_HIDE_NAMES,
  parseOrigin,
  readEmbedParams,
} from './embedParams';
import { attribute, iframeSnippet } from './snippet';

describe('readEmbedParams', () => {
  it('is null for the full lab (no embed flag)', () => {
    expect(readEmbedParams('')).toBeNull();
    expect(readEmbedParams('?a=Hello&view=train')).toBeNull();
  });

  it('reads the view, case-insensitively', () => {
    expect(readEmbedParams('?embed=train')).toEqual({
      view: 'train',
      hide: [],
      origins: null,
      theme: 'auto',
      background: 'page',
      notices: [],
    });
    expect(readEmbedParams('?embed=SUM')?.view).toBe('sum');
  });

  it('shows Tokenize & Pack for an empty or unknown view, with a notice for the unknown one', () => {
    expect(readEmbedParams('?embed=')).toEqual({
      view: 'pack',
      hide: [],
      origins: null,
      theme: 'auto',
      background: 'page',
      notices: [],
    });
    const bad = readEmbedParams('?embed=<script>');
    expect(bad?.view).toBe('pack');
    expect(bad?.notices).toEqual([expect.stringContaining('is not a view')]);
  });

  it('keeps known controls of the view, in table order, once each', () => {
    expect(readEmbedParams('?embed=pack&hide=max-length,inputs,INPUTS, pad ')?.hide).toEqual([
      'inputs',
      'max-length',
      'pad',
    ]);
  });

  it('turns unknown names and other views’ controls into notices, not crashes', () => {
    const params = readEmbedParams('?embed=pack&hide=inputs,bogus,settings');
    expect(params?.hide).toEqual(['inputs']);
    expect(params?.notices).toEqual([
      expect.stringMatching(/"bogus" is not a control name; this view has: inputs, max-length/),
      expect.stringMatching(/"settings" is a control of Training, not of Tokenize & Pack/),
    ]);
  });

  it('bounds a huge hide list', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `x${i}`).join(',');
    const params = readEmbedParams(`?embed=pack&hide=${names}`);
    expect(params?.notices.length).toBe(MAX_HIDE_NAMES + 1);
    expect(params?.notices[0]).toContain(`more than ${MAX_HIDE_NAMES}`);
  });

  it('reads an allow-list of origins, normalised and without duplicates', () => {
    expect(
      readEmbedParams('?embed=pack&origins=https://a.example/,http://localhost:8080,https://a.example')
        ?.origins,
    ).toEqual(['https://a.example', 'http://localhost:8080']);
  });

  it('fails closed when no listed origin is valid', () => {
    const params = readEmbedParams('?embed=pack&origins=*,javascript:alert(1)');
    expect(params?.origins).toEqual([]);
    expect(params?.notices).toHaveLength(3);
    expect(params?.notices[2]).toContain('neither accepts nor sends messages');
  });
});

describe('parseOrigin', () => {
  it.each([
    ['https://course.example', 'https://course.example'],
    ['https://course.example/', 'https://course.example'],
    ['HTTPS://Course.Example:443', 'https://course.example'],
    ['http://127.0.0.1:4173', 'http://127.0.0.1:4173'],
  ])('%s is the origin %s', (raw, origin) => expect(parseOrigin(raw)).toBe(origin));

  it.each([
    '*',
    'course.example',
    'https://course.example/page',
    'https://u:p@course.example',
    'ftp://x.example',
    'javascript:alert(1)',
    'https://a.example?x=1',
    `https://${'a'.repeat(300)}.example`,
  ])('%s is refused', (raw) => expect(parseOrigin(raw)).toBeNull());
});

describe('theme= and background=', () => {
  it('reads light, dark and auto, case-insensitively, and transparent', () => {
    expect(readEmbedParams('?embed=sum&theme=Dark&background=transparent')).toMatchObject({
      theme: 'dark',
      background: 'transparent',
      notices: [],
    });
    expect(readEmbedParams('?embed=sum&theme=light')?.theme).toBe('light');
    expect(readEmbedParams('?embed=sum&theme=auto')?.theme).toBe('auto');
  });

  it('keeps the defaults for bad values, each with a notice naming it', () => {
    const params = readEmbedParams('?embed=pack&theme=purple&background=%3Cb%3Ered');
    expect(params).toMatchObject({ theme: 'auto', background: 'page' });
    expect(params?.notices).toEqual([
      expect.stringMatching(/^theme=.*purple.* is not a theme \(auto, light or dark\)/),
      expect.stringMatching(/^background=.*<b>red.* is not a background \(only transparent\)/),
    ]);
    expect(readEmbedParams('?embed=pack&theme=')?.notices).toHaveLength(1);
  });

  it('names the attribute for the web component', () => {
    expect(readTheme('sepia', 'theme').notice).toMatch(/^theme=/);
    expect(readTheme(null)).toEqual({ theme: 'auto', notice: null });
    expect(readBackground(null)).toEqual({ background: 'page', notice: null });
    expect(readBackground(' TRANSPARENT ')).toEqual({ background: 'transparent', notice: null });
  });
});

describe('the controls table', () => {
  it('has unique names, each for at least one view, each with selectors', () => {
    const names = EMBED_CONTROLS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of EMBED_CONTROLS) {
      expect(c.views.length).toBeGreaterThan(0);
      expect(c.selectors.length).toBeGreaterThan(0);
      expect(c.name).toMatch(/^[a-z][a-z-]*$/);
    }
  });

  it('gives every view some controls', () => {
    for (const view of ['pack', 'vocab', 'train', 'sum', 'learned', 'lesson'] as const)
      expect(controlsOf(view).length).toBeGreaterThan(1);
  });

  it('hideRules hides exactly the named controls’ selectors', () => {
    expect(hideRules([])).toBe('');
    const css = hideRules(['inputs', 'settings']);
    expect(css).toContain('.pack-view .inputs-grid');
    expect(css).toContain('.train-view [data-testid="train.settings"]');
    expect(css).not.toContain('max-length');
    expect(css).toContain('display: none !important');
  });

  it('the README lists every control with its view, and nothing else', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Embedding a view in a course page'));
    const rows = [...section.matchAll(/^\| ([a-z, ]+?) +\| `([a-z-]+)` +\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(
      EMBED_CONTROLS.map((c) => [c.views.length === VIEWS.length ? 'all' : c.views.join(', '), c.name]),
    );
  });

  it('the share-state codec ignores the embed flags', () => {
    for (const key of EMBED_KEYS) expect(RESERVED_KEYS).toContain(key);
  });
});

describe('iframeSnippet', () => {
  it('escapes the URL and names the view for screen readers', () => {
    const snippet = iframeSnippet('https://lab.example/?a=x&b="y"&embed=pack', 'pack');
    expect(snippet).toContain('src="https://lab.example/?a=x&amp;b=&quot;y&quot;&amp;embed=pack"');
    expect(snippet).toContain('title="BERT Embedding Lab: Tokenize &amp; Pack"');
    expect(snippet).toContain('loading="lazy"');
    expect(snippet).toMatch(/width="100%" height="\d+"/);
  });

  it('gives a transparent embed’s frame the embed’s colour scheme, so no opaque backdrop hides the page', () => {
    expect(iframeSnippet('https://lab.example/', 'pack')).toContain('style="border: 0; max-width: 1000px"');
    expect(iframeSnippet('https://lab.example/', 'pack', { transparentIn: 'dark' })).toContain(
      'style="border: 0; max-width: 1000px; color-scheme: dark"',
    );
    expect(iframeSnippet('https://lab.example/', 'pack', { transparentIn: 'auto' })).toContain(
      'color-scheme: light dark',
    );
  });

  it('attribute escapes every character that could end an attribute or open a tag', () => {
    expect(attribute(`"><script>&`)).toBe('&quot;&gt;&lt;script&gt;&amp;');
  });
});
