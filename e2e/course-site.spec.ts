/**
 * The lab on a real course site: a VitePress site built from the README's example files, with the
 * iframe snippets exactly as "Embed this view" writes them, served on http://localhost:<port>
 * while the lab is on http://127.0.0.1:<port>. What a course author meets: frame heights, Play
 * moving the page, the site's dark-mode toggle, the web component in a content column, its
 * methods and events, and a page whose CSP forbids the component's worker.
 */
import { expect, test, type Browser, type Frame, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbedParams, readTheme } from '../src/embed/embedParams';
import { iframeSnippet } from '../src/embed/snippet';
import { buildCourseSite, readmeBlock, serveCourseSite, type CourseSite } from './courseSite';
import { EmbedPage } from './pages/EmbedPage';
import { eventsOf, recordEvents } from './labEvents';
import { pixel } from './pixel';

test.describe.configure({ mode: 'serial' });

const OUT = join(import.meta.dirname, '..', process.env.E2E_OUT ?? 'test-results', 'course-site');
const LAB_PLACEHOLDER = 'https://lab.example/';
const COURSE_PLACEHOLDER = 'https://course.example';

let site: CourseSite;
/** Each page's iframes, with the height the snippet gave them. */
const snippetHeights: Record<string, number> = {};

/** The iframe snippet "Embed this view" writes for `path`, with these controls hidden. */
async function snippetFor(
  page: Page,
  path: string,
  hide: readonly string[],
  origin: string,
): Promise<string> {
  const embed = new EmbedPage(page);
  await page.goto(path);
  await embed.openPanel();
  for (const name of hide) await embed.hide(name);
  await embed.origins.fill(origin);
  await page.getByTestId('embed.transparent').check();
  // The snippet follows the panel a moment later (the link waits for typing to settle).
  await expect(embed.snippet).toHaveValue(/origins=/);
  await expect(embed.snippet).toHaveValue(/background=transparent/);
  return embed.snippet.inputValue();
}

/**
 * Puts the lab's address and the real snippets into a README example file. Each README example
 * snippet must be the real one with the README's addresses: what the README shows is what the
 * panel writes.
 */
function fill(block: string, lab: string, snippets: readonly string[] = []): string {
  const asInReadme = (snippet: string) =>
    snippet
      .replaceAll(lab, LAB_PLACEHOLDER)
      .replaceAll(site.origin, COURSE_PLACEHOLDER)
      .replaceAll(encodeURIComponent(site.origin), encodeURIComponent(COURSE_PLACEHOLDER));
  let next = 0;
  const text = block.replace(/<iframe[\s\S]*?<\/iframe>/g, (example) => {
    const snippet = snippets[next++];
    if (snippet === undefined) return example;
    expect(example, 'the README shows the snippet the panel writes').toBe(asInReadme(snippet));
    return snippet;
  });
  expect(next, 'one README snippet per generated one').toBe(snippets.length);
  return text.replaceAll(LAB_PLACEHOLDER, lab);
}

async function buildSite(browser: Browser, lab: string): Promise<void> {
  site = await serveCourseSite(join(OUT, '.vitepress', 'dist'));
  const page = await browser.newPage();
  const pack = await snippetFor(
    page,
    `${lab}?view=pack&a=The%20cat%20sat%20down.&b=It%20purred.`,
    ['stages'],
    site.origin,
  );
  const sum = await snippetFor(page, `${lab}?view=sum&a=Embeddings%20add%20up.&b=`, [], site.origin);
  const train = await snippetFor(
    page,
    `${lab}?view=train&preset=micro&backend=wasm`,
    ['settings'],
    site.origin,
  );
  await page.close();
  for (const [name, snippet] of Object.entries({ pack, sum, train }))
    snippetHeights[name] = Number(/height="(\d+)"/.exec(snippet)?.[1]);
  await buildCourseSite(OUT, {
    '.vitepress/config.mts': fill(readmeBlock('vitepress-config'), lab),
    'lesson.md': fill(readmeBlock('vitepress-lesson'), lab, [pack, sum]),
    'training.md': fill(readmeBlock('vitepress-training'), lab, [train]),
    'column.md': fill(readmeBlock('vitepress-element'), lab),
    'strict.md': [
      '---',
      'head:',
      '  - - meta',
      '    - http-equiv: Content-Security-Policy',
      `      content: "worker-src 'self'"`,
      '---',
      '',
      '# A page that allows no blob: workers',
      '',
      '<bert-embedding-lab view="train"></bert-embedding-lab>',
      '',
    ].join('\n'),
  });
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  await buildSite(browser, baseURL!);
});

