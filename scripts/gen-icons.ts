/**
 * Renders public/icons/icon.svg to the PNG sizes the web app manifest lists, with Debian's
 * Chromium: `npx tsx scripts/gen-icons.ts`. The SVG is the source; the PNGs are checked in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib/browser';

const ICONS = join(import.meta.dirname, '..', 'public', 'icons');
const svg = readFileSync(join(ICONS, 'icon.svg'), 'utf8');

const browser = await launchChromium();
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    await page.screenshot({ path: join(ICONS, `icon-${size}.png`) });
    await page.close();
  }
} finally {
  await browser.close();
}
