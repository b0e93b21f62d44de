// Takes screenshots of the built app in Debian's headless Chromium, for people to look at.
// Usage: npm run build && node scripts/screenshot.mjs [url] [outDir]
// (starts `vite preview` itself when no url is given)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.argv[3] ?? 'test-results/screenshots';
let url = process.argv[2];
let server;
if (!url) {
  server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', '4179', '--strictPort'], {
    stdio: 'ignore',
  });
  url = 'http://127.0.0.1:4179/';
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
try {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(url);
    await page.getByTestId('pack.token').first().waitFor();
    const file = join(outDir, `pack-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  server?.kill();
}
