import { expect, test, type Page } from '@playwright/test';
import type { EngineSettings } from '../src/core/domain/settings';
import { SumPage } from './pages/SumPage';

/**
 * E_token's common drift (issue 18): the Embedding sum view's overview can show each row's change
 * since step 0 with the mean change of all rows taken out, and says what that shared part is and
 * where it comes from. Every number is checked against E_token read from the engine
 * (window.bertLab.tokenTables), measured here by the test's own code, not the page's.
 */

interface Drift {
  step: number;
  meanNorm: number;
  medianChange: number;
  medianCentred: number;
  commonShare: number;
}

/** The drift of E_token since step 0, measured in the page from the engine's tables. */
function measuredDrift(page: Page): Promise<Drift> {
  return page.evaluate(async () => {
    const { step, vocabSize: V, hidden: H, token, tokenAtStart } = await window.bertLab!.tokenTables();
    const mean = new Float64Array(H);
    for (let i = 0; i < V * H; i++) mean[i % H]! += (token[i]! - tokenAtStart[i]!) / V;
    const plain: number[] = [];
    const own: number[] = [];
    for (let r = 0; r < V; r++) {
      let p = 0;
      let o = 0;
      for (let c = 0; c < H; c++) {
        const d = token[r * H + c]! - tokenAtStart[r * H + c]!;
        p += d * d;
        o += (d - mean[c]!) ** 2;
      }
      plain.push(Math.sqrt(p));
      own.push(Math.sqrt(o));
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const k = s.length >> 1;
      return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
    };
    const meanNorm = Math.hypot(...mean);
    const total = plain.reduce((s, n) => s + n * n, 0);
    return {
      step,
      meanNorm,
      medianChange: median(plain),
      medianCentred: median(own),
      commonShare: total > 0 ? (V * meanNorm * meanNorm) / total : 0,
    };
  });
}

/** Starts a fresh run on wasm with these settings (the defaults otherwise) and trains `steps` steps. */
async function train(page: Page, settings: Partial<EngineSettings>, steps: number): Promise<void> {
  await page.goto('./');
  await page.waitForFunction(() => window.bertLab !== undefined);
  await page.evaluate(
    (s) => window.bertLab!.start({ backend: 'wasm', ...s }),
    settings as Record<string, unknown>,
  );
  // At step 0 the engine's step-0 copy is E_token itself, bit for bit.
  const same = await page.evaluate(async () => {
    const t = await window.bertLab!.tokenTables();
    return t.step === 0 && t.token.every((x, i) => x === t.tokenAtStart[i]);
  });
  expect(same).toBe(true);
  await page.evaluate((n) => window.bertLab!.step(n), steps);
}

function expectClose(shown: number, measured: number, relative = 1e-4): void {
  expect(Math.abs(shown - measured)).toBeLessThanOrEqual(relative * Math.max(Math.abs(measured), 1e-12));
}

/** Opens the Embedding sum view and waits until its drift note is for `step`. */
async function sumDriftAt(page: Page, step: number): Promise<SumPage> {
  const sum = new SumPage(page);
  await sum.openTab();
  await expect(sum.drift).toHaveAttribute('data-step', String(step));
  return sum;
}

