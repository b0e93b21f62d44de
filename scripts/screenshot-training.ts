// Screenshots of the Training view after a few steps (the default model, lab, on wasm, Adam, untied
// output), for people to look at. Usage: npx vite build && npx tsx scripts/screenshot-training.ts
// [outDir] (E2E_PORT and E2E_DIST choose the port and build folder).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './lib/browser';

const outDir = process.argv[2] ?? 'test-results/screenshots';
const server = await startPreview(Number(process.env.E2E_PORT ?? 4193));
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url);
    await page.waitForFunction('window.bertLab !== undefined');
    await page.evaluate(
      "window.bertLab.start({ backend: 'wasm', optimizer: 'adam', tieOutputEmbeddings: false })",
    );
    await page.evaluate('window.bertLab.step(20)');
    await page.getByTestId('nav.train').click();
    await page.getByTestId('train.map').hover({ position: { x: 30, y: 20 } });
    await page.getByTestId('train.row').waitFor();
    const file = join(outDir, `train-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
