import { rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { divergingColor } from './heatStrip';
import { causePalette } from './matrixMap';
import { DARK_THEME, divergingInterpolator, LIGHT_THEME } from './theme';

/** Relative luminance (WCAG) of a CSS colour. */
const luminance = (css: string) => {
  const { r, g, b } = rgb(css);
  const [R, G, B] = [r, g, b].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
};

describe('divergingInterpolator', () => {
  it('keeps RdBu, white at zero, on the light page', () => {
    const light = divergingInterpolator('light');
    expect(luminance(light(0.5))).toBeGreaterThan(0.85);
    expect(rgb(light(0)).r).toBeGreaterThan(rgb(light(0)).b);
    expect(rgb(light(1)).b).toBeGreaterThan(rgb(light(1)).r);
  });

  it('puts a dark zero on the dark page and brightens with |value|, red above and blue below', () => {
    const dark = divergingInterpolator('dark');
    expect(luminance(dark(0.5))).toBeLessThan(0.03);
    // Lightness grows monotonically from the middle out, on both sides: more ink, larger magnitude.
    for (const side of [-1, 1]) {
      let previous = luminance(dark(0.5));
      for (let k = 1; k <= 10; k++) {
        const now = luminance(dark(0.5 + (side * k) / 20));
        expect(now).toBeGreaterThan(previous);
        previous = now;
      }
    }
    expect(rgb(dark(0)).r).toBeGreaterThan(rgb(dark(0)).b);
    expect(rgb(dark(1)).b).toBeGreaterThan(rgb(dark(1)).r);
    // The ends stand out from the dark panel (#1b1e24) by at least 3:1.
    const panel = luminance('#1b1e24');
    for (const t of [0, 1]) expect((luminance(dark(t)) + 0.05) / (panel + 0.05)).toBeGreaterThan(3);
  });

  it('gives the shared value scale the scheme’s zero and stays symmetric', () => {
    const scale = divergingColor(2, 'dark');
    expect(scale(0)).toBe(divergingInterpolator('dark')(0.5));
    expect(scale(5)).toBe(scale(2));
    expect(divergingColor(2)(0)).toBe(divergingInterpolator('light')(0.5));
  });
});

describe('causePalette', () => {
  it('keeps the three colours of moved rows and swaps the shades of unmoved rows for the page', () => {
    const light = causePalette('light');
    const dark = causePalette('dark');
    expect(dark.slice(0, 3)).toEqual(light.slice(0, 3));
    expect(light.slice(3)).toEqual([LIGHT_THEME.unchanged, LIGHT_THEME.stalled]);
    expect(dark.slice(3)).toEqual([DARK_THEME.unchanged, DARK_THEME.stalled]);
  });
});
