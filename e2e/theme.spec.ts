import { expect, test, type Page } from '@playwright/test';

/** Relative luminance (WCAG) of a computed CSS colour. */
const luminanceOf = (page: Page, selector: string, property: 'color' | 'backgroundColor') =>
  page.evaluate(
    ([sel, prop]) => {
      const css = getComputedStyle(document.querySelector(sel!)!)[prop as 'color'];
      const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
        const s = Number(c) / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    },
    [selector, property],
  );

test.describe('colour scheme', () => {
  test('the dark scheme gives a dark page with light text, and the light scheme the reverse', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('./');
    await expect(page.getByTestId('pack.token').first()).toBeVisible();
    expect(await luminanceOf(page, 'html', 'backgroundColor')).toBeLessThan(0.05);
    expect(await luminanceOf(page, '.panel', 'backgroundColor')).toBeLessThan(0.05);
    expect(await luminanceOf(page, 'h1', 'color')).toBeGreaterThan(0.6);
    expect(await luminanceOf(page, 'textarea', 'color')).toBeGreaterThan(0.6);

    await page.emulateMedia({ colorScheme: 'light' });
    expect(await luminanceOf(page, 'html', 'backgroundColor')).toBeGreaterThan(0.8);
    expect(await luminanceOf(page, 'h1', 'color')).toBeLessThan(0.05);
  });

  test('the matrix map and the diverging heat-map scale redraw for the dark scheme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await page.evaluate(() => window.bertLab!.step(1));
    await page.getByTestId('nav.train').click();
    // The map's "unchanged" rows follow the page: light grey on light, dark grey on dark.
    const unchangedSwatch = page.locator('.cause-counts .swatch[data-cause="unchanged"]');
    const light = await unchangedSwatch.evaluate((el) => getComputedStyle(el).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => unchangedSwatch.evaluate((el) => getComputedStyle(el).backgroundColor))
      .not.toBe(light);
    const dark = await unchangedSwatch.evaluate((el) =>
      (getComputedStyle(el).backgroundColor.match(/\d+/g) ?? []).slice(0, 3).map(Number),
    );
    expect(Math.max(...dark)).toBeLessThan(90);

    // The diverging scale's zero is white on the light page and a dark grey on the dark one, and
    // its ends stay bright enough to stand out from the panel.
    await page.getByTestId('nav.sum').click();
    await expect(page.getByTestId('sum.layernorm')).toBeVisible();
    const stops = () =>
      page
        .locator('.sum-legend-bar')
        .first()
        .evaluate((el) =>
          (getComputedStyle(el).backgroundImage.match(/rgb\([^)]*\)/g) ?? []).map((c) =>
            (c.match(/\d+/g) ?? []).map(Number),
          ),
        );
    const darkStops = await stops();
    expect(darkStops).toHaveLength(5);
    expect(Math.max(...darkStops[2]!), 'zero is dark').toBeLessThan(60);
    expect(Math.max(...darkStops[0]!), 'the ends are bright').toBeGreaterThan(150);
    expect(Math.max(...darkStops[4]!), 'the ends are bright').toBeGreaterThan(150);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect
      .poll(async () => Math.min(...(await stops())[2]!), 'zero is near white')
      .toBeGreaterThan(220);
  });
});
