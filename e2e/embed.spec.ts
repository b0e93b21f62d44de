/**
 * The iframe embed and its postMessage API, from a host page on another origin. A small server in
 * the test plays the course page (http://127.0.0.1:<port>) and a stranger's frame on a third origin
 * (http://localhost:<port>). Both are on this machine: Chromium refuses to let a page it thinks
 * public frame the lab on 127.0.0.1, so routed fake domains would not do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { blockWebFonts, fontsSettled } from './fonts';

interface Received {
  origin: string;
  data: { source?: string; type?: string; payload?: Record<string, unknown> };
}

declare global {
  interface Window {
    received: Received[];
    send(message: unknown): void;
  }
}

/**
 * A course page that frames the lab and a stranger. Its script records what the lab posts and
 * sends what the test asks, as a real host would.
 */
const hostPage = (labUrl: string, strangerUrl: string) => `<!doctype html>
<html lang="en"><head><title>Course page</title></head><body>
<script>
  window.received = [];
  addEventListener('message', (event) => {
    if (event.source === document.getElementById('lab').contentWindow)
      window.received.push({ origin: event.origin, data: event.data });
  });
  window.send = (message) => document.getElementById('lab').contentWindow.postMessage(message, '*');
</script>
<iframe id="lab" src="${labUrl}" title="BERT Embedding Lab" style="width: 800px; height: 700px; border: 0"></iframe>
<iframe id="stranger" src="${strangerUrl}" title="Another frame"></iframe>
</body></html>`;

let server: Server;
let port = 0;
/** The lab URL the next course page frames. */
let nextLab = '';

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    response.setHeader('content-type', 'text/html');
    if (path === '/course.html')
      return void response.end(hostPage(nextLab, `http://localhost:${port}/stranger.html`));
    if (path === '/stranger.html')
      return void response.end('<!doctype html><title>Stranger</title><p>Another frame</p>');
    response.writeHead(404).end();
  });
  // No host: both 127.0.0.1 and localhost (IPv4 or IPv6) reach it.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  port = (server.address() as AddressInfo).port;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const hostOrigin = () => `http://127.0.0.1:${port}`;
const strangerOrigin = () => `http://localhost:${port}`;

/**
 * Opens the course page framing `labPath` of the lab; returns the lab's frame and the requests
 * that went anywhere but the lab, the course page and the stranger (checked empty at the end).
 */
async function openHost(
  page: Page,
  baseURL: string,
  labPath: string,
): Promise<{ frame: Frame; outside: string[] }> {
  nextLab = new URL(labPath, baseURL).href;
  const allowed = new Set([
    new URL(baseURL).host,
    new URL(hostOrigin()).host,
    new URL(strangerOrigin()).host,
  ]);
  const outside: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith('http') && !allowed.has(new URL(r.url()).host)) outside.push(r.url());
  });
  await page.goto(`${hostOrigin()}/course.html`);
  const find = () =>
    page.frames().find((f) => f.url().startsWith(new URL(baseURL).origin) && f.url().includes('embed='));
  await expect.poll(() => find() !== undefined).toBe(true);
  return { frame: find()!, outside };
}

const receivedOf = (page: Page, type: string) =>
  page.evaluate((t) => window.received.filter((m) => m.data.type === t), type);

const counts = (frame: Frame) =>
  frame.evaluate(() => ({
    accepted: Number(document.documentElement.dataset.acceptedMessages),
    rejected: Number(document.documentElement.dataset.rejectedMessages),
    last: document.documentElement.dataset.lastRejection ?? '',
  }));

const tokens = (frame: Frame) =>
  frame.getByTestId('pack.token').evaluateAll((els) => els.map((el) => el.getAttribute('data-token')));

