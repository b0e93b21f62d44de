/**
 * The suite must not depend on fonts installed by hand: the lab draws its text with the faces it
 * ships, whatever the machine has, and its layout holds with the machine's own fonts when those
 * faces cannot load. The first test prints the machine's fonts (fc-list) and the fonts Chromium
 * drew with, so a CI log shows what a run had.
 */
import { expect, test } from '@playwright/test';
import { expectShippedFontsLoaded, fontsSettled, renderedFonts, systemFamilies } from './fonts';

test('text renders with the self-hosted faces, not the fonts installed on the machine', async ({ page }) => {
  const system = systemFamilies();
  console.log(
    system
      ? `fc-list: ${system.length} font families on this machine: ${system.join(', ')}`
      : 'fc-list: not available on this machine',
  );
  await page.goto('./');
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  await expectShippedFontsLoaded(page);
  const views = [
    [
      'pack',
      [
        ['h1', 'Inter'],
        ['.tagline', 'Inter'],
        ['[data-testid="nav.vocab"]', 'Inter'],
        ['[data-testid="pack.token"] .chip-token', 'JetBrains Mono'],
        ['[data-testid="pack.token"] .chip-row', 'Inter'],
        ['[data-testid="pack.view"] h2', 'Inter'],
        ['.app-footer', 'Inter'],
      ],
    ],
    ['vocab', [['[data-testid="vocab.view"] h2', 'Inter']]],
    ['train', [['[data-testid="train.view"] h2', 'Inter']]],
    [
      'sum',
      [
        ['[data-testid="sum.view"] h2', 'Inter'],
        ['[data-testid="sum.chip"]', 'JetBrains Mono'],
      ],
    ],
  ] as const;
  for (const [view, checks] of views) {
    if (view === 'sum')
      await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await page.getByTestId(`nav.${view}`).click();
    if (view === 'sum') await expect(page.getByTestId('sum.chip').first()).toBeVisible({ timeout: 30_000 });
    for (const [selector, family] of checks) {
      await expect(page.locator(selector).first()).toBeVisible();
      await fontsSettled(page);
      const used = await renderedFonts(page, selector);
      console.log(
        `${selector}: ${[...used].map(([name, glyphs]) => `${name}: ${glyphs} glyphs`).join(', ')}`,
      );
      // Every glyph of plain English text comes from the shipped face, downloaded by the page, even
      // where the machine has a font of that name installed.
      expect([...used.keys()], selector).toEqual([`${family} (web font)`]);
    }
  }
});

test('the self-hosted fonts come from the lab itself and reach the web component', async ({ page }) => {
  const fontRequests: string[] = [];
  page.on('request', (r) => r.resourceType() === 'font' && fontRequests.push(new URL(r.url()).pathname));
  await page.goto('./embed-demo.html');
  const lab = page.locator('#first-lab');
  await expect(lab.getByTestId('pack.token').first()).toBeVisible({ timeout: 30_000 });
  // The faces live in the document's font set, where the element's shadow root finds them.
  await expectShippedFontsLoaded(page);
  const used = await renderedFonts(page, '[data-testid="pack.token"] .chip-token', '#first-lab');
  expect([...used.keys()]).toEqual(['JetBrains Mono (web font)']);
  expect(fontRequests.length).toBeGreaterThan(0);
  for (const path of fontRequests) expect(path).toMatch(/^\/assets\/[\w-]+\.woff2$/);
});
