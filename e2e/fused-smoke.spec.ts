import { test } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';

test('the fused kernels harness runs a kernel and the WGSL dropout hash matches TypeScript', async ({
  page,
}) => {
  await openSuite(page, 'src/core/fused/test/smoke.browser.ts');
  const names = await caseNames(page);
  for (const name of names) await runCase(page, name);
  test.expect(names).toEqual(['scale', 'hash']);
});
