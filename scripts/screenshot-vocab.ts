// Screenshots of the Vocabulary view after training: the full page, one screen scrolled to the
// bottom (docs/vocab-1280.png) and the "merge just made" panel alone, for people to look at.
// Usage: npm run build && npx tsx scripts/screenshot-vocab.ts [outDir] [merges: all | N] [widths...]
// With a dist folder other than dist/: SCREENSHOT_DIST=dist-x SCREENSHOT_PORT=4211 npx tsx ...
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib/browser';

const outDir = process.argv[2] ?? 'test-results/screenshots';
const merges = process.argv[3] ?? 'all';
const widths = process.argv.slice(4).map(Number);
const port = Number(process.env.SCREENSHOT_PORT ?? 4180);
const dist = process.env.SCREENSHOT_DIST ?? 'dist';

const server = spawn(
  'npx',
  ['vite', 'preview', '--outDir', dist, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { stdio: 'ignore' },
);
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const width of widths.length ? widths : [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url);
    await page.getByTestId('nav.vocab').click();
    await page.getByTestId('vocab.corpus').getByText('built in').waitFor();
    const run = (which: string) => page.getByTestId(`vocab.run-${which}`).click();
    if (merges === 'all') await run('all');
    else for (let n = Number(merges); n > 0; n--) await run('1');
    await page.getByTestId('vocab.pause').and(page.locator(':disabled')).waitFor({ timeout: 60_000 });
    await page.getByTestId('vocab.last-merge.scores').waitFor();
    const file = join(outDir, `vocab-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    // The README's picture: one screen, scrolled to the bottom of the page.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const screen = join(outDir, `vocab-screen-${width}.png`);
    await page.screenshot({ path: screen });
    console.log(`wrote ${screen}`);
    const panel = join(outDir, `vocab-merge-${width}.png`);
    await page.locator('section[aria-labelledby="last-merge-title"]').screenshot({ path: panel });
    console.log(`wrote ${panel}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
