/**
 * The fused WebGPU training step in Chromium on its WebGPU adapter (SwiftShader here): a whole
 * step against the composite tfjs step on cpu for every optimizer, the dispatch budget, and
 * 500 steps without growth. Bundled by esbuild; no app build needed.
 */
import { test } from '@playwright/test';
import { openSuite, runCase } from './fusedHarness';

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
  // Two or three steps of both paths on a software adapter, on a 2-core machine.
  test.describe.configure({ timeout: 180_000 });
  for (const name of STEP_CASES) {
    test(name, async ({ page }) => {
      await openSuite(page, 'src/core/fused/test/step.browser.ts');
      await runCase(page, name);
    });
  }
});

test.describe('fused step costs', () => {
  test.describe.configure({ timeout: 420_000 });
  for (const name of [
    'bert-tiny 8×64: dispatches and submits per step',
    '500 steps: flat GPU buffers and tensors',
  ]) {
    test(name, async ({ page }) => {
      await openSuite(page, 'src/core/fused/test/budget.browser.ts');
      await runCase(page, name);
    });
  }
});
