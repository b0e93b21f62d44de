/**
 * The embed flags of a lab URL: `embed=<view>` shows one view with minimal chrome, `hide=<names>`
 * hides controls (as TensorFlow Playground's classroom flags do) and `origins=<list>` names the host
 * pages allowed to drive the lab with postMessage. Everything here is parsed, bounded and checked:
 * a bad flag becomes a notice in the page, never a crash and never markup.
 */
import { isLabView, viewLabel } from '../app/views';
import type { BackgroundChoice, LabView, ThemeChoice } from '../store/types';
import { quote } from '../store/share/specs';

/** One hideable control: the views it belongs to and the CSS selectors of its element(s). */
export interface EmbedControl {
  readonly name: string;
  /** What the "Embed this view" dialog calls it. */
  readonly label: string;
  readonly views: readonly LabView[];
  /**
   * Selectors inside the embedded view. `:has()` hides a whole field (label, input and help text)
   * by the test id of its input, so the views need no extra attributes for the table to work.
   */
  readonly selectors: readonly string[];
}

const field = (testId: string) => `.field:has(> [data-testid="${testId}"])`;
const labelOf = (testId: string) => `label:has(> [data-testid="${testId}"])`;

/** The one table of hideable controls: `hide=` names, the embed dialog and the README come from it. */
export const EMBED_CONTROLS: readonly EmbedControl[] = [
  {
    name: 'inputs',
    label: 'Sentence boxes',
    views: ['pack'],
    selectors: ['.pack-view .inputs-grid'],
  },
  {
    name: 'max-length',
    label: 'Max length',
    views: ['pack'],
    selectors: [`.pack-view ${field('pack.max-length')}`],
  },
  {
    name: 'pad',
    label: 'Pad to max length',
    views: ['pack'],
    selectors: [`.pack-view label.checkbox:has([data-testid="pack.pad"])`],
  },
  {
    name: 'vocab-choice',
    label: 'Vocabulary choice',
    views: ['pack'],
    selectors: ['[data-testid="pack.vocab-name"]', `.pack-view ${field('pack.vocab')}`],
  },
  {
    name: 'stages',
    label: 'Tokenizer stages',
    views: ['pack'],
    selectors: ['.pack-view section.panel[aria-labelledby="stages-title"]'],
  },
  {
    name: 'inspector',
    label: 'Piece inspector',
    views: ['pack'],
    selectors: ['[data-testid="pack.inspector"]'],
  },
  {
    name: 'corpus',
    label: 'Corpus choice',
    views: ['vocab'],
    selectors: ['.vocab-view section.panel:has([data-testid="vocab.load-builtin"])'],
  },
  {
    name: 'vocab-settings',
    label: 'Vocabulary trainer settings',
    views: ['vocab'],
    selectors: [
      '.vocab-view fieldset.score-choice',
      `.vocab-view ${field('vocab.target')}`,
      `.vocab-view ${field('vocab.min-frequency')}`,
    ],
  },
  {
    name: 'settings',
    label: 'Training settings form',
    views: ['train'],
    // The whole folded panel, its summary line included.
    selectors: ['.train-view [data-testid="train.settings"]'],
  },
  {
    name: 'optimizer',
    label: 'Optimizer choice',
    views: ['train'],
    selectors: [
      `.train-view ${labelOf('train.optimizer')}`,
      `.train-view ${labelOf('train.compare-optimizer')}`,
    ],
  },
  {
    name: 'backend',
    label: 'Backend choice',
    views: ['train'],
    selectors: [`.train-view ${labelOf('train.backend')}`, '.train-view .switch-backend'],
  },
  {
    name: 'step',
    label: 'Step buttons',
    views: ['train'],
    selectors: ['[data-testid="train.step"]', '[data-testid="train.step10"]'],
  },
  {
    name: 'play',
    label: 'Play, pause and speed',
    views: ['train'],
    selectors: [
      '[data-testid="train.play"]',
      '[data-testid="train.pause"]',
      '.train-view .button-row > label.field-inline:has(> input[type="number"])',
    ],
  },
  {
    name: 'animation',
    label: 'Animation controls',
    views: ['sum'],
    selectors: ['.sum-view .sum-controls'],
  },
  {
    name: 'tables',
    label: 'The three tables',
    views: ['sum'],
    selectors: ['.sum-view section.sum-tables'],
  },
  {
    name: 'matrix',
    label: 'All-positions matrix',
    views: ['sum'],
    selectors: ['.sum-view section.sum-matrix'],
  },
  {
    name: 'learned-controls',
    label: 'Step and Play buttons',
    views: ['learned'],
    selectors: ['.learned-view .learned-controls'],
  },
  {
    name: 'picks',
    label: 'Piece box and picks',
    views: ['learned'],
    selectors: ['.learned-view .learned-pick-form', '.learned-view .learned-chips'],
  },
  {
    name: 'chapters',
    label: 'Chapter list',
    views: ['lesson'],
    selectors: ['.lesson-view .lesson-toc'],
  },
  {
    name: 'open-link',
    label: '"Open in the lab" link',
    views: ['pack', 'vocab', 'train', 'sum', 'learned', 'lesson'],
    selectors: ['.embed-open'],
  },
  {
    name: 'export',
    label: 'Export menu',
    views: ['pack', 'vocab', 'train', 'sum', 'learned'],
    selectors: ['.export-menu'],
  },
];

export const controlsOf = (view: LabView): readonly EmbedControl[] =>
  EMBED_CONTROLS.filter((c) => c.views.includes(view));

/** A stylesheet that hides the named controls. Its text comes from the table, never from the URL. */
export function hideRules(names: readonly string[]): string {
  const selectors = EMBED_CONTROLS.filter((c) => names.includes(c.name)).flatMap((c) => c.selectors);
  return selectors.length ? `${selectors.join(',\n')} {\n  display: none !important;\n}\n` : '';
}

