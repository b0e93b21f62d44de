import { test } from '@playwright/test';
import { MATMUL_CASES, NORM_CASES } from '../src/core/fused/test/denseCases';
import { openSuite, runCase } from './fusedHarness';

/**
 * The dense kernels of the fused WebGPU step (matmul, columnSum, layerNorm) checked in Chromium's
 * WebGPU against tfjs's composite ops on the cpu backend: forward within 1e-5 relative L2,
 * gradients within 1e-4. One test per case, each in a fresh page.
 */
for (const [id, title] of Object.entries({ ...MATMUL_CASES, ...NORM_CASES })) {
  test(title, async ({ page }) => {
    await openSuite(page, 'src/core/fused/test/dense.browser.ts');
    const results = await runCase(page, id);
    for (const r of results) console.log(`${id} / ${r.what}: ${r.error.toExponential(2)} (bound ${r.bound})`);
  });
}
