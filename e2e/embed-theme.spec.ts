/**
 * Embeds on a dark course page: `theme=dark&background=transparent` shows the page's own colour
 * through the frame, `setTheme` flips the frame's colours, a frame whose `origins=` leaves the page
 * out tells the author which origin to add, and a `step` sent to Tokenize & Pack is refused with a
 * `rejected` answer and starts no training Worker. The course page is served here, on another
 * origin (another port) than the lab.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { pixel } from './pixel';

/** VitePress's dark page colour, which the issue measured. */
const PAGE = [27, 27, 31] as const;

interface Received {
  readonly type?: string;
  readonly payload?: { readonly reason?: string; readonly type?: string | null };
}

declare global {
  interface Window {
    labMessages: Received[];
  }
}

/**
 * A dark course page as VitePress makes one (`html.dark { color-scheme: dark }`) with two frames:
 * one allowed to talk to it, one whose `origins=` names another site.
 */
const coursePage = (allowed: string, stranger: string) => `<!doctype html>
<html lang="en" class="dark" style="color-scheme: dark; background: rgb(${PAGE.join(',')})">
<head><title>Dark course page</title></head><body style="margin: 0">
<script>
  window.labMessages = [];
  addEventListener('message', (event) => {
    if (event.source === document.getElementById('allowed').contentWindow) window.labMessages.push(event.data);
  });
</script>
<iframe id="allowed" src="${allowed}" title="Allowed" style="display: block; width: 700px; height: 500px; border: 0"></iframe>
${stranger ? `<iframe id="stranger" src="${stranger}" title="Not allowed" style="display: block; width: 700px; height: 500px; border: 0"></iframe>` : ''}
</body></html>`;

let server: Server;
let courseOrigin = '';
let labs = { allowed: '', stranger: '' };