test('an iframe embed of Tokenize & Pack talks to its host and refuses bad messages', async ({
  page,
  baseURL,
}) => {
  const { frame, outside } = await openHost(
    page,
    baseURL!,
    `./?embed=pack&hide=inputs,stages&origins=${hostOrigin()}`,
  );

  // ready, then height, both addressed to the allowed host origin.
  await expect.poll(async () => (await receivedOf(page, 'ready')).length).toBe(1);
  const [ready] = await receivedOf(page, 'ready');
  expect(ready!.data).toMatchObject({ source: 'bert-embedding-lab', payload: { version: 1, view: 'pack' } });
  expect(ready!.origin).toBe(new URL(baseURL!).origin);
  await expect.poll(async () => (await receivedOf(page, 'height')).length).toBeGreaterThan(0);
  await expect(frame.getByTestId('pack.token').first()).toBeVisible();
  // The last height reported matches the frame's content once its layout settles (a late layout,
  // a web font say, makes the frame report again: read the newest report each time).
  await expect
    .poll(async () => {
      const heights = await receivedOf(page, 'height');
      const reported = heights[heights.length - 1]!.data.payload!.height as number;
      const measured = await frame.evaluate(
        () => document.querySelector('.embed')!.getBoundingClientRect().height,
      );
      return Math.abs(reported - Math.ceil(measured));
    })
    .toBeLessThanOrEqual(1);

  // Minimal chrome: no header or tabs; the hidden controls are gone, the others stay.
  await expect(frame.getByTestId('nav.pack')).toHaveCount(0);
  await expect(frame.getByTestId('embed.button')).toHaveCount(0);
  await expect(frame.getByTestId('pack.input-a')).toBeHidden();
  await expect(frame.getByTestId('pack.input-b')).toBeHidden();
  await expect(frame.locator('section[aria-labelledby="stages-title"]')).toBeHidden();
  await expect(frame.getByTestId('pack.max-length')).toBeVisible();
  const open = frame.getByTestId('embed.open');
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('rel', 'noopener');
  await expect(open).not.toHaveAttribute('href', /embed=/);

  // setState changes what the frame shows, and the lab reports the new state.
  await page.evaluate(() =>
    window.send({ type: 'setState', payload: { sentenceA: 'Hello world', sentenceB: '' } }),
  );
  await expect.poll(() => tokens(frame)).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  await expect
    .poll(async () => (await receivedOf(page, 'state')).map((m) => m.data.payload!.sentenceA))
    .toContain('Hello world');
  await expect(open).toHaveAttribute('href', /a=Hello\+world|z=/);
  expect(await counts(frame)).toMatchObject({ accepted: 1, rejected: 0 });

  // Malformed messages are ignored and counted.
  await page.evaluate(() => {
    window.send(null);
    window.send('{"type":"setState"}');
    window.send({ type: 'eval', payload: 'alert(1)' });
    window.send({ type: 'step', payload: { steps: -1 } });
    window.send({ type: 'setState', payload: { sentenceA: '<img src=x onerror=alert(1)>', maxLength: 1e9 } });
    window.send({ type: 'setState', payload: { sentenceA: 42 } });
  });
  await expect.poll(async () => (await counts(frame)).rejected).toBe(6);
  expect(await tokens(frame)).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);

  // A valid message from a frame whose origin is not allowed is rejected and counted too.
  const stranger = page.frame({ url: `${strangerOrigin()}/stranger.html` })!;
  await stranger.evaluate(() =>
    window.parent.frames[0]!.postMessage(
      { type: 'setState', payload: { sentenceA: 'from a stranger' } },
      '*',
    ),
  );
  await expect.poll(async () => (await counts(frame)).rejected).toBe(7);
  expect((await counts(frame)).last).toContain(strangerOrigin());
  expect(await tokens(frame)).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  expect((await counts(frame)).accepted).toBe(1);
  // Nothing from a message was ever run or turned into markup.
  expect(await frame.locator('img').count()).toBe(0);
  expect(outside).toEqual([]);
});

test('step, play and pause train the embedded model and report its state', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  // seed= is a training field: the embed starts the micro model on wasm (be=) before it is ready.
  const { frame, outside } = await openHost(
    page,
    baseURL!,
    `./?embed=train&hide=settings,backend&seed=42&be=wasm&origins=${hostOrigin()}`,
  );
  await expect.poll(async () => (await receivedOf(page, 'ready')).length, { timeout: 60_000 }).toBe(1);
  await expect(frame.locator('form.train-settings')).toBeHidden();
  await expect(frame.getByTestId('train.step')).toBeVisible();
  await expect(frame.getByTestId('train.play')).toBeVisible();

  await page.evaluate(() => window.send({ type: 'step', payload: { steps: 3 } }));
  await expect
    .poll(async () => (await receivedOf(page, 'state')).map((m) => m.data.payload!.step), { timeout: 30_000 })
    .toContain(3);
  await expect(frame.getByTestId('train.step-count')).toHaveText('3');
  expect(await frame.evaluate(() => window.bertLab!.snapshot().backend)).toBe('wasm');

  await page.evaluate(() => window.send({ type: 'play', payload: { stepsPerSecond: 20 } }));
  await expect
    .poll(async () => Number(await frame.getByTestId('train.step-count').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(5);
  await page.evaluate(() => window.send({ type: 'pause' }));
  await expect(frame.getByTestId('train.play')).toBeVisible();
  // A step already in flight when the pause arrived lands before the paused snapshot that shows
  // Play; a command queued behind everything the engine had to do finds the same step.
  const paused = Number(await frame.getByTestId('train.step-count').textContent());
  expect((await frame.evaluate(() => window.bertLab!.step(0))).step).toBe(paused);
  await expect(frame.getByTestId('train.step-count')).toHaveText(String(paused));
  await expect
    .poll(async () => (await receivedOf(page, 'state')).map((m) => m.data.payload!.step))
    .toContain(paused);
  expect(await counts(frame)).toMatchObject({ accepted: 3, rejected: 0 });
  expect(outside).toEqual([]);
});

test('"Embed this view" gives an iframe snippet that shows the same state', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('pack.input-a').fill('Teachers embed views.');
  await page.getByTestId('pack.input-b').fill('');
  await expect(page.getByTestId('pack.view')).toHaveAttribute('aria-busy', 'false');
  const shown = await page
    .getByTestId('pack.token')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-token')));
  expect(shown).toContain('teachers');
  await page.getByTestId('embed.button').click();
  await expect(page.getByTestId('embed.button')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('embed.hide-inputs').check();
  await page.getByTestId('embed.origins').fill('https://course.example');
  const snippet = page.getByTestId('embed.snippet');
  await expect(snippet).toHaveValue(/hide=inputs/);
  expect(await seriousViolations(page, '[data-testid="embed.panel"]')).toEqual([]);
  const html = await snippet.inputValue();
  expect(html).toContain('title="BERT Embedding Lab: Tokenize &amp; Pack"');
  expect(html).toContain('loading="lazy"');
  expect(html).toMatch(/^<iframe src="[^"]+"/);
  const src = html.match(/src="([^"]+)"/)![1]!.replaceAll('&amp;', '&');
  const url = new URL(src);
  expect(url.searchParams.get('embed')).toBe('pack');
  expect(url.searchParams.get('origins')).toBe('https://course.example');

  // The snippet's page shows the sentence without its boxes.
  await page.goto(src);
  await expect
    .poll(() =>
      page.getByTestId('pack.token').evaluateAll((els) => els.map((el) => el.getAttribute('data-token'))),
    )
    .toEqual(shown);
  await expect(page.getByTestId('pack.input-a')).toBeHidden();
  await expect(page).toHaveTitle('BERT Embedding Lab: Tokenize & Pack');
});

