// Screenshots of E_token's common drift after 30 default steps (lab preset, tied AdamW, wasm): the
// Embedding sum view's token table in each mode, and the Training map's centred brightness, at
// 1280 and 390 px (npx vite build first; E2E_PORT and E2E_DIST choose the port and build folder):
// test-results/screenshots/drift-*.png. Prints the drift note's numbers.

import { launchChromium, startPreview } from './lib/browser';
const server = await startPreview(Number(process.env.E2E_PORT ?? 4191));
const browser = await launchChromium();
const steps = Number(process.env.DRIFT_STEPS ?? 30);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => window.bertLab !== undefined);
  await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
  await page.evaluate((n) => window.bertLab!.step(n), steps);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.getByTestId('nav.sum').click();
    const note = page.getByTestId('sum.drift');
    await note.waitFor({ timeout: 120000 });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="sum.drift"]')?.getAttribute('data-step') === String(n),
      steps,
    );
    if (width === 1280)
      console.log(await note.evaluate((e) => ({ ...(e as HTMLElement).dataset, text: e.textContent })));
    for (const mode of ['weights', 'change', 'centred']) {
      await page.getByTestId(`sum.token-mode-${mode}`).check();
      await page.waitForTimeout(300);
      const figure = page.locator('figure', { has: page.getByTestId('sum.token-table') });
      await figure.screenshot({ path: `test-results/screenshots/drift-sum-${mode}-${width}.png` });
    }
    console.log(
      width,
      'overflow',
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    );
    await page.getByTestId('nav.train').click();
    await page.getByTestId('train.map-shade').selectOption('centred');
    await page.waitForTimeout(300);
    const map = page.locator('.matrix-map');
    await map.screenshot({ path: `test-results/screenshots/drift-map-centred-${width}.png` });
    if (width === 1280)
      console.log(
        await page.getByTestId('train.map-drift').evaluate((e) => ({ ...(e as HTMLElement).dataset })),
      );
    await page.getByTestId('train.map-shade').selectOption('update');
    await page.waitForTimeout(300);
    await map.screenshot({ path: `test-results/screenshots/drift-map-update-${width}.png` });
  }
} finally {
  await browser.close();
  server.stop();
}
