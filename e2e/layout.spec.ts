import { expect, test } from '@playwright/test';

test.describe('layout from 360 px to a desktop', () => {
  for (const width of [360, 390, 1280]) {
    test(`no view scrolls sideways at ${width} px`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: 800 });
      await page.goto('./');
      await expect(page.getByTestId('pack.token').first()).toBeVisible();
      for (const view of ['pack', 'vocab', 'train', 'sum'] as const) {
        // The Embedding sum view needs a model; the micro preset on wasm starts quickest.
        if (view === 'sum')
          await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
        await page.getByTestId(`nav.${view}`).click();
        if (view === 'vocab') await expect(page.getByTestId('vocab.corpus')).toBeVisible();
        // The Training view starts its model when shown; its map and counters are then drawn.
        if (view === 'train') await expect(page.getByTestId('train.map')).toBeVisible({ timeout: 90_000 });
        if (view === 'sum') await expect(page.getByTestId('sum.layernorm')).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, view).toBeLessThanOrEqual(0);
      }
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