test.afterAll(async () => {
  await site?.close();
});

/** Records every lab message the course page receives, and every iframe height it sets. */
async function watchCoursePage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log = {
      messages: [] as { type: string; payload: unknown; at: number }[],
      heights: [] as { frame: number; height: number; at: number }[],
    };
    Object.assign(window, { courseLog: log });
    addEventListener('message', (event: MessageEvent) => {
      const data = event.data as { source?: string; type?: string; payload?: unknown };
      if (data?.source === 'bert-embedding-lab')
        log.messages.push({ type: String(data.type), payload: data.payload, at: performance.now() });
    });
    const seen = new Map<HTMLIFrameElement, number>();
    const record = () =>
      document.querySelectorAll('iframe').forEach((frame, index) => {
        const height = Math.round(frame.getBoundingClientRect().height);
        if (seen.get(frame) === height) return;
        seen.set(frame, height);
        log.heights.push({ frame: index, height, at: performance.now() });
      });
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['style', 'height'],
    });
  });
}

interface CourseLog {
  messages: { type: string; payload: unknown; at: number }[];
  heights: { frame: number; height: number; at: number }[];
}
const courseLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { courseLog: CourseLog }).courseLog);

/** The lab frame whose URL shows `embed=<view>`. */
function labFrame(page: Page, view: string): Frame {
  const frame = page.frames().find((f) => f.url().includes(`embed=${view}`));
  if (!frame) throw new Error(`no ${view} frame`);
  return frame;
}

const contentHeight = (frame: Frame) =>
  frame.evaluate(() => Math.ceil(document.querySelector('.embed')!.getBoundingClientRect().height));

const frameHeight = (iframe: Locator) =>
  iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));

test('the lesson page: frames keep their snippet height until their view is in, off screen too', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await watchCoursePage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  const started = Date.now();
  await page.goto(`${site.origin}/lesson`);
  const frames = page.locator('iframe');
  await expect(frames).toHaveCount(2);
  // The Sum frame starts below the fold and is never scrolled to in this test.
  const sumTop = await frames.nth(1).evaluate((el) => el.getBoundingClientRect().top);
  expect(sumTop).toBeGreaterThan(800);

  await expect.poll(() => page.frames().filter((f) => f.url().includes('embed=')).length).toBe(2);
  const pack = labFrame(page, 'pack');
  const sum = labFrame(page, 'sum');
  await expect(pack.getByTestId('pack.token').first()).toBeVisible();
  const packFirst = Date.now() - started;
  // The frame's own clock starts at its navigation: how long the embed itself took.
  const packOwn = await pack.evaluate(() => Math.round(performance.now()));
  await expect(sum.getByTestId('sum.chip').first()).toBeAttached({ timeout: 60_000 });
  const sumFirst = Date.now() - started;
  const sumOwn = await sum.evaluate(() => Math.round(performance.now()));

  // Each frame ends at its content's height, the off-screen one included.
  await expect.poll(async () => (await frameHeight(frames.nth(0))) - (await contentHeight(pack))).toBe(0);
  await expect.poll(async () => (await frameHeight(frames.nth(1))) - (await contentHeight(sum))).toBe(0);
  const log = await courseLog(page);
  for (const [index, view] of [[0, 'pack'] as const, [1, 'sum'] as const]) {
    const heights = log.heights.filter((h) => h.frame === index).map((h) => h.height);
    const final = heights.at(-1)!;
    // Never the loading placeholder: nothing below the snippet's height until the view's own.
    // The snippet's height, then the view's own, once: never the loading placeholder, and no
    // second report when the fonts or the Export menu arrive.
    expect(heights, view).toEqual([snippetHeights[view], final]);
    console.log(
      `course-site ${view}: heights ${heights.join(' → ')} px; first numbers ${index ? sumFirst : packFirst} ms after the page's navigation, ${index ? sumOwn : packOwn} ms after the frame's`,
    );
  }
});

