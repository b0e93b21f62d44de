/**
 * The attention and embeddings kernels of the fused training step against the composite tfjs
 * ops on the cpu backend (src/core/fused/test/attention.browser.ts, embeddings.browser.ts): one
 * Playwright test per case, each asserting its measured errors are within the bounds.
 */
import { expect, test, type Page } from '@playwright/test';
import { caseNames, openSuite, runCase } from './fusedHarness';

const SUITES = {
  attention: {
    entry: 'src/core/fused/test/attention.browser.ts',
    cases: [
      'forward, odd sizes, padded',
      'forward, odd sizes, padded, dropout 0.1',
      'forward, bert-tiny sizes, dropout 0.1',
      'forward, D = 80, T = 70, dropout 0.5',
      'backward, odd sizes, padded',
      'backward, odd sizes, padded, dropout 0.1',
      'backward, bert-tiny sizes',
      'backward, bert-tiny sizes, dropout 0.1',
      'backward, D = 80, T = 70, dropout 0.5',
      'forward, T = 512, dropout 0.1',
      'backward, T = 512, dropout 0.1',
    ],
  },
  embeddings: {
    entry: 'src/core/fused/test/embeddings.browser.ts',
    cases: [
      'forward, odd sizes',
      'forward, odd sizes, dropout 0.1',
      'forward, bert-tiny sizes, dropout 0.1',
      'backward, odd sizes, duplicate ids, padded',
      'backward, odd sizes, duplicate ids, padded, dropout 0.1',
      'backward, bert-tiny sizes',
      'backward, bert-tiny sizes, dropout 0.1',
    ],
  },
} as const;

for (const [area, suite] of Object.entries(SUITES)) {
  test.describe(`fused ${area} kernels`, () => {
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      page = await browser.newPage();
      await openSuite(page, suite.entry);
    });
    test.afterAll(async () => {
      await page.close();
    });
    test(`${area}: the suite holds exactly the cases listed here`, async () => {
      expect(await caseNames(page)).toEqual([...suite.cases]);
    });
    for (const name of suite.cases) {
      test(`${area}: ${name}`, async () => {
        const results = await runCase(page, name);
        for (const r of results)
          console.log(`  ${area} / ${name} / ${r.what}: ${r.error.toExponential(2)} (bound ${r.bound})`);
      });
    }
  });
}
