import { expect, test, type Page } from '@playwright/test';

const A = 'The baker sold warm bread to the town.';
const B = 'People came early for it.';

async function openLab(page: Page, a = A, b = B) {
  await page.goto('./');
  await page.waitForFunction(() => window.bertLab !== undefined);
  await page.getByTestId('pack.input-a').fill(a);
  await page.getByTestId('pack.input-b').fill(b);
}

/** The pair typed, the micro model started on wasm (quick to start), the Embedding sum tab open. */
async function openSum(page: Page, a = A, b = B) {
  await openLab(page, a, b);
  await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
  await page.getByTestId('nav.sum').click();
}

const values = async (page: Page, id: string, attr = 'data-values') =>
  JSON.parse((await page.getByTestId(id).getAttribute(attr)) ?? 'null') as number[];

/** Reads one position's vectors and checks the sum and LayerNorm against the displayed numbers. */
async function checkPosition(page: Page, position: number) {
  await page.locator(`[data-testid="sum.chip"][data-position="${position}"]`).click();
  await expect(page.getByTestId('sum.position')).toHaveAttribute('data-position', String(position));
  const [token, segment, pos, total, out, gamma, beta] = await Promise.all([
    values(page, 'sum.token-row'),
    values(page, 'sum.segment-row'),
    values(page, 'sum.position-row'),
    values(page, 'sum.total'),
    values(page, 'sum.layernorm'),
    values(page, 'sum.layernorm', 'data-gamma'),
    values(page, 'sum.layernorm', 'data-beta'),
  ]);
  const H = token.length;
  expect(H).toBeGreaterThan(0);
  for (const v of [segment, pos, total, out, gamma, beta]) expect(v).toHaveLength(H);
  for (let j = 0; j < H; j++)
    expect(Math.abs(token[j]! + segment[j]! + pos[j]! - total[j]!)).toBeLessThan(1e-5);
  // LayerNorm: (x − mean) / sqrt(var + 1e-12) · γ + β, with the biased variance over the H cells.
  const mean = total.reduce((s, x) => s + x, 0) / H;
  const variance = total.reduce((s, x) => s + (x - mean) ** 2, 0) / H;
  for (let j = 0; j < H; j++) {
    const expected = ((total[j]! - mean) / Math.sqrt(variance + 1e-12)) * gamma[j]! + beta[j]!;
    expect(Math.abs(expected - out[j]!)).toBeLessThan(1e-4);
  }
  return { token, segment, total, gamma };
}

