import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

/** What must be in the first screen of the Training view: the controls, the numbers, the caption and the map. */
const FIRST_SCREEN = [
  'train.step',
  'train.step-count',
  'train.stats',
  'train.caption',
  'train.rows-lookup',
  'train.rows-unchanged',
  'train.rows-so-far',
  'train.map',
];

/** Fails unless the element's whole box lies inside the viewport as it is, with the page unscrolled. */
async function expectInFirstScreen(page: Page, element: Locator, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const box = await element.boundingBox();
  expect(box, `${name} has a box`).not.toBeNull();
  expect(box!.x, `${name} left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${name} top edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} right edge`).toBeLessThanOrEqual(viewport.width);
  expect(box!.y + box!.height, `${name} bottom edge`).toBeLessThanOrEqual(viewport.height);
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * Records every text the engine's progress line shows, from before the tab opens: the start can be
 * faster than any poll, so the page itself keeps the list.
 */
async function recordProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train.progress"] p')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
}

test.describe('the Training view opens ready', () => {
  test.describe.configure({ timeout: 120_000 });

  test('at 1280×800, with no click but the tab: the engine starts, Step works, and the map, counters and caption are in the first screen', async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    const progress = await recordProgress(page);
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('nav.train')).toHaveAttribute('aria-selected', 'true');

    // Until the model exists the buttons are disabled, and the page says why.
    await expect(page.getByTestId('train.step')).toBeDisabled();
    await expect(page.getByTestId('train.not-ready')).toContainText('as soon as the model is built');
    await shoot(page, testInfo, 'train-starting-1280x800');
    await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 90_000 });
    await expect(page.getByTestId('train.not-ready')).toHaveCount(0);
    // The start said what it was doing, in words.
    // The default model (lab) trains on bert-base-uncased's vocabulary: no vocabulary to train first.
    const said = (await progress()).join('\n');
    // Numbers first: the model is built on wasm at once; no backend is timed before Step works.
    expect(said).toMatch(/Building the model on wasm from seed 42/);
    expect(said).not.toMatch(/Timing/);
    expect(said).not.toMatch(/Training the micro vocabulary/);

    // Step 0: every row unchanged, drawn before any step.
    await expect(page.getByTestId('train.step-count')).toHaveText('0');
    await expect(page.getByTestId('train.caption')).toContainText('Step 0');
    const V = (await page.evaluate(() => window.bertLab!.snapshot().config)) as { vocabSize: number };
    expect(V.vocabSize).toBe(30_522);
    await expect(page.getByTestId('train.rows-unchanged')).toHaveAttribute('data-count', '30522');
    await shoot(page, testInfo, 'train-opened-1280x800');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const id of FIRST_SCREEN) await expectInFirstScreen(page, page.getByTestId(id), id);
    // The settings and the saved sessions are there, folded.
    await expect(page.getByTestId('train.settings')).not.toHaveAttribute('open');
    await expect(page.getByTestId('sessions.details')).not.toHaveAttribute('open');
    await expect(page.getByTestId('train.lr')).toBeHidden();

    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.step-count')).toHaveText('1');
    await expect(page.getByTestId('train.caption')).toHaveAttribute('data-step', '1');
    await shoot(page, testInfo, 'train-step1-1280x800');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const id of FIRST_SCREEN) await expectInFirstScreen(page, page.getByTestId(id), id);
    // After a step, how far rows moved (medians and quartiles by gradient path) is there too, under the map.
    await expectInFirstScreen(page, page.getByTestId('train.move-size-table'), 'train.move-size-table');

    // Changing a setting still restarts the run.
    await page.getByTestId('train.settings').locator('summary').click();
    await shoot(page, testInfo, 'train-settings-open-1280x800');
    await page.getByTestId('train.seed').fill('7');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.settings-summary')).toContainText('seed 7');
    await expect(page.getByTestId('train.step-count')).toHaveText('0');
    await expect(page.getByTestId('train.step')).toBeEnabled();
  });

  test('at 390 px wide, the controls come first and the map follows them', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('./');
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 90_000 });
    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.step-count')).toHaveText('1');
    const step = (await page.getByTestId('train.step').boundingBox())!;
    const map = (await page.getByTestId('train.map').boundingBox())!;
    expect(step.y + step.height).toBeLessThanOrEqual(844);
    expect(map.y).toBeGreaterThan(step.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot(page, testInfo, 'train-step1-390');
    const path = testInfo.outputPath('train-step1-390-full.png');
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach('train-step1-390-full', { path, contentType: 'image/png' });
  });
});
