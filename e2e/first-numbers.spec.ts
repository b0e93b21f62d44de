import { expect, test, type Page, type Route } from '@playwright/test';

/**
 * Numbers first (issue 17): a fresh page shows real numbers before the training engine has loaded
 * tfjs, and those numbers are the engine's own. The Worker's script is held back at the network
 * until the page has shown its step-0 sum, so the test does not depend on how fast this machine is.
 */
test.use({ serviceWorkers: 'block' });

/** Holds every request for the training Worker's script until `release()` is called. */
async function holdWorker(page: Page): Promise<{ release: () => void; requested: Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let requested!: () => void;
  const asked = new Promise<void>((resolve) => (requested = resolve));
  await page.route(/train\.worker-[^/]*\.js$/, async (route: Route) => {
    requested();
    await released;
    await route.continue();
  });
  return { release, requested: asked };
}

const values = async (page: Page, testId: string) =>
  JSON.parse((await page.getByTestId(testId).getAttribute('data-values'))!) as number[];

for (const [name, query] of [
  ['the full page', '?view=sum'],
  ['an embedded view', '?embed=sum'],
] as const) {
  test(`${name}: the Embedding sum shows step 0 from the seed before the engine loads, and the engine then shows the same numbers`, async ({
    page,
  }) => {
    const worker = await holdWorker(page);
    await page.goto(`./${query}`);
    await worker.requested;
    // The engine cannot be up: its script has not arrived. The numbers are there all the same.
    await expect(page.getByTestId('sum.from-seed')).toBeVisible();
    await expect(page.getByTestId('sum.from-seed')).toContainText('seed 42');
    await expect(page.getByTestId('sum.step-count')).toHaveText('0');
    const fromPage = {
      total: await values(page, 'sum.total'),
      layernorm: await values(page, 'sum.layernorm'),
      readout: await page.getByTestId('sum.readout').textContent(),
      chips: await page.getByTestId('sum.chip').allTextContents(),
    };
    expect(fromPage.total).toHaveLength(32);
    expect(fromPage.chips.length).toBeGreaterThan(10);

    worker.release();
    // The engine's own trace replaces the page's: the caption about the seed goes, the step stays 0.
    await expect(page.getByTestId('sum.from-seed')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('sum.step-count')).toHaveText('0');
    expect(await page.getByTestId('sum.chip').allTextContents()).toEqual(fromPage.chips);
    // The same numbers, as the view prints them (6 decimals in data-values, 4 in the readout).
    const fromEngine = {
      total: await values(page, 'sum.total'),
      layernorm: await values(page, 'sum.layernorm'),
    };
    fromEngine.total.forEach((v, j) => expect(v, `sum, column ${j}`).toBeCloseTo(fromPage.total[j]!, 6));
    fromEngine.layernorm.forEach((v, j) =>
      expect(v, `LayerNorm, column ${j}`).toBeCloseTo(fromPage.layernorm[j]!, 4),
    );
    expect(await page.getByTestId('sum.readout').textContent()).toBe(fromPage.readout);
  });
}

test('Step works as soon as the model is built on wasm; the other backends are checked afterwards, in the background', async ({
  page,
}) => {
  await page.goto('./?view=train');
  await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 60_000 });
  const atStart = await page.evaluate(() => window.bertLab!.snapshot());
  expect(atStart.backend).toBe('wasm');
  // Step is not held up by the background: a step taken now is step 1, on wasm.
  await page.getByTestId('train.step').click();
  await expect(page.getByTestId('train.step-count')).toHaveText('1');
  await expect
    .poll(() => page.evaluate(() => window.bertLab!.snapshot().backends.every((b) => !b.pending)), {
      timeout: 60_000,
    })
    .toBe(true);
  const after = await page.evaluate(() => window.bertLab!.snapshot());
  expect(after.background).toBeNull();
  // Nothing here could beat wasm (a software WebGPU adapter and WebGL renderer, or none): the run
  // stays where it is, and the race timed no hopeless backend.
  for (const b of after.backends) {
    if (b.name === 'cpu') expect(b.measuredMs).toBeUndefined();
    if (b.name === 'webgpu' && b.adapter?.isFallbackAdapter) expect(b.measuredMs).toBeUndefined();
    if (b.name === 'webgl' && b.softwareRenderer) expect(b.measuredMs).toBeUndefined();
  }
  expect(after.step).toBe(1);
});
