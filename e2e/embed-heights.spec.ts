/**
 * The heights a course page sees: a page on another origin (localhost, the lab on 127.0.0.1) with
 * the Training view as an iframe below the fold, fitted by the lab's own embed-host.js. The frame
 * must never be fitted to its loading placeholder, must get its height while off screen, and must
 * not move the page on every step of Play.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

declare global {
  interface Window {
    /** The iframe's fitted height after each change, with the last step the lab had reported. */
    fitted: { height: number; step: number }[];
    step: number;
  }
}

/** The frame's height in the page's HTML, below the view's: it must never be fitted smaller before the view is up. */
const START_HEIGHT = 1200;

const coursePage = (labBase: string, hostOrigin: string) => `<!doctype html>
<html lang="en"><head><title>Lesson</title>
<script src="${labBase}embed-host.js"></script>
<script>
  window.fitted = [];
  window.step = 0;
  addEventListener('message', (event) => {
    if (event.data && event.data.type === 'state') window.step = event.data.payload.step;
  });
  // What the reader sees: every change of the frame's height, as embed-host.js fits it.
  new MutationObserver(() => {
    const height = document.getElementById('lab').getBoundingClientRect().height;
    const last = window.fitted[window.fitted.length - 1];
    if (!last || last.height !== height) window.fitted.push({ height, step: window.step });
  }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ['style'] });
</script></head>
<body style="margin: 0; width: 800px">
<h1>A lesson</h1>
<div style="height: 1500px">Text above the frame: the frame starts off screen.</div>
<iframe id="lab" src="${labBase}?embed=train&amp;preset=micro&amp;be=wasm&amp;hide=settings&amp;origins=${hostOrigin}"
  title="BERT Embedding Lab: Training" width="100%" height="${START_HEIGHT}" style="border: 0"></iframe>
<p id="below">The lesson goes on below the frame.</p>
</body></html>`;

let server: Server;
let hostOrigin = '';
let labBase = '';
test.beforeAll(async ({ baseURL }) => {
  labBase = baseURL!;
  server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(coursePage(labBase, hostOrigin));
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  hostOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a Training iframe off screen gets its content height, and Play moves the page at most once per 10 steps', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(`${hostOrigin}/lesson.html`);
  const frame = page.frameLocator('#lab');

  // Off screen, the frame is fitted once its view is up, never to the 71 px loading placeholder.
  await expect.poll(() => page.evaluate(() => window.fitted.length), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(frame.getByTestId('train.step-count')).toHaveText('0');
  const loaded = await page.evaluate(() => window.fitted.map((f) => f.height));
  expect(Math.min(...loaded)).toBeGreaterThanOrEqual(START_HEIGHT);
  const content = await frame.locator('.embed').evaluate((el) => el.getBoundingClientRect().height);
  expect(await page.locator('#lab').evaluate((el) => el.getBoundingClientRect().height)).toBe(
    Math.ceil(content),
  );

  // 50 steps of Play, watched: count the frame's height changes a reader would see.
  await page.locator('#lab').scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.fitted.length);
  await page.evaluate(() =>
    document
      .querySelector<HTMLIFrameElement>('#lab')!
      .contentWindow!.postMessage({ type: 'play', payload: { stepsPerSecond: 10 } }, '*'),
  );
  await expect.poll(() => page.evaluate(() => window.step), { timeout: 30_000 }).toBeGreaterThanOrEqual(50);
  // Before the pause: a paused run may shrink the frame to its own height, once (heightReport.ts).
  const during = (await page.evaluate(() => window.fitted)).slice(before);
  await page.evaluate(() =>
    document.querySelector<HTMLIFrameElement>('#lab')!.contentWindow!.postMessage({ type: 'pause' }, '*'),
  );
  expect(during.length, JSON.stringify(during)).toBeLessThanOrEqual(5);
  // The run's panels (curves, move sizes, batch) all show within its first steps, and the frame
  // grows to them at most every 2 s (GROW_PACE_MS, 20 steps at 10 steps/s); after that nothing moves.
  expect(
    during.filter((f) => f.step >= 30),
    JSON.stringify(during),
  ).toEqual([]);
});
