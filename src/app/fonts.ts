/**
 * The lab's two typefaces, self-hosted: Inter for the interface and JetBrains Mono for tokens, ids
 * and numbers (both SIL OFL 1.1, from the @fontsource-variable packages). Shipping them makes text
 * as wide on a fresh Debian machine with only DejaVu, or on a phone, as where the layout was made,
 * and keeps the page whole offline (the build emits the files, so sw.js precaches them).
 *
 * Only the Latin and Latin Extended subsets of the upright variable faces are declared: one file
 * per subset covers every weight the styles use (400, 600, 700), and the browser fetches a subset
 * only when text in its unicode-range is on screen. Anything else (CJK, emoji, Greek) falls back to
 * the next family in the CSS stacks, and the layout wraps rather than overflows when it does.
 *
 * The faces are added with the FontFace API, not an @font-face rule, so that one declaration
 * serves both the page and the <bert-embedding-lab> web component: faces declared inside a shadow
 * root's stylesheet are ignored, while faces in `document.fonts` reach every shadow root. The URLs
 * come from `?url` imports, which Vite resolves against this module's own URL, so they are right
 * on any base path and from a course page on another origin.
 */
import interLatin from '@fontsource-variable/inter/files/inter-latin-wght-normal.woff2?url';
import interLatinExt from '@fontsource-variable/inter/files/inter-latin-ext-wght-normal.woff2?url';
import monoLatin from '@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2?url';
import monoLatinExt from '@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-ext-wght-normal.woff2?url';

/** The family names the stylesheets put first in `font-family` and `--mono`. */
const UI_FAMILY = 'Inter Variable';
const MONO_FAMILY = 'JetBrains Mono Variable';

/** Fontsource's subset ranges (Google Fonts' slicing), the same for both families. */
const LATIN =
  'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, ' +
  'U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD';
const LATIN_EXT =
  'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, ' +
  'U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF';

interface Face {
  readonly family: string;
  readonly url: string;
  readonly unicodeRange: string;
}

const FACES: readonly Face[] = [
  { family: UI_FAMILY, url: interLatin, unicodeRange: LATIN },
  { family: UI_FAMILY, url: interLatinExt, unicodeRange: LATIN_EXT },
  { family: MONO_FAMILY, url: monoLatin, unicodeRange: LATIN },
  { family: MONO_FAMILY, url: monoLatinExt, unicodeRange: LATIN_EXT },
];

/**
 * Adds the lab's faces to `fonts` once (a second call, as from a second web component, is a no-op)
 * and starts loading the Latin ones at once, in parallel with the scripts, so the first paint that
 * uses them does not wait for layout to discover them. `display: 'swap'` shows the fallback while
 * they load; tests that measure layout wait for `document.fonts.ready`. A failed load (offline
 * without the cache, or blocked) leaves the fallback fonts in place, which the layout tolerates.
 */
const installed = new WeakSet<FontFaceSet>();

export function installFonts(fonts: FontFaceSet = document.fonts): void {
  if (typeof FontFace !== 'function' || installed.has(fonts)) return;
  installed.add(fonts);
  for (const face of FACES) {
    const font = new FontFace(face.family, `url("${face.url}") format("woff2")`, {
      weight: '100 900',
      style: 'normal',
      display: 'swap',
      unicodeRange: face.unicodeRange,
    });
    fonts.add(font);
    if (face.unicodeRange === LATIN) font.load().catch(() => undefined);
  }
}
