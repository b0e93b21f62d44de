/**
 * The fused step's heads, loss, gradient norm, optimizer and row norms (src/core/fused/kernels:
 * heads.ts, nsp.ts, gradNorm.ts, optimizer.ts, rowNorms.ts) against the composite tfjs code on
 * the cpu backend, one test per case, in Chromium on its WebGPU adapter.
 */
import { test } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';

const SUITES = {
  'src/core/fused/test/heads.browser.ts': [
    'gatherAndScatterOddSizes',
    'gatherAndScatterBertTiny',
    'crossEntropyVocab',
    'crossEntropyOddSizes',
    'crossEntropyNoMaskedRows',
    'nspOddSizes',
    'nspBertTiny',
    'nspTiedLogits',
  ],
  'src/core/fused/test/optimizer.browser.ts': [
    'gradNormClips',
    'gradNormUnderTheLimit',
    'gradNormZero',
    'gradNormNonFinite',
    'rowNormsOfSumAndFlags',
    'optimizerSgd',
    'optimizerSgdMomentum',
    'optimizerAdam',
    'optimizerAdamW',
    'optimizerLazyAdam',
  ],
};

for (const [entry, names] of Object.entries(SUITES)) {
  test(`${entry} has exactly the cases this spec runs`, async ({ page }) => {
    await openSuite(page, entry);
    test.expect(await caseNames(page)).toEqual(names);
  });
  for (const name of names) {
    test(`${name} matches the composite tfjs reference`, async ({ page }) => {
      await openSuite(page, entry);
      for (const r of await runCase(page, name))
        console.log(`${name} / ${r.what}: ${r.error} (<= ${r.bound})`);
    });
  }
}