test.describe('the common drift of E_token', () => {
  test.setTimeout(300_000);

  test('under the defaults (tied AdamW) the overview takes the shared change out, and the note’s numbers are the engine’s', async ({
    page,
  }) => {
    await train(page, {}, 30);
    const sum = await sumDriftAt(page, 30);
    const measured = await measuredDrift(page);
    const shown = await sum.driftNumbers();
    expect(shown.step).toBe(30);
    for (const k of ['meanNorm', 'medianChange', 'medianCentred', 'commonShare'] as const)
      expectClose(shown[k], measured[k]);
    // The stripes: most of the movement of 30,522 rows is one shared vector, and taking it out
    // leaves the median row with a fraction of its change.
    expect(measured.commonShare).toBeGreaterThan(0.5);
    expect(measured.medianCentred).toBeLessThan(0.7 * measured.medianChange);
    await expect(sum.drift).toContainText('30,522 rows');
    await expect(sum.drift).toContainText(`‖mean Δ‖ = ${measured.meanNorm.toPrecision(3)}`);
    await expect(page.getByTestId('sum.drift-cause')).toContainText('It comes from the tied output');
    await expect(page.getByTestId('sum.drift-cause')).toContainText('AdamW’s per-coordinate step m/√v');
    for (const mode of ['change', 'centred', 'weights'] as const) await sum.tokenMode(mode);
  });

  test('the Training map’s centred brightness is the step’s ‖Δrow − mean Δrow‖, measured from E_token before and after', async ({
    page,
  }) => {
    await train(page, {}, 5);
    await page.evaluate(async () => {
      const w = window as unknown as { before: Float32Array };
      w.before = (await window.bertLab!.tokenTables()).token;
      await window.bertLab!.step(1);
    });
    const check = await page.evaluate(async () => {
      const { vocabSize: V, hidden: H, token } = await window.bertLab!.tokenTables();
      const before = (window as unknown as { before: Float32Array }).before;
      const mean = new Float64Array(H);
      for (let i = 0; i < V * H; i++) mean[i % H]! += (token[i]! - before[i]!) / V;
      const report = window.bertLab!.snapshot().report!;
      let diff = 0;
      let size = 0;
      for (let r = 0; r < V; r++) {
        let o = 0;
        for (let c = 0; c < H; c++) o += (token[r * H + c]! - before[r * H + c]! - mean[c]!) ** 2;
        diff += (Math.sqrt(o) - report.centredUpdateRowNorm![r]!) ** 2;
        size += o;
      }
      return { relative: Math.sqrt(diff / size), meanNorm: Math.hypot(...mean), step: report.step };
    });
    expect(check.step).toBe(6);
    expect(check.relative).toBeLessThan(1e-4);
    await page.getByTestId('nav.train').click();
    await page.getByTestId('train.map-shade').selectOption('centred');
    await expect(page.getByTestId('train.map')).toHaveAttribute('data-shade', 'centred');
    const note = page.getByTestId('train.map-drift');
    await expect(note).toHaveAttribute('data-step', '6');
    expectClose(Number(await note.getAttribute('data-mean-norm')), check.meanNorm, 1e-3);
    await expect(page.getByTestId('train.explain')).toContainText('‖Δrow − mean Δrow‖');
  });

  test('under untied SGD there is little shared drift, and the note says why', async ({ page }) => {
    await train(page, { optimizer: 'sgd', tieOutputEmbeddings: false }, 10);
    const sum = await sumDriftAt(page, 10);
    const measured = await measuredDrift(page);
    const shown = await sum.driftNumbers();
    for (const k of ['meanNorm', 'medianChange', 'medianCentred', 'commonShare'] as const)
      expectClose(shown[k], measured[k]);
    // Only the batches' rows moved: the median row did not move at all, and the shared part is a
    // sliver of the movement.
    expect(measured.medianChange).toBe(0);
    expect(measured.commonShare).toBeLessThan(0.01);
    const cause = page.getByTestId('sum.drift-cause');
    await expect(cause).toContainText('The output layer is untied');
    await expect(cause).toContainText('plain SGD moves only the rows of the batch’s ids');
    await expect(cause).not.toContainText('per-coordinate step');
  });

  test('under tied SGD the shared step stays small next to the batch rows’ own, as the note says', async ({
    page,
  }) => {
    await train(page, { optimizer: 'sgd' }, 10);
    const sum = await sumDriftAt(page, 10);
    const measured = await measuredDrift(page);
    expectClose((await sum.driftNumbers()).commonShare, measured.commonShare);
    expect(measured.commonShare).toBeLessThan(0.1);
    await expect(page.getByTestId('sum.drift-cause')).toContainText(
      'plain SGD keeps each row’s step proportional to its gradient',
    );
  });
});
