/**
 * The first load stays light (README "First load"): the first view's scripts, that is the entry
 * and the modules index.html preloads for it, stay within the budget, none of them is
 * TensorFlow.js, and no Worker starts until the learner trains. `npm run bench:page` measures the
 * same in time; this test only guards the budget, so a regression fails the suite.
 */
import { expect, test } from '@playwright/test';

/** The target for the page's JavaScript before the Worker starts, in bytes (kB = 1000 B). */
const FIRST_VIEW_BUDGET = 350_000;
/** A message from tfjs-core's own code: if a page script has it, tfjs is in the page. */
const TFJS_MARKER = 'Tensor is disposed';

test('the first view needs at most 350 kB of JavaScript, none of it tfjs, and starts no Worker', async ({
  page,
  request,
}) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto('./');
  // The page's static module graph: index.html as served, before any script added lazy chunks'
  // modulepreload links to the live document.
  const html = await (await request.get('./')).text();
  const scripts = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    return [
      ...[...doc.querySelectorAll('script[type="module"][src]')].map((el) => el.getAttribute('src')!),
      ...[...doc.querySelectorAll('link[rel="modulepreload"]')].map((el) => el.getAttribute('href')!),
    ].map((path) => new URL(path, location.href).href);
  }, html);
  expect(scripts.length).toBeGreaterThan(1);
  const sizes: string[] = [];
  let total = 0;
  for (const url of scripts) {
    const body = await (await request.get(url)).body();
    total += body.length;
    sizes.push(`${new URL(url).pathname.split('/').pop()} ${(body.length / 1000).toFixed(1)} kB`);
    expect(body.toString('utf8').includes(TFJS_MARKER), `${url} contains tfjs`).toBe(false);
  }
  console.log(`first view: ${(total / 1000).toFixed(1)} kB in ${sizes.join(', ')}`);
  expect(total, sizes.join(', ')).toBeLessThanOrEqual(FIRST_VIEW_BUDGET);

  // The view works (typed text becomes word pieces) and still no Worker has started.
  await page.getByTestId('pack.input-a').fill('hello interactive world');
  await expect(page.locator('[data-testid="pack.token"][data-token="interactive"]')).toBeVisible();
  expect(workers).toEqual([]);
});
