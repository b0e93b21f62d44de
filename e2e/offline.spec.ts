import { expect, test, type Page } from '@playwright/test';
import { PackPage } from './pages/PackPage';
import { TrainPage } from './pages/TrainPage';
import { serveDist } from './staticHost';
import { expectShippedFontsLoaded } from './fonts';

// Playwright's default, stated because everything here depends on it.
test.use({ serviceWorkers: 'allow' });

/** Resolves once a service worker controls the page: from then on the cache can serve it. */
async function waitForController(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    return registration.scope;
  });
}

/** True when a request the service worker does not answer fails: the browser is really offline. */
const networkIsDown = (page: Page) =>
  page.evaluate(() =>
    fetch(`./not-precached-${Date.now()}.txt`).then(
      () => false,
      () => true,
    ),
  );

const PAIR = ['The unaffable café closes at 9.', 'Tokenizers split words into pieces!'] as const;

test.describe('offline use after the first visit', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a reload offline shows the same tokens, and micro trains on wasm from the cache', async ({
    page,
    context,
  }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair(...PAIR);
    const online = await pack.chipFacts();
    expect(online.length).toBeGreaterThan(10);
    await waitForController(page);
    await expect(page.getByTestId('app.offline-ready')).toHaveText('Works offline after this visit');

    await context.setOffline(true);
    await page.reload();
    expect(await networkIsDown(page)).toBe(true);
    await expect(pack.chips.first()).toHaveAttribute('data-token', '[CLS]');
    await pack.setPair(...PAIR);
    expect(await pack.chipFacts()).toEqual(online);
    // Controlled from the start this time: it already works offline.
    await expect(page.getByTestId('app.offline-ready')).toHaveText('Works offline');
    // The shipped fonts were precached too: offline text is as wide as online.
    await expectShippedFontsLoaded(page);

    // A fresh navigation to the app's address (the Worker, its wasm binaries and the corpus all
    // come from the cache), then a real training step.
    const train = new TrainPage(page);
    await train.start({ preset: 'micro', backend: 'wasm' });
    const snapshot = await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    await expect(page.getByTestId('train.backend-badge')).toHaveAttribute('data-backend', 'wasm');
    expect(Number.isFinite(snapshot.report!.loss.total)).toBe(true);
    await expect(train.error).toHaveCount(0);
  });

  test('works offline under a course page’s sub-path, with the worker scoped to it', async ({
    page,
    context,
  }) => {
    const base = '/courses/nlp/week-3/lab/';
    const host = await serveDist(base);
    try {
      await page.goto(host.url);
      const pack = new PackPage(page);
      await expect(pack.chips.first()).toHaveAttribute('data-token', '[CLS]');
      expect(await waitForController(page)).toBe(host.url);
      await context.setOffline(true);
      await page.goto(`${host.url}?from=a-course-page`);
      expect(await networkIsDown(page)).toBe(true);
      await pack.setPair('Hello world', '');
      expect((await pack.chipFacts()).map((c) => c.id)).toEqual([101, 7592, 2088, 102]);
    } finally {
      await host.close();
    }
  });

  test('a new build offers "Reload", which swaps in the new version and drops the old cache', async ({
    page,
  }) => {
    const host = await serveDist('/lab/');
    try {
      await page.goto(host.url);
      await expect(new PackPage(page).chips.first()).toBeVisible();
      await waitForController(page);
      const before = await page.evaluate(() => caches.keys());
      expect(before).toHaveLength(1);
      await expect(page.getByTestId('app.update')).toHaveCount(0);

      // "Deploy" a new build: the same files, but sw.js names a new cache version.
      host.override = (path, response, file) => {
        if (path !== 'sw.js') return false;
        const next = file()
          .toString('utf8')
          .replace(/"version":"([0-9a-f]+)"/, '"version":"$1-next"');
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(next);
        return true;
      };
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await expect(page.getByTestId('app.update')).toContainText('A new version is ready');
      // The page keeps working while the notice waits: it blocks nothing.
      await new PackPage(page).setPair('still here', '');

      const reloaded = page.waitForEvent('framenavigated');
      await page.getByTestId('app.update-reload').click();
      await reloaded;
      await expect(new PackPage(page).chips.first()).toBeVisible();
      await expect(page.getByTestId('app.update')).toHaveCount(0);
      await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`${before[0]}-next`]);
    } finally {
      await host.close();
    }
  });
});

test('an iframe embed registers no service worker: the course page stays light', async ({ page }) => {
  // The app registers its worker from its load handler, synchronously: count the calls.
  await page.addInitScript(() => {
    const w = window as unknown as { swRegisterCalls: number };
    w.swRegisterCalls = 0;
    const register = ServiceWorkerContainer.prototype.register;
    ServiceWorkerContainer.prototype.register = function (...args: Parameters<typeof register>) {
      w.swRegisterCalls++;
      return register.apply(this, args);
    };
  });
  const registerCalls = () =>
    page.evaluate(() => (window as unknown as { swRegisterCalls: number }).swRegisterCalls);
  await page.goto('./?embed=pack');
  await expect(new PackPage(page).chips.first()).toBeVisible();
  await page.waitForLoadState('load');
  expect(await registerCalls()).toBe(0);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations())).toHaveLength(0);
  // The full app, by contrast, does.
  await page.goto('./');
  await waitForController(page);
  expect(await registerCalls()).toBe(1);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations())).toHaveLength(1);
});

test.describe('the install hint', () => {
  /** Chromium fires beforeinstallprompt only for installable sites it judges engaging; fake one. */
  const offerInstall = (page: Page) =>
    page.evaluate(() => {
      const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => {
          (window as unknown as { prompted: number }).prompted = 1;
          return { outcome: 'accepted' };
        },
        userChoice: Promise.resolve({ outcome: 'accepted' }),
      });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });

  test('offers the browser’s install dialog, once', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await waitForController(page);
    await expect(page.getByTestId('app.install')).toHaveCount(0);
    // The page shows its own button instead of Chromium's mini-infobar.
    expect(await offerInstall(page)).toBe(true);
    await expect(page.getByTestId('app.offline-ready')).toHaveCount(0);
    await page.getByTestId('app.install').click();
    expect(await page.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(1);
    // A prompt event can be used once: the button goes, the offline note comes back.
    await expect(page.getByTestId('app.install')).toHaveCount(0);
    await expect(page.getByTestId('app.offline-ready')).toBeVisible();
  });

  test('can be dismissed, and stays dismissed on the next visit', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await waitForController(page);
    await offerInstall(page);
    await page.getByTestId('app.install-dismiss').click();
    await expect(page.getByTestId('app.install')).toHaveCount(0);
    await page.reload();
    await expect(pack.chips.first()).toBeVisible();
    await waitForController(page);
    await offerInstall(page);
    await expect(page.getByTestId('app.offline-ready')).toHaveText('Works offline');
    await expect(page.getByTestId('app.install')).toHaveCount(0);
  });
});
