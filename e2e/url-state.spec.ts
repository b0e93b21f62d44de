import { expect, test, type Page } from '@playwright/test';
import { PackPage } from './pages/PackPage';
import { unfold } from './pages/TrainPage';

/** Collects requests that leave the page's origin: a link must never make the lab fetch elsewhere. */
function watchForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) foreign.push(request.url());
  });
  return foreign;
}

const lossOf = (page: Page) => page.evaluate(() => window.bertLab!.snapshot().report?.loss.total ?? null);
const stepOf = (page: Page) => page.evaluate(() => window.bertLab!.snapshot().step);

/** Words that do not repeat in a pattern, so the link compresses them only as far as text goes. */
const LONG_A = Array.from({ length: 90 }, (_, i) => `word${(i * 7919) % 1000} unaffable`).join(' ');
const B = 'Rare words like naïveté split; 你好 stays whole?';

test.describe('Shareable state in the URL', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a copied link reproduces the tokens and the first-step loss in a fresh page', async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const origin = new URL(baseURL!).origin;
    const foreign = watchForeignRequests(page, origin);
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair(LONG_A, B, 40);
    const chips = await pack.chipFacts();
    expect(chips).toHaveLength(40);

    // The recipe, set through the Training view's form, then one step on wasm.
    await page.getByTestId('nav.train').click();
    await unfold(page, 'train.settings');
    await page.getByTestId('train.seed').fill('7');
    await page.getByTestId('train.optimizer').selectOption('sgd');
    await page.getByTestId('train.lr').fill('0.01');
    await page.getByTestId('train.batch').fill('4');
    await page.getByTestId('train.tie').uncheck();
    await page.getByTestId('train.backend').selectOption('wasm');
    await page.getByTestId('train.start').click();
    // The start queues behind the one the tab began on opening (the default model's backend race).
    await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 90_000 });
    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.step-count')).toHaveText('1');
    const loss = await lossOf(page);
    expect(loss).toEqual(expect.any(Number));

    await page.getByTestId('share.copy-link').click();
    await expect(page.getByTestId('share.status')).toContainText('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const params = new URL(link).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      view: 'train',
      max: '40',
      // The default preset, named all the same: a later default cannot reread the link.
      preset: 'lab',
      seed: '7',
      opt: 'sgd',
      lr: '0.01',
      tie: '0',
      batch: '4',
      step: '1',
      be: 'wasm',
    });
    // The long sentences travel compressed.
    expect(params.has('z')).toBe(true);
    expect(params.has('a')).toBe(false);

    // A fresh context: no storage, no saved session, nothing shared with the first page.
    const context = await browser.newContext({ baseURL: baseURL! });
    try {
      const fresh = await context.newPage();
      const freshForeign = watchForeignRequests(fresh, origin);
      await fresh.goto(link);
      await expect(fresh.getByTestId('nav.train')).toHaveAttribute('aria-selected', 'true');
      await expect(fresh.getByTestId('train.step-count')).toHaveText('1', { timeout: 60_000 });
      expect(await stepOf(fresh)).toBe(1);
      expect(await fresh.evaluate(() => window.bertLab!.snapshot().backend)).toBe('wasm');
      // Same backend, same seed, same step: the same loss, up to float tolerance.
      expect(await lossOf(fresh)).toBeCloseTo(loss!, 5);
      // The form shows the link's recipe.
      await expect(fresh.getByTestId('train.preset')).toHaveValue('lab');
      await expect(fresh.getByTestId('train.seed')).toHaveValue('7');
      await expect(fresh.getByTestId('train.optimizer')).toHaveValue('sgd');
      await expect(fresh.getByTestId('train.tie')).not.toBeChecked();

      await fresh.getByTestId('nav.pack').click();
      const freshPack = new PackPage(fresh);
      await expect(freshPack.inputA).toHaveValue(LONG_A);
      await expect(freshPack.inputB).toHaveValue(B);
      await expect(freshPack.maxLength).toHaveValue('40');
      await expect(fresh.getByTestId('pack.view')).toHaveAttribute('aria-busy', 'false');
      expect(await freshPack.chipFacts()).toEqual(chips);
      await expect(fresh.getByTestId('share.notice')).toHaveCount(0);
      expect(freshForeign).toEqual([]);
    } finally {
      await context.close();
    }
    expect(foreign).toEqual([]);
  });

  test('a malformed link is ignored with notices, and the page still works', async ({ page }) => {
    const garbage = [
      '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1',
      'view=nowhere',
      'max=99999',
      'seed=abc',
      'step=-5',
      'lr=1e999',
      'batch=3.5',
      'tie=2',
      'z=!!!',
      'be=wasm',
    ].join('&');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`./?${garbage}`);
    const notices = page.getByTestId('share.notice');
    await expect(notices).toHaveCount(8);
    await expect(notices.filter({ hasText: 'view: "nowhere" is not one of' })).toHaveCount(1);
    await expect(notices.filter({ hasText: 'max: "99999" is above 512; using 512' })).toHaveCount(1);
    await expect(notices.filter({ hasText: 'step: "-5" is below 0; using 0' })).toHaveCount(1);
    await expect(notices.filter({ hasText: 'z: not base64url text' })).toHaveCount(1);
    await expect(notices.filter({ hasText: /^…and 2 more problems/ })).toHaveCount(1);
    // Text from a link is shown as text, never as markup.
    await expect(notices.filter({ hasText: 'Unknown parameter "<img src=x onerror=alert(1)>"' })).toHaveCount(
      1,
    );
    await expect(page.locator('header img')).toHaveCount(0);

    // What was valid was applied; the rest kept its default; the page works.
    const pack = new PackPage(page);
    await expect(pack.maxLength).toHaveValue('512');
    await expect(page.getByTestId('nav.pack')).toHaveAttribute('aria-selected', 'true');
    await pack.setPair('Unaffable!', 'Café time');
    await expect(pack.chips).toHaveCount(9);
    await page.getByTestId('share.dismiss').click();
    await expect(notices).toHaveCount(0);
    // step=-5 became step 0 with the default recipe: the engine started on the link's backend and
    // did not train.
    await expect
      .poll(() => page.evaluate(() => window.bertLab!.snapshot().backend), { timeout: 30_000 })
      .toBe('wasm');
    expect(await stepOf(page)).toBe(0);
    expect(dialogs).toEqual([]);
  });

  test('the address bar follows what is on show, without adding history entries', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    const entries = await page.evaluate(() => history.length);
    await pack.setPair('Shared by the address bar.', '', 12);
    await page.getByTestId('nav.train').click();
    await expect(page).toHaveURL(/\?view=train&max=12&a=Shared\+by\+the\+address\+bar\.&b=$/);
    expect(await page.evaluate(() => history.length)).toBe(entries);

    await page.reload();
    await expect(page.getByTestId('nav.train')).toHaveAttribute('aria-selected', 'true');
    await expect(pack.inputA).toHaveValue('Shared by the address bar.');
    await expect(pack.inputB).toHaveValue('');
    await expect(pack.maxLength).toHaveValue('12');
    // Only what is on show: a reload never retrains from a seed.
    expect(await stepOf(page)).toBe(0);
  });

  test('text too long for a link gets a message instead of a broken link', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    const huge = Array.from({ length: 6_000 }, (_, i) => `w${(i * 104729) % 99991}`).join(' ');
    await pack.inputA.fill('A short sentence.');
    await expect(page).toHaveURL(/[?&]a=A\+short\+sentence\./);
    await pack.inputA.fill(huge);
    await page.getByTestId('share.copy-link').click();
    const status = page.getByTestId('share.status');
    await expect(status).toHaveAttribute('data-kind', 'error');
    await expect(status).toContainText('Shorten the sentences to share a link');
    // The address bar leaves the text out rather than carry a link that breaks.
    await expect(page).not.toHaveURL(/[?&](a|z)=/);
  });

  test('a link made when Adam and micro were the defaults (no opt, no preset) replays them; a fresh page starts AdamW on lab', async ({
    page,
    browser,
    baseURL,
  }) => {
    await page.goto('./?view=train&seed=42&step=1&be=wasm');
    await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBe(1);
    const replayed = await page.evaluate(() => window.bertLab!.snapshot());
    expect([replayed.settings.optimizer, replayed.settings.preset]).toEqual(['adam', 'micro']);
    // micro trains on its own vocabulary, learned from the corpus: 1,000 pieces, not 30,522.
    expect((replayed.config as { vocabSize: number }).vocabSize).toBe(1_000);
    await expect(page.getByTestId('train.optimizer')).toHaveValue('adam');
    await expect(page.getByTestId('train.preset')).toHaveValue('micro');

    // A new browser context: no saved session to resume.
    const fresh = await browser.newPage({ baseURL: baseURL! });
    await fresh.goto('./?view=train');
    await fresh.waitForFunction(() => window.bertLab !== undefined);
    await expect(fresh.getByTestId('train.optimizer')).toHaveValue('adamw');
    await expect(fresh.getByTestId('train.preset')).toHaveValue('lab');
    await expect(fresh.getByTestId('train.optimizer').locator('option:checked')).toHaveText('AdamW (BERT’s)');
    await fresh.close();
  });

  test("training towards a link's step shows progress and stops on request", async ({ page }) => {
    await page.goto('./?step=2000&be=wasm');
    const progress = page.getByTestId('share.progress');
    await expect(progress).toContainText('Training to step 2,000');
    await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    await page.getByTestId('share.stop').click();
    await expect(progress).toHaveCount(0);
    const stopped = await stepOf(page);
    expect(stopped).toBeLessThan(2_000);
    // The progress goes once the run towards the link has ended, a chunk in flight included. A
    // command queued behind everything the engine had to do finds it still at that step.
    expect((await page.evaluate(() => window.bertLab!.step(0))).step).toBe(stopped);
  });

  test('a link made on another backend says the numbers agree up to float tolerance', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('./?step=1&be=webgpu');
    await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBe(1);
    const here = await page.evaluate(() => window.bertLab!.snapshot().backend);
    const notice = page.getByTestId('share.notice').filter({ hasText: 'computed on the webgpu backend' });
    // Only a machine with a hardware GPU runs the link on webgpu again; elsewhere a notice explains.
    await expect(notice).toHaveCount(here === 'webgpu' ? 0 : 1);
    if (here !== 'webgpu') {
      await expect(notice).toContainText(`here the model runs on ${here}`);
      await expect(notice).toContainText('up to float tolerance');
    }
  });

  test('where the clipboard is refused, the link is shown selected to copy by hand', async ({ page }) => {
    await page.addInitScript(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Denied', 'NotAllowedError'));
    });
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Copied by hand.', '');
    await page.getByTestId('share.copy-link').click();
    await expect(page.getByTestId('share.status')).toHaveAttribute('data-kind', 'refused');
    await expect(page.getByTestId('share.status')).toContainText('did not allow copying');
    const field = page.getByTestId('share.link');
    await expect(field).toBeFocused();
    const link = new URL(await field.inputValue());
    expect(link.searchParams.get('a')).toBe('Copied by hand.');
    expect(link.searchParams.get('b')).toBe('');
  });
});