test.beforeAll(async () => {
  server = createServer((_, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(coursePage(labs.allowed, labs.stranger));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  courseOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Posts one message from the course page to its allowed frame, as a host script would. */
function send(page: Page, message: unknown): Promise<void> {
  return page.evaluate((m) => {
    const frame = document.getElementById('allowed') as HTMLIFrameElement;
    frame.contentWindow!.postMessage(m, '*');
  }, message);
}

/** What the frame's embed wears: its scheme and background attributes, and a token's computed colour. */
function wears(frame: Frame) {
  return frame.locator('.embed').evaluate((el) => ({
    scheme: el.getAttribute('data-scheme'),
    rootScheme: document.documentElement.dataset.scheme,
    bg: getComputedStyle(el).getPropertyValue('--bg').trim(),
    background: getComputedStyle(el).backgroundColor,
  }));
}

test('a dark, transparent embed sits on a dark course page, follows setTheme and refuses training', async ({
  page,
  baseURL,
}) => {
  const lab = new URL(baseURL!);
  labs = {
    // A training recipe in a Pack embed's link is left out, with a notice: nothing would show it.
    allowed: new URL(
      `./?embed=pack&theme=dark&background=transparent&preset=micro&seed=3&origins=${courseOrigin}`,
      lab,
    ).href,
    stranger: new URL('./?embed=pack&origins=https://course.example', lab).href,
  };
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.setViewportSize({ width: 800, height: 1100 });
  await page.goto(`${courseOrigin}/course.html`);
  const frameOf = (id: string) => page.frameLocator(`#${id}`);
  const allowed = page.frames().find((f) => f.url() === labs.allowed)!;
  await expect(frameOf('allowed').getByTestId('pack.token').first()).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.labMessages.some((m) => m.type === 'ready'))).toBe(true);

  // Dark colours on a transparent page: the course page's own colour shows between the panels.
  expect(await wears(allowed)).toEqual({
    scheme: 'dark',
    rootScheme: 'dark',
    bg: '#121418',
    background: 'rgba(0, 0, 0, 0)',
  });
  // The embed's padding at its top left corner, inside the frame.
  const box = (await page.locator('#allowed').boundingBox())!;
  expect(await pixel(page, box.x + 2, box.y + 2)).toEqual([...PAGE]);

  // Tokenize & Pack has no Vocabulary view beside it: its pointer opens the full lab there instead.
  const vocabLink = frameOf('allowed').getByTestId('pack.vocab-link');
  await expect(vocabLink).toHaveAttribute('target', '_blank');
  await expect(vocabLink).toHaveAttribute('href', new RegExp(`^${lab.origin}/\\?(.*&)?view=vocab`));
  await expect(vocabLink).not.toHaveAttribute('href', /embed=/);

  // setTheme flips the colours.
  await send(page, { type: 'setTheme', payload: { theme: 'light' } });
  await expect.poll(async () => (await wears(allowed)).bg).toBe('#f7f7f5');
  expect(await wears(allowed)).toMatchObject({ scheme: 'light', rootScheme: 'light' });

  // A step to Tokenize & Pack: refused, answered with the reason, and no Worker starts.
  await send(page, { type: 'step', payload: { steps: 5 } });
  await expect
    .poll(() => page.evaluate(() => window.labMessages.filter((m) => m.type === 'rejected')))
    .toEqual([
      {
        source: 'bert-embedding-lab',
        type: 'rejected',
        payload: {
          type: 'step',
          reason: expect.stringMatching(/^step refused: Tokenize & Pack .*embed=train/),
        },
      },
    ]);
  expect(await allowed.evaluate(() => document.documentElement.dataset.rejectedMessages)).toBe('1');
  expect(workers.filter((url) => /train/.test(url))).toEqual([]);
  await expect(frameOf('allowed').getByTestId('embed.notice')).toHaveText(
    /^The link's training settings \(preset, seed[^)]*\) were left out: Tokenize & Pack shows the tokenizer/,
  );

  // The frame whose origins= leaves this page out says so, naming the origin to add.
  const note = frameOf('stranger').getByTestId('embed.notice');
  await expect(note).toContainText(`this page, ${courseOrigin}, is not in the embed's origins=`);
  await expect(note).toContainText(`Add ${courseOrigin} to origins=`);
});

test('"Embed this view" puts the theme and a transparent background into the snippet', async ({ page }) => {
  // A recipe on show in the full lab stays out of a Pack snippet: that view does not train.
  await page.goto('./?preset=micro&seed=3');
  await page.getByTestId('embed.button').click();
  await page.getByTestId('embed.theme').selectOption('dark');
  await page.getByTestId('embed.transparent').check();
  const snippet = page.getByTestId('embed.snippet');
  await expect(snippet).toHaveValue(/theme=dark&amp;background=transparent/);
  await expect(snippet).toHaveValue(/color-scheme: dark"/);
  await expect(snippet).not.toHaveValue(/seed=|preset=/);
  await page.getByTestId('embed.theme').selectOption('auto');
  await page.getByTestId('embed.transparent').uncheck();
  await expect(snippet).not.toHaveValue(/theme=|background=|color-scheme/);
});

test('setTheme redraws the Embedding sum’s canvases in the new scheme', async ({ page, baseURL }) => {
  labs = {
    allowed: new URL(`./?embed=sum&theme=dark&origins=${courseOrigin}`, baseURL).href,
    stranger: '',
  };
  await page.goto(`${courseOrigin}/course.html`);
  const frame = page.frameLocator('#allowed');
  // Step 0 is drawn from the seed in the page while the engine starts (store/stepZero.ts).
  await expect(frame.getByTestId('sum.step-count')).toBeVisible({ timeout: 30_000 });
  const canvas = frame.locator('.sum-view canvas').first();
  const pixels = () => canvas.evaluate((el: HTMLCanvasElement) => el.toDataURL());
  await expect.poll(async () => (await pixels()).length).toBeGreaterThan(1000);
  const dark = await pixels();
  await send(page, { type: 'setTheme', payload: { theme: 'light' } });
  await expect(frame.locator('.embed')).toHaveAttribute('data-scheme', 'light');
  await expect.poll(pixels).not.toBe(dark);
  await send(page, { type: 'setTheme', payload: { theme: 'dark' } });
  await expect.poll(pixels).toBe(dark);
});
