/** The `<iframe>` snippet a teacher pastes into a course page. */
import { viewLabel } from '../app/views';
import type { LabView, ThemeChoice } from '../store/types';

/**
 * A starting height for each view's iframe: the height the view reports once it has its content, at
 * 800 px wide with the default state, hiding nothing (measured with scripts/embed-heights.ts, Chromium,
 * December 2026), rounded to 100 px. The frame keeps it until the view has its content, so a host
 * that fits the frame to the `height` messages moves its page once, by little, as the view comes in;
 * a host that does not fit it shows the view whole, or nearly. At other widths or with controls
 * hidden the view is taller or shorter, and the host's fitting makes up the difference.
 */
const EMBED_HEIGHTS: Readonly<Record<LabView, number>> = {
  pack: 1800,
  vocab: 1900,
  train: 2500,
  sum: 2500,
  learned: 2500,
  lesson: 700,
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