/** Bounds on what a URL may ask for: a course page needs a handful of each. */
export const MAX_HIDE_NAMES = 32;
export const MAX_ORIGINS = 16;
const MAX_ORIGIN_CHARS = 200;

export interface EmbedParams {
  readonly view: LabView;
  /** Known control names of this view, in table order. */
  readonly hide: readonly string[];
  /**
   * Host origins allowed to send messages and to receive them. null: no allow-list (any host).
   * An empty list means an `origins` flag was given but nothing in it was a valid origin: the lab
   * then talks to nobody rather than to everybody.
   */
  readonly origins: readonly string[] | null;
  readonly theme: ThemeChoice;
  readonly background: BackgroundChoice;
  readonly notices: readonly string[];
}

export const THEME_CHOICES: readonly ThemeChoice[] = ['auto', 'light', 'dark'];

/**
 * `theme=` (or the element's `theme` attribute): auto, light or dark; absent is auto, today's
 * behaviour (the system's scheme). Anything else is auto with a notice.
 */
export function readTheme(raw: string | null, name = 'theme'): { theme: ThemeChoice; notice: string | null } {
  if (raw === null) return { theme: 'auto', notice: null };
  const wanted = raw.trim().toLowerCase();
  const theme = THEME_CHOICES.find((t) => t === wanted);
  return theme
    ? { theme, notice: null }
    : {
        theme: 'auto',
        notice: `${name}=${quote(raw)} is not a theme (auto, light or dark); following the system.`,
      };
}

/**
 * `background=transparent` (or the element's attribute): the host's page colour shows through the
 * embed's. Absent is the lab's own page colour; anything else is too, with a notice.
 */
export function readBackground(
  raw: string | null,
  name = 'background',
): { background: BackgroundChoice; notice: string | null } {
  if (raw === null) return { background: 'page', notice: null };
  if (raw.trim().toLowerCase() === 'transparent') return { background: 'transparent', notice: null };
  return {
    background: 'page',
    notice: `${name}=${quote(raw)} is not a background (only transparent); keeping the lab's page colour.`,
  };
}

/** Splits a comma list, trimmed, without empties; stops at `limit` items so a huge list costs nothing. */
function list(raw: string, limit: number): { items: string[]; cut: boolean } {
  const items = raw
    .split(',', limit + 1)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { items: items.slice(0, limit), cut: items.length > limit };
}

/** `https://a.example` and `http://localhost:8080` are origins; paths, `*` and other schemes are not. */
export function parseOrigin(raw: string): string | null {
  if (raw.length > MAX_ORIGIN_CHARS) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    // The origin must be all there is: a path, query or credentials suggest a typo or a trick.
    if (
      url.username ||
      url.password ||
      url.search ||
      url.hash ||
      (url.pathname !== '/' && url.pathname !== '')
    )
      return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Reads the embed flags; null when the URL has no `embed` flag (the full lab). */
export function readEmbedParams(search: string): EmbedParams | null {
  const params = new URLSearchParams(search);
  const embed = params.get('embed');
  if (embed === null) return null;
  const notices: string[] = [];

  const wanted = embed.trim().toLowerCase();
  let view: LabView = 'pack';
  if (isLabView(wanted)) view = wanted;
  else if (wanted !== '')
    notices.push(
      `embed=${quote(embed)} is not a view (pack, vocab, train, sum, learned or lesson); showing Tokenize & Pack.`,
    );

  const hide: string[] = [];
  const hideRaw = params.get('hide');
  if (hideRaw !== null) {
    const { items, cut } = list(hideRaw.toLowerCase(), MAX_HIDE_NAMES);
    if (cut) notices.push(`hide= lists more than ${MAX_HIDE_NAMES} controls; the rest were ignored.`);
    for (const name of new Set(items)) {
      const control = EMBED_CONTROLS.find((c) => c.name === name);
      if (!control) {
        const known = controlsOf(view)
          .map((c) => c.name)
          .join(', ');
        notices.push(`hide=${quote(name)} is not a control name; this view has: ${known}.`);
      } else if (!control.views.includes(view)) {
        notices.push(
          `hide=${quote(name)} is a control of ${control.views.map(viewLabel).join(', ')}, not of ${viewLabel(view)}.`,
        );
      } else hide.push(name);
    }
  }

  let origins: string[] | null = null;
  const originsRaw = params.get('origins');
  if (originsRaw !== null) {
    const { items, cut } = list(originsRaw, MAX_ORIGINS);
    if (cut) notices.push(`origins= lists more than ${MAX_ORIGINS} origins; the rest were ignored.`);
    origins = [];
    for (const item of items) {
      const origin = parseOrigin(item);
      if (origin === null)
        notices.push(`origins=${quote(item)} is not an origin such as https://course.example.`);
      else if (!origins.includes(origin)) origins.push(origin);
    }
    if (origins.length === 0)
      notices.push('origins= names no valid origin, so this embed neither accepts nor sends messages.');
  }

  const { theme, notice: themeNotice } = readTheme(params.get('theme'));
  if (themeNotice !== null) notices.push(themeNotice);
  const { background, notice: backgroundNotice } = readBackground(params.get('background'));
  if (backgroundNotice !== null) notices.push(backgroundNotice);

  return {
    view,
    hide: EMBED_CONTROLS.map((c) => c.name).filter((n) => hide.includes(n)),
    origins,
    theme,
    background,
    notices,
  };
}

/** The embed flags are not part of the shared state: the codec leaves them alone. */
export const EMBED_KEYS = ['embed', 'hide', 'origins', 'theme', 'background'] as const;