/** The colour a frame's embed is drawn in: its `data-scheme`. */
const schemeOf = (frame: Frame) =>
  frame.evaluate(() => document.querySelector('.embed')?.getAttribute('data-scheme') ?? null);

test("the embeds follow the site's dark-mode toggle, and a transparent one shows the site's colour", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${site.origin}/lesson`);
  await expect.poll(() => page.frames().filter((f) => f.url().includes('embed=')).length).toBe(2);
  const pack = labFrame(page, 'pack');
  await expect(pack.getByTestId('pack.token').first()).toBeVisible();
  await expect.poll(() => schemeOf(pack)).toBe('light');

  const siteColour = async () =>
    page.evaluate(() =>
      getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number),
    );
  const corner = async () => {
    const box = (await page.locator('iframe').first().boundingBox())!;
    return pixel(page, box.x + 2, box.y + 2);
  };
  for (const scheme of ['dark', 'light'] as const) {
    // VitePress's own switch in its navigation bar toggles `html.dark`; embed-host.js passes it on.
    await page.locator('.VPNavBar .VPSwitchAppearance').filter({ visible: true }).click();
    await expect(page.locator('html')).toHaveClass(scheme === 'dark' ? /dark/ : /^(?!.*dark)/);
    await expect.poll(() => schemeOf(pack)).toBe(scheme);
    await expect.poll(() => schemeOf(labFrame(page, 'sum'))).toBe(scheme);
    await expect.poll(corner).toEqual(await siteColour());
  }
});

test("the training page: 50 steps of Play from the page's own buttons barely move it", async ({ page }) => {
  test.setTimeout(120_000);
  await watchCoursePage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  const started = Date.now();
  await page.goto(`${site.origin}/training`);
  await expect.poll(() => page.frames().some((f) => f.url().includes('embed=train'))).toBe(true);
  const train = labFrame(page, 'train');
  const iframe = page.locator('iframe');
  await expect(train.getByTestId('train.step')).toBeEnabled({ timeout: 60_000 });
  const trainOwn = await train.evaluate(() => Math.round(performance.now()));
  console.log(
    `course-site train: Step enabled ${Date.now() - started} ms after the page's navigation, ${trainOwn} ms after the frame's`,
  );
  await expect.poll(async () => (await frameHeight(iframe)) - (await contentHeight(train))).toBe(0);

  const stepNow = async () =>
    Math.max(
      0,
      ...(await courseLog(page)).messages
        .filter((m) => m.type === 'state')
        .map((m) => (m.payload as { step: number }).step),
    );
  const playedAt = (await courseLog(page)).heights.length;
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(stepNow, { timeout: 60_000 }).toBeGreaterThanOrEqual(30);
  const at30 = (await courseLog(page)).heights.length;
  await expect.poll(stepNow, { timeout: 60_000 }).toBeGreaterThanOrEqual(50);
  const at50 = (await courseLog(page)).heights.length;
  await page.getByRole('button', { name: 'Pause' }).click();
  const log = await courseLog(page);
  const during = log.heights.slice(playedAt, at50).map((h) => h.height);
  console.log(`course-site train: heights during 50 steps of Play ${during.join(' → ') || 'none'}`);
  expect(during.length, 'at most one height change per 10 steps').toBeLessThanOrEqual(5);
  expect(at50 - at30, "none once the run's panels are all shown").toBe(0);
  // The page's own step counter, fed by the frame's `step` messages, followed the run.
  await expect(page.getByText(/^Step [1-9]\d+/)).toBeVisible();

  // A new seed restarts the run: the frame goes to its new height once, without collapsing first.
  const restartAt = (await courseLog(page)).heights.length;
  await page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe')!;
    frame.contentWindow!.postMessage({ type: 'setState', payload: { seed: 7 } }, new URL(frame.src).origin);
  });
  await expect
    .poll(async () =>
      (await courseLog(page)).messages.some(
        (m) => m.type === 'state' && (m.payload as { seed: number }).seed === 7,
      ),
    )
    .toBe(true);
  await expect.poll(async () => (await frameHeight(iframe)) - (await contentHeight(train))).toBe(0);
  const restart = (await courseLog(page)).heights.slice(restartAt).map((h) => h.height);
  console.log(`course-site train: heights on restart ${restart.join(' → ') || 'none'}`);
  expect(restart.length).toBeLessThanOrEqual(1);
});

test('the element in the content column: laid out like an iframe of its width, driven by its methods', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(150_000);
  await page.addInitScript(recordEvents);
  await page.setViewportSize({ width: 1280, height: 800 });
  const started = Date.now();
  await page.goto(`${site.origin}/column`);
  const lab = page.locator('bert-embedding-lab');
  // The column: 624 px, with an iframe of the same view and width below, for comparison.
  await lab.evaluate((el, src) => {
    el.style.width = '624px';
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.style.cssText = 'width: 624px; height: 1800px; border: 0';
    el.after(frame);
  }, `${baseURL}?embed=train`);
  const column = await lab.evaluate((el) => el.getBoundingClientRect().width);
  const elementMap = lab.getByTestId('train.map');
  const frameMap = page.frameLocator('iframe').getByTestId('train.map');
  await expect(elementMap).toBeVisible({ timeout: 90_000 });
  console.log(`course-site element: Training map drawn ${Date.now() - started} ms after navigation`);
  await expect(frameMap).toBeVisible({ timeout: 90_000 });
  const widths = [(await elementMap.boundingBox())!.width, (await frameMap.boundingBox())!.width];
  console.log(`course-site column ${column} px: map element ${widths[0]} px, iframe ${widths[1]} px`);
  expect(widths[1]).toBeGreaterThan(column * 0.8);
  expect(Math.abs(widths[0]! - widths[1]!)).toBeLessThanOrEqual(1);
  await page.locator('iframe').evaluate((frame) => frame.remove());

  // The element from the lab's origin runs its Worker through a Blob module, and its methods and
  // events work as the README says.
  await expect.poll(() => eventsOf(page, 'lab-ready')).toHaveLength(1);
  await lab.evaluate((el: HTMLElementTagNameMap['bert-embedding-lab']) => el.setState({ preset: 'micro' }));
  await expect
    .poll(async () => (await eventsOf(page, 'lab-state')).at(-1)?.detail)
    .toMatchObject({ preset: 'micro' });
  const step = await lab.evaluate(async (el: HTMLElementTagNameMap['bert-embedding-lab']) => {
    await el.step(2);
    return window.labEvents!.filter((e) => e.type === 'lab-step').at(-1)?.detail;
  });
  expect(step).toMatchObject({ step: 2, loss: expect.any(Number) });
  await expect(lab.getByTestId('train.step-count')).toHaveText('2');
});

test('on a page whose CSP forbids blob: workers the element says to use the iframe, with the snippet', async ({
  page,
  baseURL,
}) => {
  await page.goto(`${site.origin}/strict`);
  const lab = page.locator('bert-embedding-lab');
  const blocked = lab.getByTestId('embed.worker-blocked');
  await expect(blocked).toBeVisible({ timeout: 30_000 });
  await expect(blocked).toContainText("This page cannot run the lab's worker");
  await expect(blocked).toContainText('Content-Security-Policy');
  await expect(blocked).not.toContainText('change the settings');
  await expect(lab.getByTestId('embed.worker-blocked-snippet')).toHaveValue(
    new RegExp(`^<iframe src="${baseURL!.replaceAll('.', '\\.')}\\?[^"]*embed=train`),
  );
});

test("the README's MkDocs and Jupyter examples load the lab as the VitePress site does", () => {
  const mkdocs = readmeBlock('mkdocs');
  expect(mkdocs).toContain(`- ${LAB_PLACEHOLDER}embed-host.js`);
  const hostScript = readFileSync(join(import.meta.dirname, '..', 'public', 'embed-host.js'), 'utf8');
  expect(hostScript).toMatch(/var api = \{[^}]*followTheme: followTheme/);

  const jupyter = readmeBlock('jupyter');
  const src = /IFrame\(\s*"([^"]+)"/.exec(jupyter)?.[1] ?? '';
  const url = new URL(src);
  expect(url.origin + '/').toBe(LAB_PLACEHOLDER);
  const params = readEmbedParams(url.search);
  expect(params?.notices).toEqual([]);
  expect(readTheme(url.searchParams.get('theme')).notice).toBeNull();
  // The height the panel's snippet gives that view: a notebook does not listen for `height`.
  const height = Number(/height=(\d+)/.exec(jupyter)?.[1]);
  expect(iframeSnippet(src, params!.view)).toContain(`height="${height}"`);
});
