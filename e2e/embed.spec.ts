/**
 * The iframe embed and its postMessage API, from a host page on another origin (CourseHost in
 * pages/EmbedPage.ts: a course page and a stranger's frame, served on this machine), and the
 * "Embed this view" panel and the `?embed=` pages themselves.
 */
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { blockWebFonts, fontsSettled } from './fonts';
import { CourseHost, EMBED_VIEWS, EmbedPage, shownTokens } from './pages/EmbedPage';

const host = new CourseHost();
test.beforeAll(() => host.start());
test.afterAll(() => host.stop());

test('an iframe embed of Tokenize & Pack talks to its host and refuses bad messages', async ({
  page,
  baseURL,
}) => {
  const embed = await host.open(page, baseURL!, `./?embed=pack&hide=inputs,stages&origins=${host.origin}`);
  const { frame, outside } = embed;

  // ready, then height, both addressed to the allowed host origin.
  await expect.poll(async () => (await embed.received('ready')).length).toBe(1);
  const [ready] = await embed.received('ready');
  expect(ready!.data).toMatchObject({ source: 'bert-embedding-lab', payload: { version: 1, view: 'pack' } });
  expect(ready!.origin).toBe(new URL(baseURL!).origin);
  await expect.poll(async () => (await embed.received('height')).length).toBeGreaterThan(0);
  await expect(frame.getByTestId('pack.token').first()).toBeVisible();
  // The last height reported matches the frame's content once its layout settles (a late layout,
  // a web font say, makes the frame report again: read the newest report each time).
  await expect
    .poll(async () => {
      const heights = await embed.received('height');
      const reported = heights[heights.length - 1]!.data.payload!.height as number;
      const measured = await embed.contentHeight();
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
  await embed.send({ type: 'setState', payload: { sentenceA: 'Hello world', sentenceB: '' } });
  await expect.poll(() => embed.tokens()).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  await expect
    .poll(async () => (await embed.received('state')).map((m) => m.data.payload!.sentenceA))
    .toContain('Hello world');
  await expect(open).toHaveAttribute('href', /a=Hello\+world|z=/);
  expect(await embed.counts()).toMatchObject({ accepted: 1, rejected: 0 });

  // Malformed messages are ignored and counted.
  await embed.send(
    null,
    '{"type":"setState"}',
    { type: 'eval', payload: 'alert(1)' },
    { type: 'step', payload: { steps: -1 } },
    { type: 'setState', payload: { sentenceA: '<img src=x onerror=alert(1)>', maxLength: 1e9 } },
    { type: 'setState', payload: { sentenceA: 42 } },
  );
  await expect.poll(async () => (await embed.counts()).rejected).toBe(6);
  expect(await embed.tokens()).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);

  // A valid message from a frame whose origin is not allowed is rejected and counted too.
  await embed
    .stranger()
    .evaluate(() =>
      window.parent.frames[0]!.postMessage(
        { type: 'setState', payload: { sentenceA: 'from a stranger' } },
        '*',
      ),
    );
  await expect.poll(async () => (await embed.counts()).rejected).toBe(7);
  expect((await embed.counts()).last).toContain(host.strangerOrigin);
  expect(await embed.tokens()).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  expect((await embed.counts()).accepted).toBe(1);
  // Nothing from a message was ever run or turned into markup.
  expect(await frame.locator('img').count()).toBe(0);
  expect(outside).toEqual([]);
});

test('step, play and pause train the embedded model and report its state', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  // seed= is a training field: the embed starts the micro model on wasm (be=) before it is ready.
  const embed = await host.open(
    page,
    baseURL!,
    `./?embed=train&hide=settings,backend&seed=42&be=wasm&origins=${host.origin}`,
  );
  const { frame, outside } = embed;
  await expect.poll(async () => (await embed.received('ready')).length, { timeout: 60_000 }).toBe(1);
  await expect(frame.locator('form.train-settings')).toBeHidden();
  await expect(frame.getByTestId('train.step')).toBeVisible();
  await expect(frame.getByTestId('train.play')).toBeVisible();

  await embed.send({ type: 'step', payload: { steps: 3 } });
  await expect
    .poll(async () => (await embed.received('state')).map((m) => m.data.payload!.step), { timeout: 30_000 })
    .toContain(3);
  await expect(frame.getByTestId('train.step-count')).toHaveText('3');
  expect(await frame.evaluate(() => window.bertLab!.snapshot().backend)).toBe('wasm');

  await embed.send({ type: 'play', payload: { stepsPerSecond: 20 } });
  await expect
    .poll(async () => Number(await frame.getByTestId('train.step-count').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(5);
  await embed.send({ type: 'pause' });
  await expect(frame.getByTestId('train.play')).toBeVisible();
  // A step already in flight when the pause arrived lands before the paused snapshot that shows
  // Play; a command queued behind everything the engine had to do finds the same step.
  const paused = Number(await frame.getByTestId('train.step-count').textContent());
  expect((await frame.evaluate(() => window.bertLab!.step(0))).step).toBe(paused);
  await expect(frame.getByTestId('train.step-count')).toHaveText(String(paused));
  await expect
    .poll(async () => (await embed.received('state')).map((m) => m.data.payload!.step))
    .toContain(paused);
  expect(await embed.counts()).toMatchObject({ accepted: 3, rejected: 0 });
  expect(outside).toEqual([]);
});

test('"Embed this view" gives an iframe snippet that shows the same state', async ({ page }) => {
  const embed = new EmbedPage(page);
  await page.goto('./');
  await page.getByTestId('pack.input-a').fill('Teachers embed views.');
  await page.getByTestId('pack.input-b').fill('');
  await expect(page.getByTestId('pack.view')).toHaveAttribute('aria-busy', 'false');
  const shown = await shownTokens(page);
  expect(shown).toContain('teachers');
  await embed.openPanel();
  await embed.hide('inputs');
  await embed.origins.fill('https://course.example');
  await expect(embed.snippet).toHaveValue(/hide=inputs/);
  expect(await seriousViolations(page, '[data-testid="embed.panel"]')).toEqual([]);
  const html = await embed.snippet.inputValue();
  expect(html).toContain('title="BERT Embedding Lab: Tokenize &amp; Pack"');
  expect(html).toContain('loading="lazy"');
  expect(html).toMatch(/^<iframe src="[^"]+"/);
  const src = await embed.snippetSrc();
  const url = new URL(src);
  expect(url.searchParams.get('embed')).toBe('pack');
  expect(url.searchParams.get('origins')).toBe('https://course.example');

  // The snippet's page shows the sentence without its boxes.
  await page.goto(src);
  await expect.poll(() => shownTokens(page)).toEqual(shown);
  await expect(page.getByTestId('pack.input-a')).toBeHidden();
  await expect(page).toHaveTitle('BERT Embedding Lab: Tokenize & Pack');
});

test('bad embed flags and link parameters become notices in the frame', async ({ page }) => {
  const embed = new EmbedPage(page);
  await embed.goto(
    'nonsense',
    '&hide=bogus,inputs,max-length,pad,vocab-choice,inspector,open-link&origins=ftp://x&vocab=learned&max=9999&a=Hi',
  );
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  // The link's own notices (from the shared-state codec and from applying it) show too.
  await expect(embed.notices.filter({ hasText: 'cannot travel in a link' })).toBeVisible();
  const notices = await embed.noticeText();
  expect(notices).toContain('above 512');
  await expect.poll(() => shownTokens(page)).toContain('hi');
  expect(notices).toContain('is not a view');
  expect(notices).toContain('"bogus" is not a control name');
  expect(notices).toContain('neither accepts nor sends messages');
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
  const embed = new EmbedPage(page);
  for (const [view, ready] of EMBED_VIEWS) {
    const controls = controlsOf(view).map((c) => ({ name: c.name, selectors: [...c.selectors] }));
    await embed.goto(view, `&hide=${controls.map((c) => c.name).join(',')}`);
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
    expect(await embed.notices.count(), view).toBe(0);
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
    const embed = new EmbedPage(page);
    for (const width of [320, 800]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [view, ready] of EMBED_VIEWS) {
        await embed.goto(view);
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
