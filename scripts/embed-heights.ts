// Measures what a course page on another origin sees of the iframe embeds' heights: the heights each
// frame reports while it loads (with frames off screen), and how often the Training, Embedding sum
// and Learned rows frames change height during 50 steps of Play and on a training restart.
// Usage: npx vite build --outDir dist && npx tsx scripts/embed-heights.ts [--host-script]
//   E2E_DIST=dist-x picks another build; --host-script fits the frames with the build's
//   embed-host.js instead of the page's own listener (the README's example).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { serveDist } from '../e2e/staticHost';
import { launchChromium } from './lib/browser';

const useHostScript = process.argv.includes('--host-script');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Logged {
  t: number;
  frame: string;
  type: string;
  height?: number;
  step?: number;
}
declare global {
  interface Window {
    heightLog: Logged[];
  }
}

/** A course page: each frame as "Embed this view" writes it, in an 800 px column. */
function hostPage(labBase: string, frames: { id: string; src: string; height: number }[]): string {
  const iframes = frames
    .map(
      (f) =>
        `<h2>${f.id}</h2><iframe id="${f.id}" src="${labBase}${f.src}" title="lab ${f.id}" width="100%" height="${f.height}" style="border: 0; max-width: 1000px"></iframe>`,
    )
    .join('\n<p>Text between the frames.</p>\n');
  const fit = useHostScript
    ? `<script src="${labBase}embed-host.js"></script>`
    : `<script>
  addEventListener('message', (event) => {
    const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === event.source);
    if (frame && event.data && event.data.type === 'height') frame.style.height = event.data.payload.height + 'px';
  });
</script>`;
  return `<!doctype html><html><head><title>Course</title></head><body style="width: 800px; margin: 0 auto">
<script>
  window.heightLog = [];
  const t0 = performance.now();
  addEventListener('message', (event) => {
    const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === event.source);
    const data = event.data || {};
    if (!frame || data.source !== 'bert-embedding-lab') return;
    window.heightLog.push({ t: Math.round(performance.now() - t0), frame: frame.id, type: data.type,
      height: data.type === 'height' ? data.payload.height : undefined,
      step: data.type === 'state' ? data.payload.step : undefined });
  });
</script>
${fit}
${iframes}
<p id="after">The course page goes on below the frames.</p>
</body></html>`;
}

const lab = await serveDist('/');
let html = '';
const host = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html');
  response.end(html);
});
await new Promise<void>((resolve) => host.listen(0, resolve));
const hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
const browser = await launchChromium();

const log = (page: Page) => page.evaluate(() => window.heightLog);
const heights = (entries: Logged[], frame: string) =>
  entries.filter((e) => e.frame === frame && e.type === 'height').map((e) => e.height!);

async function open(frames: { id: string; src: string; height: number }[]): Promise<Page> {
  html = hostPage(lab.url, frames);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${hostOrigin}/course.html`);
  return page;
}

try {
  // 1. Loading, with the second and third frames below the fold (off screen).
  const page = await open([
    { id: 'pack', src: `?embed=pack&origins=${hostOrigin}`, height: 900 },
    { id: 'train', src: `?embed=train&origins=${hostOrigin}`, height: 1200 },
    { id: 'sum', src: `?embed=sum&origins=${hostOrigin}`, height: 1200 },
  ]);
  await sleep(20_000);
  const loaded = await log(page);
  for (const id of ['pack', 'train', 'sum'])
    console.log(`load ${id}: reported ${JSON.stringify(heights(loaded, id))}`);
  await page.locator('#after').scrollIntoViewIfNeeded();
  await sleep(3_000);
  const scrolled = (await log(page)).slice(loaded.length);
  for (const id of ['pack', 'train', 'sum'])
    console.log(`after scrolling ${id}: reported ${JSON.stringify(heights(scrolled, id))}`);
  await page.close();

  // The other views' heights after load, one frame each (on screen).
  for (const view of ['vocab', 'learned', 'lesson']) {
    const page = await open([{ id: view, src: `?embed=${view}&origins=${hostOrigin}`, height: 1000 }]);
    await sleep(view === 'learned' ? 25_000 : 10_000);
    console.log(`load ${view}: reported ${JSON.stringify(heights(await log(page), view))}`);
    await page.close();
  }

  // 2. Play, 50 steps of the micro model on wasm, one frame at a time, on screen.
  for (const view of ['train', 'sum', 'learned']) {
    const page = await open([
      { id: view, src: `?embed=${view}&preset=micro&be=wasm&origins=${hostOrigin}`, height: 1200 },
    ]);
    const send = (message: unknown) =>
      page.evaluate((m) => document.querySelector('iframe')!.contentWindow!.postMessage(m, '*'), message);
    await page.waitForFunction(() => window.heightLog.some((e) => e.type === 'ready'), null, {
      timeout: 60_000,
    });
    await sleep(5_000);
    const before = (await log(page)).length;
    await send({ type: 'play', payload: { stepsPerSecond: 10 } });
    await page.waitForFunction(() => window.heightLog.some((e) => (e.step ?? 0) >= 50), null, {
      timeout: 60_000,
    });
    const played = (await log(page)).slice(before);
    const playing = heights(played, view);
    // The step the lab had last reported when each height came.
    const at = played
      .filter((e) => e.type === 'height')
      .map((e) => played.filter((w) => w.step !== undefined && w.t <= e.t).at(-1)?.step ?? 0);
    await send({ type: 'pause' });
    await sleep(2_000);
    const paused = heights((await log(page)).slice(before), view).slice(playing.length);
    console.log(
      `play ${view}: ${playing.length} height changes in 50 steps: ${JSON.stringify(playing)} at steps ${JSON.stringify(at)}; after the pause: ${JSON.stringify(paused)}`,
    );
    const mark = (await log(page)).length;
    await send({ type: 'setState', payload: { seed: 7 } });
    await sleep(6_000);
    const restart = heights((await log(page)).slice(mark), view);
    console.log(`restart ${view} (setState seed): ${restart.length} changes: ${JSON.stringify(restart)}`);
    await page.close();
  }
} finally {
  await browser.close();
  host.close();
  await lab.close();
}
