import { expect, test } from '@playwright/test';
import { SumPage } from './pages/SumPage';

const A = 'The baker sold warm bread to the town.';
const B = 'People came early for it.';

/** Reads one position's vectors and checks the sum and LayerNorm against the displayed numbers. */
async function checkPosition(sum: SumPage, position: number) {
  await sum.select(position);
  const { token, segment, position: pos, total, output: out, gamma, beta } = await sum.vectors();
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
    const sum = new SumPage(page);
    await sum.open(A, B);
    await expect(sum.view).toHaveAttribute('data-step', '0');
    const count = await sum.chips.count();
    const positions = [0, 1, Math.floor(count / 2), count - 1];
    const fresh = [];
    for (const p of positions) fresh.push(await checkPosition(sum, p));
    expect(fresh[0]!.gamma.every((g) => g === 1)).toBe(true);

    await page.evaluate(() => window.bertLab!.step(5));
    await expect(sum.view).toHaveAttribute('data-step', '5');
    for (const [i, p] of positions.entries()) {
      const trained = await checkPosition(sum, p);
      // Training moved the weights, and the view shows the new ones.
      expect(trained.total).not.toEqual(fresh[i]!.total);
    }
    // The sparkline has the fresh point and at least the step-5 point.
    const points = Number(await sum.sparkline.getAttribute('data-points'));
    expect(points).toBeGreaterThanOrEqual(2);
  });

  test("starts the default model itself, which shows the default pair in Tokenize & Pack's word pieces and ids, uncut", async ({
    page,
  }) => {
    const sum = new SumPage(page);
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

    await sum.openTab();
    // Numbers first: the view shows step 0 at once (from the seed while the engine loads, then the
    // engine's own), never a blank panel; the chips below are the same either way.
    await expect(sum.loading.or(sum.fromSeed).first()).toBeVisible();
    await expect(sum.view).toHaveAttribute('data-step', '0', { timeout: 150_000 });
    const chips = await sum.chipTokens();
    expect(chips).toEqual(pack.map((p) => p.token));
    await expect(sum.truncated).toHaveCount(0);
    // Then the engine is up and the view shows its own trace.
    await expect(sum.fromSeed).toHaveCount(0, { timeout: 150_000 });
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
    await checkPosition(sum, 2);
  });

  test('the arrow keys move the selected position', async ({ page }) => {
    const sum = new SumPage(page);
    await sum.open(A, B);
    await sum.chip(0).focus();
    await page.keyboard.press('ArrowRight');
    await expect(sum.position).toHaveAttribute('data-position', '1');
    await page.keyboard.press('ArrowRight');
    await expect(sum.position).toHaveAttribute('data-position', '2');
    await expect(sum.chip(2)).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(sum.position).toHaveAttribute('data-position', '1');
    await page.keyboard.press('End');
    const last = (await sum.chips.count()) - 1;
    await expect(sum.position).toHaveAttribute('data-position', String(last));
  });

  test("a pair longer than the position table says it was truncated to P positions (micro's 64)", async ({
    page,
  }) => {
    const long = 'the baker sold warm bread to the people of the town before dawn '.repeat(8);
    const sum = new SumPage(page);
    await sum.open(long, long);
    await expect(sum.truncated).toContainText('truncated to 64 positions');
    await expect(sum.chips).toHaveCount(64);
  });

  test('with reduced motion the final state shows at once, without animating', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const sum = new SumPage(page);
    await sum.open(A, B);
    await expect(sum.stage).toHaveAttribute('data-stage', 'affine');
    await sum.chip(3).click();
    // No stage in between: the click goes straight to the LayerNorm output.
    await expect(sum.stage).toHaveAttribute('data-stage', 'affine', { timeout: 100 });
    await expect(sum.layerNorm).toHaveCSS('opacity', '1', { timeout: 100 });
    await checkPosition(sum, 3);
  });

  test('without reduced motion, picking a position plays its stages from the lookup', async ({ page }) => {
    const sum = new SumPage(page);
    await sum.open(A, B);
    await sum.chip(3).click();
    await expect(sum.stage).toHaveAttribute('data-stage', 'lookup');
    await expect(sum.stage).toHaveAttribute('data-stage', 'affine', { timeout: 15_000 });
  });
});
