/**
 * The fused WebGPU step fails loudly, never silently, on Chromium's WebGPU adapter (SwiftShader
 * here), on the micro model.
 *
 * - The core, through the kernel harness (no app build): a step WebGPU refuses rejects with
 *   FusedStepError('validation'), counts nothing, and its retry equals a run that never failed;
 *   buffers over a limit are refused before any is made.
 * - The app, through a test-hooks build (`window.bertLab.failFusedStep()` and
 *   `capFusedLimits(bytes)`): the engine's Worker catches the FusedStepError, moves to the next
 *   backend (wasm), says so in a warning and trains on, losing and repeating no step: its losses
 *   equal those of a fresh run on that backend from the same seed.
 */
import { expect, test, type Page } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';
import { HOOKS_DIST, scripts, serveHooksBuild } from './hooksBuild';
import { DIST } from './staticHost';

const CORE_CASES = [
  'a step WebGPU refuses rejects, counts nothing, and its retry equals a run that never failed',
  'buffers over a limit are refused before any is made',
  "bert-tiny at 64 × 512 fits this adapter's limits now; its old N·V logits did not",
];

test.describe('the fused step refuses to fail silently (kernel harness)', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openSuite(page, 'src/core/fused/test/fallback.browser.ts');
  });
  test.afterAll(async () => {
    await page.close();
  });
  test('the suite holds exactly these cases', async () => {
    expect(await caseNames(page)).toEqual(CORE_CASES);
  });
  for (const name of CORE_CASES) {
    test(name, async () => {
      await runCase(page, name);
    });
  }
});

/** The settings both runs of a comparison share: the micro model, a fixed seed. */
const SETTINGS = { preset: 'micro', batchSize: 2, seqLength: 16, seed: 7 } as const;
/** The backends' losses agree to about this much (README: fused ≤ 1e-5 against cpu; wasm, webgl). */
const TOLERANCE = 1e-4;

const snapshot = (page: Page) => page.evaluate(() => window.bertLab!.snapshot());

/** Steps one at a time until the session's step is `n` (a step call may end in a fallback). */
async function stepTo(page: Page, n: number): Promise<void> {
  for (let tries = 0; tries < n + 2 && (await snapshot(page)).step < n; tries++)
    await page.evaluate(() => window.bertLab!.step(1)).catch(() => null);
  expect((await snapshot(page)).step).toBe(n);
}

/** Step number and total loss of every report, oldest first. */
const history = (page: Page) =>
  page.evaluate(() => window.bertLab!.trainingHistory().map((h) => ({ step: h.step, total: h.total })));

/** The losses of a run on `backend` that never touched WebGPU, from a fresh start on the same seed. */
async function referenceLosses(page: Page, backend: string, steps: number): Promise<number[]> {
  await page.evaluate(([s, b]) => window.bertLab!.start({ ...s, backend: b as 'wasm' }), [
    SETTINGS,
    backend,
  ] as const);
  await page.evaluate((n) => window.bertLab!.step(n), steps);
  return (await history(page)).map((h) => h.total);
}

function expectSameLosses(got: { step: number; total: number }[], want: number[]): void {
  // One report per step, numbered 1..n: the failed step was not counted and none was repeated.
  expect(got.map((h) => h.step)).toEqual(want.map((_, i) => i + 1));
  got.forEach((h, i) =>
    expect(Math.abs(h.total - want[i]!), `step ${h.step}: ${h.total} vs ${want[i]}`).toBeLessThanOrEqual(
      TOLERANCE * Math.max(1, Math.abs(want[i]!)),
    ),
  );
}

// Through the engine's handler of FusedStepError in src/engine/train.worker.ts (the next backend,
// a warning notice, the snapshot restored when !weightsKept).
test.describe('the app falls back from a failed fused step (test-hooks build)', () => {
  test.describe.configure({ timeout: 300_000 });
  const hooks = serveHooksBuild();

  async function openLab(page: Page) {
    await page.goto(hooks.url());
    await page.waitForFunction(() => window.bertLab?.failFusedStep !== undefined);
  }

  test('a step WebGPU refuses: a warning, training goes on on the next backend, no step lost or counted twice', async ({
    page,
  }) => {
    await openLab(page);
    await page.evaluate((s) => window.bertLab!.start({ ...s, backend: 'webgpu' }), SETTINGS);
    await page.evaluate(() => window.bertLab!.step(2));
    expect(await snapshot(page)).toMatchObject({ backend: 'webgpu', fusedStep: true, step: 2 });
    const tensors = (await snapshot(page)).numTensors;

    expect(await page.evaluate(() => window.bertLab!.failFusedStep!())).toBe(true);
    await page.evaluate(() => window.bertLab!.step(1)).catch(() => null);
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.notice')).toContainText('WebGPU refused fused step 3', {
      timeout: 60_000,
    });
    const after = await snapshot(page);
    // The next backend (wasm, as the engine picks it; any other than WebGPU passes here).
    expect(after.backend).not.toBe('webgpu');
    expect(after.fusedStep).toBe(false);
    // The refused step was not counted (the handler may already have retried it: then 3).
    expect(after.step === 2 || after.step === 3).toBe(true);
    expect((await history(page)).map((h) => h.step)).toEqual(
      Array.from({ length: after.step }, (_, i) => i + 1),
    );

    await stepTo(page, 5);
    const got = await history(page);
    expect((await snapshot(page)).numTensors).toBe(tensors);
    expectSameLosses(got, await referenceLosses(page, after.backend!, 5));
  });

  test('buffers over the limit: a warning naming the limit, the run stays off WebGPU, nothing lost', async ({
    page,
  }) => {
    await openLab(page);
    await page.evaluate((s) => window.bertLab!.start({ ...s, backend: 'wasm' }), SETTINGS);
    await page.evaluate(() => window.bertLab!.step(2));
    expect(await page.evaluate(() => window.bertLab!.capFusedLimits!(4096))).toBe(true);
    await page.evaluate(() => window.bertLab!.setBackend('webgpu')).catch(() => null);
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.notice')).toContainText('maxStorageBufferBindingSize', {
      timeout: 60_000,
    });
    const after = await snapshot(page);
    expect(after.backend).not.toBe('webgpu');
    expect(after).toMatchObject({ fusedStep: false, step: 2 });

    await stepTo(page, 4);
    expectSameLosses(await history(page), await referenceLosses(page, after.backend!, 4));
  });

  test('the production build has neither hook', () => {
    const hooked = (dist: string) =>
      scripts(dist)
        .filter((s) => /failFusedStep|capFusedLimits/.test(s.text))
        .map((s) => s.name);
    expect(hooked(HOOKS_DIST).length).toBeGreaterThan(0);
    expect(hooked(DIST)).toEqual([]);
  });
});
