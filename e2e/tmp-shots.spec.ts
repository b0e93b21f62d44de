import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { serveDist } from './staticHost';

const OUT = '/tmp/themes-shots';
test.setTimeout(240_000);

test.skip('full lab unchanged', async ({ page, baseURL }) => {
  const base = await serveDist('/', join(import.meta.dirname, '..', 'dist-themes-base'));
  for (const scheme of ['light', 'dark'] as const)
    for (const view of ['pack', 'sum'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.setViewportSize({ width: 1280, height: 900 });
      const shots: Buffer[] = [];
      for (const url of [base.url, baseURL!]) {
        await page.goto(`${url}?view=${view}`);
        await page.getByTestId(view === 'pack' ? 'pack.token' : 'sum.step-count').first().waitFor({ timeout: 60_000 });
        await page.waitForTimeout(500);
        shots.push(await page.screenshot({ fullPage: false }));
      }
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${OUT}/full-${view}-${scheme}-base.png`, shots[0]!);
      writeFileSync(`${OUT}/full-${view}-${scheme}-mine.png`, shots[1]!);
      console.log(`full lab ${view} ${scheme}: identical screenshots = ${shots[0]!.equals(shots[1]!)}`);
    }
  await base.close();
});

test('embeds', async ({ page, baseURL }) => {
  let html = '';
  const server = createServer((_, r) => { r.setHeader('content-type', 'text/html'); r.end(html); });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cases = [
    ['pack-light', 'pack', 'theme=light', '', 'rgb(255,255,255)'],
    ['pack-dark-transparent', 'pack', 'theme=dark&background=transparent', 'dark', 'rgb(27,27,31)'],
    ['sum-dark-transparent', 'sum', 'theme=dark&background=transparent', 'dark', 'rgb(27,27,31)'],
    ['sum-light', 'sum', 'theme=light', '', 'rgb(255,255,255)'],
    ['pack-stranger', 'pack', 'origins=https://course.example', '', 'rgb(255,255,255)'],
  ] as const;
  for (const width of [1280, 390])
    for (const [name, view, flags, scheme, bg] of cases) {
      if (width === 390 && name.startsWith('sum-light')) continue;
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await page.setViewportSize({ width, height: 1000 });
      const src = new URL(`./?embed=${view}&${flags}`, baseURL).href;
      html = `<!doctype html><html style="${scheme ? `color-scheme: ${scheme};` : ''} background: ${bg}; color: ${scheme ? '#ddd' : '#222'}; font-family: sans-serif"><body style="margin:0; padding: 16px"><h1>Course page</h1><p>Some text of the course around the embed.</p><iframe id="f" src="${src}" style="width:100%;max-width:1000px;height:900px;border:0"></iframe></body></html>`;
      await page.goto(`${origin}/${name}`);
      await page.frameLocator('#f').getByTestId(view === 'pack' ? 'pack.token' : 'sum.step-count').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${OUT}/${name}-${width}.png` });
    }
  server.close();
});
