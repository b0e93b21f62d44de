// Screenshots of the Learned rows view at 1280 and 390 px (WIDTHS), the default model on wasm, after
// 0 steps and each of STEPS (a comma list, default 300) (npx vite build first; E2E_PORT and E2E_DIST
// choose the port and build folder): test-results/screenshots/learned-<width>-<step>.png. Prints each
// page's sideways overflow and the report's band, neighbour and segment sentences.
import { mkdirSync } from 'node:fs';
import { launchChromium, startPreview } from './lib/browser';

const STEPS = (process.env.STEPS ?? '300').split(',').map(Number);
const WIDTHS = (process.env.WIDTHS ?? '1280,390').split(',').map(Number);
mkdirSync('test-results/screenshots', { recursive: true });
const server = await startPreview(Number(process.env.E2E_PORT ?? 4212));
const browser = await launchChromium();
try {
  for (const width of WIDTHS) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
    await page.goto(server.url);
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.getByTestId('pack.token').first().waitFor();
    await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
    await page.getByTestId('nav.learned').click();
    for (const target of [0, ...STEPS]) {
      const now = Number(await page.evaluate(() => window.bertLab!.snapshot().step));
      if (target > now) await page.evaluate((n) => window.bertLab!.step(n), target - now);
      await page.waitForFunction(
        (t) =>
          document.querySelector('[data-testid="learned.view"]')?.getAttribute('data-step') === String(t),
        target,
        { timeout: 120_000 },
      );
      await page.locator('[data-testid="learned.neighbours"]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(400);
      const facts = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        band: document.querySelector('[data-testid="learned.band"]')?.textContent,
        never: document.querySelector('[data-testid="learned.never"]')?.textContent,
        neighbours: [...document.querySelectorAll('[data-testid="learned.neighbours"] button')]
          .map((b) => b.textContent)
          .join(', '),
        segments: document.querySelector('[data-testid="learned.segments"]')?.textContent,
      }));
      console.log(width, target, JSON.stringify(facts, null, 1));
      await page.screenshot({
        path: `test-results/screenshots/learned-${width}-${target}.png`,
        fullPage: true,
      });
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
