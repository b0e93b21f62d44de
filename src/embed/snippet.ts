/** The `<iframe>` snippet a teacher pastes into a course page. */
import { viewLabel } from '../app/views';
import type { LabView, ThemeChoice } from '../store/types';

/**
 * A starting height for each view's iframe, measured at 800 px wide: the view's first panels (the
 * inputs and the packed sequence; the corpus and trainer; the settings, controls and batch; the
 * sequence and the LayerNorm walk) without an inner scroll bar. The rest scrolls inside the frame,
 * or the host fits the frame to the `height` message.
 */
const EMBED_HEIGHTS: Readonly<Record<LabView, number>> = {
  pack: 900,
  vocab: 1000,
  train: 1200,
  sum: 1200,
  learned: 1200,
  lesson: 1000,
};

/** Escapes text for a double-quoted HTML attribute. */
export function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function iframeTitle(view: LabView): string {
  return `BERT Embedding Lab: ${viewLabel(view)}`;
}

/**
 * The iframe's own color-scheme for a transparent embed. A browser paints an opaque backdrop behind
 * a frame whose document's color-scheme differs from its iframe element's (CSS Color Adjustment,
 * "color-scheme" on iframes), which would hide the course page's colour: the frame's element is
 * given the embed's scheme. `auto` follows the system on both sides.
 */
function frameColorScheme(theme: ThemeChoice): string {
  return theme === 'auto' ? 'light dark' : theme;
}

export function iframeSnippet(
  src: string,
  view: LabView,
  options: { readonly transparentIn?: ThemeChoice } = {},
): string {
  const scheme =
    options.transparentIn === undefined ? '' : `; color-scheme: ${frameColorScheme(options.transparentIn)}`;
  return (
    `<iframe src="${attribute(src)}"\n` +
    `  title="${attribute(iframeTitle(view))}"\n` +
    `  width="100%" height="${EMBED_HEIGHTS[view]}" loading="lazy"\n` +
    `  style="border: 0; max-width: 1000px${scheme}"></iframe>`
  );
}
