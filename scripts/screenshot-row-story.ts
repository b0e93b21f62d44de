// Screenshots of the Training view's first screen after a few steps of the default model (lab,
// AdamW, tied, wasm), with the move-size table, at 1280×800 and 390×844, plus the whole page.
// Usage: npx vite build && npx tsx scripts/screenshot-row-story.ts [outDir] [steps]
// (E2E_PORT and E2E_DIST choose the port and build folder).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './lib/browser';

const outDir = process.argv[2] ?? 'test-results/screenshots';
const steps = Number(process.argv[3] ?? 3);
const server = await startPreview(Number(process.env.E2E_PORT ?? 4194));
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(server.url);
    await page.waitForFunction('window.bertLab !== undefined');
    await page.getByTestId('nav.train').click();
    await page.evaluate("window.bertLab.start({ backend: 'wasm' })");
    await page.evaluate(`window.bertLab.step(${steps})`);
    await page.getByTestId('train.move-sizes').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(outDir, `row-story-${width}.png`) });
    await page.screenshot({ path: join(outDir, `row-story-${width}-full.png`), fullPage: true });
    await page
      .getByTestId('train.move-sizes')
      .screenshot({ path: join(outDir, `row-story-${width}-panel.png`) });
    console.log(`wrote ${outDir}/row-story-${width}.png`);
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