test('bad embed flags and link parameters become notices in the frame', async ({ page }) => {
  await page.goto(
    './?embed=nonsense&hide=bogus,inputs,max-length,pad,vocab-choice,inspector,open-link&origins=ftp://x' +
      '&vocab=learned&max=9999&a=Hi',
  );
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  // The link's own notices (from the shared-state codec and from applying it) show too.
  await expect(page.getByTestId('embed.notice').filter({ hasText: 'cannot travel in a link' })).toBeVisible();
  const notices = await page.getByTestId('embed.notice').allTextContents();
  expect(notices.join('\n')).toContain('above 512');
  await expect
    .poll(() =>
      page.getByTestId('pack.token').evaluateAll((els) => els.map((el) => el.getAttribute('data-token'))),
    )
    .toContain('hi');
  expect(notices.join('\n')).toContain('is not a view');
  expect(notices.join('\n')).toContain('"bogus" is not a control name');
  expect(notices.join('\n')).toContain('neither accepts nor sends messages');
  for (const id of [
    'pack.input-a',
    'pack.max-length',
    'pack.pad',
    'pack.vocab-name',
    'pack.inspector',
    'embed.open',
  ])
    await expect(page.getByTestId(id)).toBeHidden();
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('every hide name of the table hides elements that exist in its view', async ({ page }) => {
  const { controlsOf } = await import('../src/embed/embedParams');
  for (const [view, ready] of [
    ['pack', 'pack.token'],
    ['vocab', 'vocab.corpus'],
    ['train', 'train.view'],
  ] as const) {
    const controls = controlsOf(view).map((c) => ({ name: c.name, selectors: [...c.selectors] }));
    await page.goto(`./?embed=${view}&hide=${controls.map((c) => c.name).join(',')}`);
    await expect(page.getByTestId(ready).first()).toBeAttached({ timeout: 30_000 });
    // Polled: a few controls (the export menu) load their code once the view is on screen.
    const found = () =>
      page.evaluate((list) => {
        const shown = (el: Element) => el.getClientRects().length > 0;
        return list.map(({ name, selectors }) => {
          const elements = selectors.flatMap((s) => [...document.querySelectorAll(s)]);
          return { name, matched: elements.length > 0, visible: elements.filter(shown).length };
        });
      }, controls);
    await expect
      .poll(found, { message: view })
      .toEqual(controls.map((c) => ({ name: c.name, matched: true, visible: 0 })));
    expect(await page.getByTestId('embed.notice').count(), view).toBe(0);
  }
});

for (const fonts of ['shipped', 'system fallback'] as const) {
  const name =
    fonts === 'shipped'
      ? 'embedded views fit frames from 320 to 800 px wide without sideways scrolling'
      : 'embedded views fit frames from 320 to 800 px wide with only the system fallback fonts';
  test(name, async ({ page }) => {
    // Blocking the shipped fonts leaves the machine's own (DejaVu Sans on a fresh Debian), wider.
    const blocked = fonts === 'system fallback' ? await blockWebFonts(page) : null;
    for (const width of [320, 800]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [view, ready] of [
        ['pack', 'pack.token'],
        ['vocab', 'vocab.corpus'],
        ['train', 'train.view'],
      ] as const) {
        await page.goto(`./?embed=${view}`);
        await expect(page.getByTestId(ready).first()).toBeVisible({ timeout: 30_000 });
        await fontsSettled(page);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${view} at ${width} px`).toBe(0);
      }
    }
    if (blocked) expect(blocked.length, 'font requests blocked').toBeGreaterThan(0);
  });
}
