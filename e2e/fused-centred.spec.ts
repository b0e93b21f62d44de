/**
 * E_token's centred change (‖Δrow − mean Δrow‖, the step report's centredUpdateRowNorm) on the
 * fused WebGPU step in Chromium's WebGPU adapter (SwiftShader here), against the composite tfjs
 * step on cpu and against its definition from the weights. Bundled by esbuild; no app build needed.
 */
import { expect, test, type Page } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';

const CASES = ['tied AdamW', 'untied SGD', 'tied Adam, 3,000 rows'];

test.describe('the fused step’s centred change equals the composite step’s', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openSuite(page, 'src/core/fused/test/centred.browser.ts');
  });
  test.afterAll(async () => {
    await page.close();
  });
  test('the suite holds exactly these cases', async () => {
    expect(await caseNames(page)).toEqual(CASES);
  });
  for (const name of CASES) {
    test(name, async () => {
      await runCase(page, name);
    });
  }
});
