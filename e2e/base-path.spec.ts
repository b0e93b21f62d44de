import { expect, test } from '@playwright/test';
import { expectShippedFontsLoaded } from './fonts';
import { PackPage } from './pages/PackPage';
import { serveDist } from './staticHost';

const BASE = '/courses/nlp/week-3/lab/';

test('the built site works from a static host under any base path', async ({ page }) => {
  const host = await serveDist(BASE);
  try {
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(r.url()));
    await page.goto(host.url);
    const pack = new PackPage(page);
    await expect(pack.chips.first()).toHaveAttribute('data-token', '[CLS]');
    await pack.setPair('Hello world', '');
    expect((await pack.chipFacts()).map((c) => c.id)).toEqual([101, 7592, 2088, 102]);
    // The fonts' URLs are relative to the module that names them, so they load under the base too.
    await expectShippedFontsLoaded(page);
    expect(failed).toEqual([]);
  } finally {
    await host.close();
  }
});
