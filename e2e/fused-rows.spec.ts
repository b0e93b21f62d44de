/**
 * The fused step's row report against the composite step's (src/core/fused/test/rows.browser.ts):
 * every per-path row-norm array by relative L2 and every row's cause exactly, on a micro model
 * over the first 4,000 pieces of bert-base-uncased's vocab.txt, trained on the built-in corpus,
 * for optimizer settings under which the rows fall into different causes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureBertVocab, ROOT } from '../scripts/vocab.mjs';
import type { RowsInput } from '../src/core/fused/test/rows.browser';
import { caseNames, openSuite, runCase } from './fusedHarness';

/** Ids 0..3999: [PAD], the [unused] rows, [UNK] [CLS] [SEP] [MASK], characters, common words. */
const VOCAB_SIZE = 4000;

const CASES = [
  'untied Adam, 2 steps: rows that stay still, rows that move without gradient',
  'untied AdamW, then learning rate 0: rows moved by decay alone, then stalled rows',
  'tied AdamW, 2 steps: lookup and output-only rows',
  'untied LazyAdam, 2 steps: only batch rows move',
];

test.describe('the fused row report equals the composite one, row by row', () => {
  // One page for all cases, so the kernels' pipelines are compiled once (harness.ts's
  // sharePipelines): the first case pays for it, about a minute on SwiftShader with a busy CPU.
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let page: Page;
  let input: RowsInput;
  test.beforeAll(async ({ browser }) => {
    const vocab = readFileSync(ensureBertVocab(), 'utf8').split('\n').slice(0, VOCAB_SIZE);
    const corpus = readFileSync(join(ROOT, 'public', 'corpus', 'everyday.txt'), 'utf8');
    input = { vocab, corpus };
    page = await browser.newPage();
    await openSuite(page, 'src/core/fused/test/rows.browser.ts');
  });
  test.afterAll(async () => {
    await page.close();
  });
  test('the suite holds exactly these cases', async () => {
    expect(await caseNames(page)).toEqual(CASES);
  });
  for (const name of CASES) {
    test(name, async () => {
      await runCase(page, name, input);
    });
  }
});
