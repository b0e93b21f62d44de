import { expect, test, type CDPSession, type Page } from '@playwright/test';

/**
 * The matrix map on a phone: one finger pans, two fingers pinch-zoom. Touches go in through the
 * DevTools protocol (Input.dispatchTouchEvent), so Chromium turns them into the same Pointer Events
 * a real touch screen gives, with `touch-action` honoured.
 */

test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });

interface Finger {
  x: number;
  y: number;
  id: number;
}

async function touch(cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', fingers: Finger[]) {
  await cdp.send('Input.dispatchTouchEvent', {
    type,
    touchPoints: fingers.map((f) => ({ x: f.x, y: f.y, id: f.id })),
  });
}

/** Two fingers on a horizontal line through (cx, cy), `from` px apart, moving to `to` px apart. */
const pinch = (cdp: CDPSession, cx: number, cy: number, from: number, to: number) =>
  gesture(
    cdp,
    [
      { id: 1, x: cx - from / 2, y: cy },
      { id: 2, x: cx + from / 2, y: cy },
    ],
    [
      { id: 1, x: cx - to / 2, y: cy },
      { id: 2, x: cx + to / 2, y: cy },
    ],
  );

/** Moves the fingers from `from` to `to` in a few steps, as a hand would. */
async function gesture(cdp: CDPSession, from: Finger[], to: Finger[], steps = 8) {
  await touch(cdp, 'touchStart', from);
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    await touch(
      cdp,
      'touchMove',
      from.map((f, k) => ({ id: f.id, x: f.x + (to[k]!.x - f.x) * t, y: f.y + (to[k]!.y - f.y) * t })),
    );
  }
  await touch(cdp, 'touchEnd', []);
}

async function openMap(page: Page) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./');
  await page.waitForFunction(() => window.bertLab !== undefined);
  await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
  await page.evaluate(() => window.bertLab!.step(1));
  await page.getByTestId('nav.train').click();
  const map = page.getByTestId('train.map');
  await map.scrollIntoViewIfNeeded();
  await expect(map).toHaveAttribute('data-zoom', '1');
  return map;
}

const offset = async (page: Page) =>
  ((await page.getByTestId('train.map').getAttribute('data-offset')) ?? '0,0').split(',').map(Number);

test.describe('the matrix map by touch at 360 px', () => {
  test('a two-finger pinch zooms and a one-finger drag pans, without scrolling the page', async ({
    page,
  }) => {
    const map = await openMap(page);
    const box = (await map.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + Math.min(box.height, 300) / 2;
    const cdp = await page.context().newCDPSession(page);
    const scrollBefore = await page.evaluate(() => window.scrollY);

    await pinch(cdp, cx, cy, 40, 160);
    // The fingers spread 4×: the zoom follows them to 4×, within the map's range (up to 8×). Wait
    // for the gesture's last move to be drawn: on a busy machine the map can show a move in between.
    await expect.poll(async () => Number(await map.getAttribute('data-zoom'))).toBe(4);
    const zoom = Number(await map.getAttribute('data-zoom'));
    const [x0 = 0, y0 = 0] = await offset(page);
    expect(x0, 'the pinch zooms about the fingers, not the corner').toBeGreaterThan(0);

    await gesture(cdp, [{ id: 1, x: cx, y: cy }], [{ id: 1, x: cx - 100, y: cy - 60 }]);
    await expect.poll(async () => (await offset(page))[0]).toBeGreaterThan(x0 + 50);
    const [, y1 = 0] = await offset(page);
    expect(y1).toBeGreaterThan(y0 + 20);
    expect(Number(await map.getAttribute('data-zoom')), 'one finger pans, it does not zoom').toBe(zoom);
    expect(await page.evaluate(() => window.scrollY), 'the page stays put under the map').toBe(scrollBefore);

    // Pinching in goes back toward the whole map, never below it.
    await pinch(cdp, cx, cy, 200, 10);
    await expect(map).toHaveAttribute('data-zoom', '1');
  });

  test('outside the map a finger still scrolls the page', async ({ page }) => {
    await openMap(page);
    const cdp = await page.context().newCDPSession(page);
    const heading = page.getByRole('heading', { name: 'Pretraining the tiny BERT' });
    await heading.scrollIntoViewIfNeeded();
    const box = (await heading.boundingBox())!;
    const before = await page.evaluate(() => window.scrollY);
    await gesture(cdp, [{ id: 1, x: box.x + 20, y: box.y + 200 }], [{ id: 1, x: box.x + 20, y: box.y + 20 }]);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before + 50);
  });

  test('the keyboard zooms with + and − and pans by moving the cursor', async ({ page }) => {
    const map = await openMap(page);
    await map.focus();
    await page.keyboard.press('+');
    await expect(map).toHaveAttribute('data-zoom', '2');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect(map).toHaveAttribute('data-zoom', '8');
    // Zoomed about the centre, the cursor (row 0, top left) is out of view: the first arrow key
    // scrolls the map to it, and walking down the rows keeps scrolling.
    const centred = (await offset(page)).join();
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await offset(page)).join()).not.toBe(centred);
    const [, top = 0] = await offset(page);
    for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await offset(page))[1]).toBeGreaterThan(top);
    await page.keyboard.press('-');
    await expect(map).toHaveAttribute('data-zoom', '4');
    await page.keyboard.press('0');
    await expect(map).toHaveAttribute('data-zoom', '1');
  });
});
