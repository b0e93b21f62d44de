// Screenshots of the Embedding sum view at 1280 and 390 px, the default model on wasm (npx vite build
// first; E2E_PORT and E2E_DIST choose the port and build folder): test-results/screenshots/.

import { launchChromium, startPreview } from './lib/browser';
const server = await startPreview(Number(process.env.E2E_PORT ?? 4191));
const browser = await launchChromium();
try {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
    await page.goto(server.url);
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
    await page.getByTestId('nav.sum').click();
    await page.getByTestId('sum.position').waitFor({ timeout: 120000 });
    await page.waitForTimeout(500);
    console.log(
      width,
      'overflow',
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    );
    await page.screenshot({ path: `test-results/screenshots/sum-${width}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
