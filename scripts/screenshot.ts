// Takes screenshots of the built app in Debian's headless Chromium, for people to look at.
// Usage: npm run build && npx tsx scripts/screenshot.ts [outDir] [widths...]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './lib/browser';

const outDir = process.argv[2] ?? 'test-results/screenshots';
const widths = process.argv.slice(3).map(Number);
const server = await startPreview(4179);
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const width of widths.length ? widths : [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId('pack.token').first().waitFor();
    const file = join(outDir, `pack-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
