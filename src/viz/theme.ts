/**
 * Colours the drawing functions need outside CSS: canvas text and ticks, and the diverging value
 * scale. SVG parts are styled by class in styles.css and follow the CSS custom properties on their
 * own; canvas pixels and d3 colour scales cannot, so they take a theme for the colour scheme.
 */
import { interpolateLab, interpolateRdBu, piecewise } from 'd3';

export type ColorScheme = 'light' | 'dark';

export interface VizTheme {
  readonly scheme: ColorScheme;
  /** Text and ticks. Matches --ink in styles.css. */
  readonly ink: string;
  /** The selected row or cell. Matches --focus. */
  readonly accent: string;
  /** Segment A and B, as --seg-a and --seg-b. */
  readonly segments: readonly [string, string];
  /** Rows that did not move in the matrix map: recede into the page background. */
  readonly unchanged: readonly [number, number, number];
  /** Rows that had a gradient but did not move (a learning rate of 0): quiet, but not the page. */
  readonly stalled: readonly [number, number, number];
}

export const LIGHT_THEME: VizTheme = {
  scheme: 'light',
  ink: '#1c1f24',
  accent: '#7c3aed',
  segments: ['#2459c7', '#b4490b'],
  unchanged: [206, 210, 216],
  stalled: [214, 184, 120],
};

export const DARK_THEME: VizTheme = {
  scheme: 'dark',
  ink: '#e7e9ee',
  accent: '#c4a7ff',
  segments: ['#86adff', '#f5a56b'],
  unchanged: [52, 57, 66],
  stalled: [118, 98, 52],
};

export const themeFor = (scheme: ColorScheme): VizTheme => (scheme === 'dark' ? DARK_THEME : LIGHT_THEME);

/**
 * t in [0, 1] -> colour, red at 0, the neutral at 0.5, blue at 1 (d3's RdBu orientation).
 * On a light page zero is white, as in RdBu. On a dark page a white zero would make the smallest
 * numbers the loudest cells, so zero is the panel's dark grey and |value| brightens toward a light
 * red or blue: in both themes, more ink means a larger magnitude.
 */
export function divergingInterpolator(scheme: ColorScheme): (t: number) => string {
  if (scheme === 'light') return interpolateRdBu;
  return piecewise(interpolateLab, ['#ffb199', '#d8553f', '#262a31', '#3f7fd0', '#a8ccff']);
}

/** A CSS custom property as the element sees it (the theme's current value), or the fallback. */
export function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}
