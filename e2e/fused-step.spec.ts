/**
 * The fused WebGPU training step in Chromium on its WebGPU adapter (SwiftShader here): a whole
 * step against the composite tfjs step on cpu for every optimizer, the dispatch budget, and
 * 150 steps without growth. Bundled by esbuild; no app build needed.
 */
import { expect, test, type Page } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';

const STEP_CASES = [
  'adamw',
  'adam',
  'lazyadam',
  'sgd',
  'momentum',
  'untied, odd sizes (H=36, A=3, T=13)',
  'no dropout',
];

test.describe('a fused step equals the composite step', () => {
  // Two or three steps of both paths on a software adapter, on a 2-core machine. The cases share
  // one page, so the kernels' pipelines are compiled once (the GpuContext caches them).
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openSuite(page, 'src/core/fused/test/step.browser.ts');
  });
  test.afterAll(async () => {
    await page.close();
  });
  test('the suite holds exactly these cases', async () => {
    expect(await caseNames(page)).toEqual(STEP_CASES);
  });
  for (const name of STEP_CASES) {
    test(name, async () => {
      await runCase(page, name);
    });
  }
});

test.describe('fused step costs', () => {
  test.describe.configure({ timeout: 420_000 });
  for (const name of [
    'bert-tiny 8×64: dispatches and submits per step',
    '150 steps: flat GPU buffers and tensors',
  ]) {
    test(name, async ({ page }) => {
      await openSuite(page, 'src/core/fused/test/budget.browser.ts');
      await runCase(page, name);
    });
  }
});
