import { expect, test, type Page } from '@playwright/test';
import { PackPage } from './pages/PackPage';
import { sendSlowly, serveDist } from './staticHost';
import { seriousViolations } from './axe';

// page.route() cannot see requests a service worker answers, and the slow host must serve every
// byte itself: no worker here (offline.spec.ts covers it).
test.use({ serviceWorkers: 'block' });

const VOCAB = 'vocab/bert-base-uncased.txt';

test.describe('loading shows real progress, never a blank page', () => {
  test('index.html itself says the lab is loading, before any script runs', async ({ page, request }) => {
    const html = await (await request.get('./')).text();
    expect(html).toMatch(/<div id="root"[^>]*>[\s\S]*Loading BERT Embedding Lab…[\s\S]*<\/div>/);
    expect(html).toMatch(/<noscript>[\s\S]*needs JavaScript[\s\S]*<\/noscript>/);
    // React replaces the placeholder once it renders.
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1, name: 'BERT Embedding Lab' })).toBeVisible();
    await expect(page.getByText('Loading BERT Embedding Lab…')).toHaveCount(0);
  });

  test('without JavaScript the page still says what it is', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL: baseURL! });
    try {
      const page = await context.newPage();
      await page.goto('./');
      await expect(page.getByText('Loading BERT Embedding Lab…')).toBeVisible();
    } finally {
      await context.close();
    }
  });

  for (const contentLength of [true, false]) {
    test(`a slow vocabulary download shows ${contentLength ? 'a percentage' : 'the bytes so far'}, then the chips`, async ({
      page,
    }) => {
      const host = await serveDist('/');
      host.override = (path, response, file) => {
        if (path !== VOCAB) return false;
        sendSlowly(response, file(), { chunks: 20, delayMs: 250, contentLength });
        return true;
      };
      try {
        await page.goto(host.url);
        const loading = page.getByTestId('vocab.loading');
        const bar = page.getByTestId('vocab.progress');
        await expect(loading).toContainText(/\d+ kB/);
        if (contentLength) {
          await expect(loading).toContainText(/\d+ kB of 232 kB/);
          await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
          const now = Number(await bar.getAttribute('aria-valuenow'));
          expect(now).toBeLessThanOrEqual(100);
          expect(await seriousViolations(page, '[data-testid="vocab.loading"]')).toEqual([]);
        } else {
          await expect(loading).toContainText(/\d+ kB so far/);
          // No total, no made-up percentage: an indeterminate bar.
          await expect(bar).not.toHaveAttribute('aria-valuenow');
        }
        await expect(bar).toHaveAttribute('role', 'progressbar');
        await expect(new PackPage(page).chips.first()).toHaveAttribute('data-token', '[CLS]');
        await expect(loading).toHaveCount(0);
      } finally {
        await host.close();
      }
    });
  }

  test('a missing vocabulary gives a clear error, and "Try again" loads it', async ({ page }) => {
    await page.route(`**/${VOCAB}`, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('./');
    const error = page.getByTestId('vocab.error');
    await expect(error).toContainText('Could not load the vocabulary');
    await expect(error).toContainText(`/${VOCAB} answered 404`);
    await page.unroute(`**/${VOCAB}`);
    await error.getByRole('button', { name: 'Try again' }).click();
    await expect(new PackPage(page).chips.first()).toHaveAttribute('data-token', '[CLS]');
    await expect(error).toHaveCount(0);
  });
});

test.describe('the Training view says what the engine is doing', () => {
  test.describe.configure({ timeout: 120_000 });

  /** Records every phase the training Worker posts, in order (null: done). */
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      const phases: (string | null)[] = [];
      (window as unknown as { phases: typeof phases }).phases = phases;
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.addEventListener(
            'message',
            (event: MessageEvent<{ type?: string; phase?: { name: string } }>) => {
              if (event.data?.type === 'phase') phases.push(event.data.phase?.name ?? null);
            },
          );
        }
      };
    });
  });
  const phases = (page: Page) =>
    page.evaluate(() => (window as unknown as { phases: (string | null)[] }).phases);

  test('starting on auto: wasm at once, the model built, and the other backends checked in the background, with no vocabulary to train', async ({
    page,
  }) => {
    await page.goto('./');
    // Shown for the first time, the view starts the engine itself, on auto.
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.backend-badge')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('train.progress')).toHaveCount(0);
    const seen = await phases(page);
    const first = (name: string) => seen.indexOf(name);
    // The default model (lab) uses bert-base-uncased's vocabulary, which the page loads: the Worker
    // trains no vocabulary (its 'vocab' phase) first. Numbers first: no backend is timed before
    // the model exists ('measure' is gone from the start).
    expect(seen).not.toContain('vocab');
    expect(seen).not.toContain('measure');
    expect(first('probe')).toBeGreaterThanOrEqual(0);
    expect(first('model')).toBeGreaterThan(first('probe'));
    expect(seen.at(-1)).toBeNull();
    const snapshot = await page.evaluate(() => window.bertLab!.snapshot());
    expect(snapshot.settings.preset).toBe('lab');
    expect(snapshot.backend).toBe('wasm');
    // Then every backend is probed in the background, and the page says what it is doing.
    await expect
      .poll(() => page.evaluate(() => window.bertLab!.snapshot().backends.filter((b) => b.pending).length), {
        timeout: 60_000,
      })
      .toBe(0);
    const backends = await page.evaluate(() => window.bertLab!.snapshot().backends);
    // cpu is never timed beside a working wasm: it cannot win.
    expect(backends.find((b) => b.name === 'cpu')?.measuredMs).toBeUndefined();
  });

  test('the first step on WebGL says it is compiling shaders, then goes away', async ({ page }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'webgl' }));
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.backend-badge')).toHaveAttribute('data-backend', 'webgl');
    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.progress')).toContainText(
      'Compiling WebGL shaders for the first step',
    );
    await expect(page.getByTestId('train.step-count')).toHaveText('1', { timeout: 90_000 });
    await expect(page.getByTestId('train.progress')).toHaveCount(0);
    const seen = await phases(page);
    expect(seen.slice(seen.indexOf('compile'))).toEqual(['compile', null]);
    // Only the first step compiles.
    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.step-count')).toHaveText('2');
    expect((await phases(page)).filter((p) => p === 'compile')).toHaveLength(1);
  });
});
