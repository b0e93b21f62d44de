/**
 * The <bert-embedding-lab> element as a course page uses it: laid out by its own width, driven by
 * its methods, reporting through its events, and from another origin either working (a Blob worker
 * importing the lab's, vite preview sending CORS headers to localhost pages) or saying why not.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import type { LabStepDetail } from '../src/embed/bert-embedding-lab';
import { watchHostPage } from './pages/EmbedPage';

declare global {
  interface Window {
    labEvents?: { type: string; detail: unknown; at: number }[];
  }
}

/** Records the element's events on the document (they bubble and cross the shadow root). */
const recordEvents = () => {
  window.labEvents = [];
  for (const type of ['lab-ready', 'lab-state', 'lab-step'])
    document.addEventListener(type, (event) =>
      window.labEvents!.push({ type, detail: (event as CustomEvent).detail, at: performance.now() }),
    );
};

const eventsOf = (page: Page, type: string) =>
  page.evaluate((t) => (window.labEvents ?? []).filter((e) => e.type === t), type);

/** A course page with the element, and the iframe of the same view, in one 624 px column. */
const columnPage = (lab: string, head = '', iframe = true) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${head}<title>Lesson</title>
<script type="module" src="${lab}bert-embedding-lab.js"></script></head>
<body style="margin: 0"><main style="width: 624px; margin: 0 auto">
<bert-embedding-lab id="lab" view="train" hide="settings"></bert-embedding-lab>
${iframe ? `<iframe id="frame" src="${lab}?embed=train&amp;hide=settings&amp;seed=42&amp;be=wasm" title="Lab" width="624" height="2000" style="border: 0; display: block"></iframe>` : ''}
</main></body></html>`;

const side = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())?.width ?? 0;

test('in a 624 px column the element draws its Training map as large as an iframe of that width', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const errors = await watchHostPage(page);
  const course = new URL('courses/lesson.html', baseURL).href;
  await page.route(course, (route) =>
    route.fulfill({ contentType: 'text/html', body: columnPage(new URL('./', baseURL).href) }),
  );
  await page.addInitScript(recordEvents);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(course);
  const lab = page.locator('#lab');
  await expect.poll(() => eventsOf(page, 'lab-ready')).toHaveLength(1);
  const [ready] = await eventsOf(page, 'lab-ready');
  expect(ready?.detail).toMatchObject({ version: 1, view: 'train', state: { view: 'train' } });

  // The map is as wide as the iframe's at the same width, not a window-wide layout's.
  const map = lab.getByTestId('train.map');
  await expect(map).toBeVisible();
  const frameMap = page.frameLocator('#frame').getByTestId('train.map');
  await expect(frameMap).toBeVisible({ timeout: 30_000 });
  const element = await side(page, '#lab >> [data-testid="train.map"]');
  const iframe = (await frameMap.boundingBox())?.width ?? 0;
  console.log(`map in a 624 px column: element ${element.toFixed(0)} px, iframe ${iframe.toFixed(0)} px`);
  expect(iframe).toBeGreaterThan(500);
  expect(Math.abs(element - iframe)).toBeLessThanOrEqual(1);
  expect(errors).toEqual([]);
});

test('its methods and events mirror the postMessage API', async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  const errors = await watchHostPage(page);
  const course = new URL('courses/methods.html', baseURL).href;
  await page.route(course, (route) =>
    route.fulfill({ contentType: 'text/html', body: columnPage(new URL('./', baseURL).href, '', false) }),
  );
  await page.addInitScript(recordEvents);
  await page.goto(course);
  const lab = page.locator('#lab');
  await expect.poll(() => eventsOf(page, 'lab-ready')).toHaveLength(1);
  // The micro model, to train quickly; lab-state says so once it is in.
  await page.evaluate(() =>
    document.querySelector('bert-embedding-lab')!.setState({ seed: 7, preset: 'micro' }),
  );
  await expect
    .poll(async () => (await eventsOf(page, 'lab-state')).at(-1)?.detail)
    .toMatchObject({
      seed: 7,
      preset: 'micro',
    });

  // step(n): its lab-step event has fired by the time the promise resolves, with the loss.
  const afterStep = await page.evaluate(async () => {
    await document.querySelector('bert-embedding-lab')!.step(3);
    return window.labEvents!.filter((e) => e.type === 'lab-step').at(-1)?.detail as LabStepDetail;
  });
  expect(afterStep.step).toBe(3);
  expect(afterStep.loss).toEqual(expect.any(Number));
  await expect(lab.getByTestId('train.step-count')).toHaveText('3');

  // Refusals: the promise rejects with the postMessage API's reason, and nothing changes.
  const refused = await page.evaluate(async () => {
    const el = document.querySelector('bert-embedding-lab')!;
    const reason = (call: () => Promise<void>) =>
      call().then(
        () => 'resolved',
        (error: Error) => error.message,
      );
    return [
      await reason(() => el.step(0)),
      await reason(() => el.play(1000)),
      await reason(() => el.setState({ maxLength: -5, sentenceA: 'half' })),
    ];
  });
  expect(refused).toEqual([
    'step: payload.steps is outside 1..1000',
    'play: payload.stepsPerSecond is outside 0.1..60',
    expect.stringMatching(/^setState refused, nothing applied: maxLength/),
  ]);

  // play(rate) then pause(): lab-step events come at most every 200 ms, and stop.
  await page.evaluate(() => document.querySelector('bert-embedding-lab')!.play(30));
  await expect
    .poll(async () => ((await eventsOf(page, 'lab-step')).at(-1)?.detail as LabStepDetail).step, {
      timeout: 20_000,
    })
    .toBeGreaterThanOrEqual(13);
  await page.evaluate(() => document.querySelector('bert-embedding-lab')!.pause());
  await expect(lab.getByTestId('train.play')).toBeEnabled();
  const steps = (await eventsOf(page, 'lab-step')).slice(1);
  const gaps = steps.slice(1).map((e, i) => e.at - steps[i]!.at);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
  expect(errors).toEqual([]);
});

/** Course pages on http://localhost:<port>, another origin than the lab's http://127.0.0.1:<port>. */
let courseSite: Server;
let courseOrigin = '';
let labUrl = '';

test.describe('from another origin', () => {
  test.beforeAll(async ({ baseURL }) => {
    labUrl = new URL('./', baseURL).href;
    const lab = new URL(labUrl).origin;
    courseSite = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      // A strict course site: scripts from itself and the lab only, and workers from itself only,
      // which rules out the Blob worker the element needs on another origin.
      const head =
        path === '/strict.html'
          ? `<meta http-equiv="Content-Security-Policy" content="script-src 'self' ${lab} 'wasm-unsafe-eval'; worker-src 'self'">`
          : '';
      response.setHeader('content-type', 'text/html');
      response.end(columnPage(labUrl, head, false));
    });
    await new Promise<void>((resolve) => courseSite.listen(0, resolve));
    courseOrigin = `http://localhost:${(courseSite.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => courseSite.close(() => resolve())));

  test('the element trains through a Blob worker that imports the lab’s', async ({ page }) => {
    await page.addInitScript(recordEvents);
    await page.goto(`${courseOrigin}/course.html`);
    const lab = page.locator('#lab');
    await expect.poll(() => eventsOf(page, 'lab-ready')).toHaveLength(1);
    await page.evaluate(() =>
      document.querySelector('bert-embedding-lab')!.setState({ seed: 7, preset: 'micro' }),
    );
    await page.evaluate(() => document.querySelector('bert-embedding-lab')!.step(2));
    await expect(lab.getByTestId('train.step-count')).toHaveText('2');
    expect(((await eventsOf(page, 'lab-step')).at(-1)?.detail as LabStepDetail).step).toBe(2);
    await expect(lab.getByTestId('embed.worker-blocked')).toHaveCount(0);
  });

  test('where the page’s CSP forbids blob: workers, the element says so and gives the iframe snippet', async ({
    page,
  }) => {
    await page.goto(`${courseOrigin}/strict.html`);
    const blocked = page.locator('#lab').getByTestId('embed.worker-blocked');
    await expect(blocked).toBeVisible({ timeout: 30_000 });
    await expect(blocked).toContainText("This page cannot run the lab's worker");
    await expect(blocked).toContainText('Content-Security-Policy');
    await expect(blocked).not.toContainText('change the settings');
    const snippet = page.locator('#lab').getByTestId('embed.worker-blocked-snippet');
    await expect(snippet).toHaveValue(
      new RegExp(`^<iframe src="${labUrl.replace(/[.]/g, '\\.')}\\?.*embed=train`),
    );
    await expect(snippet).toHaveValue(/hide=settings/);
  });
});
