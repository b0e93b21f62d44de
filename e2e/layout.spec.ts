import { expect, test } from '@playwright/test';
import { blockWebFonts, fontsSettled } from './fonts';

test.describe('layout from 320 px to a desktop', () => {
  // With the shipped fonts, and with only the machine's own (a fallback wider than Inter, such as
  // DejaVu Sans, must wrap rather than overflow): a font that fails to load must not break a view.
  for (const [width, fonts] of [
    [320, 'shipped'],
    [360, 'shipped'],
    [390, 'shipped'],
    [1280, 'shipped'],
    [320, 'system fallback'],
    [1280, 'system fallback'],
  ] as const) {
    test(`no view scrolls sideways at ${width} px with the ${fonts} fonts`, async ({ page }) => {
      const blocked = fonts === 'system fallback' ? await blockWebFonts(page) : null;
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: 800 });
      await page.goto('./');
      await expect(page.getByTestId('pack.token').first()).toBeVisible();
      for (const view of ['pack', 'vocab', 'train', 'sum'] as const) {
        // The Embedding sum view needs a model; the micro preset on wasm starts quickest.
        if (view === 'sum')
          await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
        await page.getByTestId(`nav.${view}`).click();
        // Each view's code loads on its first visit: measure it once it is there.
        if (view === 'vocab') await expect(page.getByTestId('vocab.corpus')).toBeVisible();
        // The Training view starts its model when shown; its map and counters are then drawn.
        if (view === 'train') await expect(page.getByTestId('train.map')).toBeVisible({ timeout: 90_000 });
        if (view === 'sum') await expect(page.getByTestId('sum.layernorm')).toBeVisible();
        await fontsSettled(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, view).toBeLessThanOrEqual(0);
      }
      if (blocked) expect(blocked.length, 'font requests blocked').toBeGreaterThan(0);
    });
  }

  test('the view tabs work with the arrow keys', async ({ page }) => {
    await page.goto('./');
    await page.getByTestId('nav.pack').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('nav.vocab')).toBeFocused();
    await expect(page.getByTestId('nav.vocab')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('vocab.view')).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('pack.view')).toBeVisible();
  });
});