test.describe('Embedding sum view', () => {
  test.describe.configure({ timeout: 180_000 });

  test('token + segment + position equals the sum, and LayerNorm of the sum is the output, fresh and after 5 steps', async ({
    page,
  }) => {
    await openSum(page);
    await expect(page.getByTestId('sum.view')).toHaveAttribute('data-step', '0');
    const count = await page.getByTestId('sum.chip').count();
    const positions = [0, 1, Math.floor(count / 2), count - 1];
    const fresh = [];
    for (const p of positions) fresh.push(await checkPosition(page, p));
    expect(fresh[0]!.gamma.every((g) => g === 1)).toBe(true);

    await page.evaluate(() => window.bertLab!.step(5));
    await expect(page.getByTestId('sum.view')).toHaveAttribute('data-step', '5');
    for (const [i, p] of positions.entries()) {
      const trained = await checkPosition(page, p);
      // Training moved the weights, and the view shows the new ones.
      expect(trained.total).not.toEqual(fresh[i]!.total);
    }
    // The sparkline has the fresh point and at least the step-5 point.
    const points = Number(await page.getByTestId('sum.sparkline').getAttribute('data-points'));
    expect(points).toBeGreaterThanOrEqual(2);
  });

  test("starts the default model itself, which shows the default pair in Tokenize & Pack's word pieces and ids, uncut", async ({
    page,
  }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    // Tokenize & Pack, the first view, with its default pair and max length.
    const packed = page.getByTestId('pack.token');
    await expect(packed.first()).toBeVisible();
    const pack = await packed.evaluateAll((chips) =>
      chips.map((c) => ({ token: c.dataset.token!, id: Number(c.dataset.tokenId) })),
    );
    expect(pack.map((p) => p.token).slice(0, 10)).toEqual([
      '[CLS]',
      'the',
      'lab',
      'shows',
      'how',
      'bert',
      'turns',
      'una',
      '##ffa',
      '##ble',
    ]);

    await page.getByTestId('nav.sum').click();
    // Numbers first: the view shows step 0 at once (from the seed while the engine loads, then the
    // engine's own), never a blank panel; the chips below are the same either way.
    await expect(page.getByTestId('sum.loading').or(page.getByTestId('sum.from-seed')).first()).toBeVisible();
    await expect(page.getByTestId('sum.view')).toHaveAttribute('data-step', '0', { timeout: 150_000 });
    const chips = await page
      .getByTestId('sum.chip')
      .evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.token!));
    expect(chips).toEqual(pack.map((p) => p.token));
    await expect(page.getByTestId('sum.truncated')).toHaveCount(0);
    // Then the engine is up and the view shows its own trace.
    await expect(page.getByTestId('sum.from-seed')).toHaveCount(0, { timeout: 150_000 });
    const model = await page.evaluate(() => {
      const lab = window.bertLab!;
      const { config, settings } = lab.snapshot() as unknown as {
        config: { vocabSize: number };
        settings: { preset: string };
      };
      return { vocabSize: config.vocabSize, preset: settings.preset };
    });
    expect(model).toEqual({ vocabSize: 30_522, preset: 'lab' });
    const ids = await page.evaluate(async () => {
      const a = (document.querySelector('[data-testid="pack.input-a"]') as HTMLTextAreaElement).value;
      const b = (document.querySelector('[data-testid="pack.input-b"]') as HTMLTextAreaElement).value;
      return (await window.bertLab!.trace(a, b)).inputIds as number[];
    });
    expect(ids).toEqual(pack.map((p) => p.id));
    await checkPosition(page, 2);
  });

  test('the arrow keys move the selected position', async ({ page }) => {
    await openSum(page);
    await page.locator('[data-testid="sum.chip"][data-position="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('sum.position')).toHaveAttribute('data-position', '1');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('sum.position')).toHaveAttribute('data-position', '2');
    await expect(page.locator('[data-testid="sum.chip"][data-position="2"]')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('sum.position')).toHaveAttribute('data-position', '1');
    await page.keyboard.press('End');
    const last = (await page.getByTestId('sum.chip').count()) - 1;
    await expect(page.getByTestId('sum.position')).toHaveAttribute('data-position', String(last));
  });

  test("a pair longer than the position table says it was truncated to P positions (micro's 64)", async ({
    page,
  }) => {
    const long = 'the baker sold warm bread to the people of the town before dawn '.repeat(8);
    await openSum(page, long, long);
    await expect(page.getByTestId('sum.truncated')).toContainText('truncated to 64 positions');
    await expect(page.getByTestId('sum.chip')).toHaveCount(64);
  });

  test('with reduced motion the final state shows at once, without animating', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openSum(page);
    await expect(page.getByTestId('sum.stage')).toHaveAttribute('data-stage', 'affine');
    await page.locator('[data-testid="sum.chip"][data-position="3"]').click();
    // No stage in between: the click goes straight to the LayerNorm output.
    await expect(page.getByTestId('sum.stage')).toHaveAttribute('data-stage', 'affine', { timeout: 100 });
    await expect(page.getByTestId('sum.layernorm')).toHaveCSS('opacity', '1', { timeout: 100 });
    await checkPosition(page, 3);
  });

  test('without reduced motion, picking a position plays its stages from the lookup', async ({ page }) => {
    await openSum(page);
    await page.locator('[data-testid="sum.chip"][data-position="3"]').click();
    await expect(page.getByTestId('sum.stage')).toHaveAttribute('data-stage', 'lookup');
    await expect(page.getByTestId('sum.stage')).toHaveAttribute('data-stage', 'affine', { timeout: 15_000 });
  });
});
