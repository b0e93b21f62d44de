/**
 * Runs browser-side test modules of the fused WebGPU kernels (src/core/fused/test/*.browser.ts)
 * in headless Chromium on its WebGPU adapter (SwiftShader on machines without a GPU). The module
 * is bundled with esbuild and served to the page from a routed URL, so no server and no build of
 * the app are needed. A module default-exports `FusedSuite` (see src/core/fused/test/harness.ts):
 * named cases that each return their measured error and bound; the spec asserts every one.
 */
import { expect, type Page } from '@playwright/test';
import { bundleForBrowser, openRouted } from '../scripts/lib/browserBundle';
import type { CaseResult } from '../src/core/fused/test/harness';

const bundles = new Map<string, Promise<string>>();

/** Opens a blank page that has imported `entry`; the suite is on `window.fusedSuite`. */
export async function openSuite(page: Page, entry: string): Promise<void> {
  let code = bundles.get(entry);
  if (code === undefined) bundles.set(entry, (code = bundleForBrowser(entry)));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  await openRouted(page, [{ name: 'suite.js', code: await code }]);
  await page.waitForFunction(() => (window as unknown as { fusedSuite?: unknown }).fusedSuite !== undefined);
}

/** The names of the suite's cases. */
export function caseNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys((window as unknown as { fusedSuite: Record<string, unknown> }).fusedSuite),
  );
}

/**
 * Runs one case in the page, with `input` (any JSON value) as its argument, and asserts that every
 * measured error is within its bound.
 */
export async function runCase(page: Page, name: string, input?: unknown): Promise<CaseResult[]> {
  const results = await page.evaluate(
    ([n, arg]) =>
      (window as unknown as { fusedSuite: Record<string, (input?: unknown) => Promise<CaseResult[]>> })
        .fusedSuite[n]!(arg),
    [name, input] as const,
  );
  expect(results.length, `${name} measured nothing`).toBeGreaterThan(0);
  // FUSED_VERBOSE=1 prints every comparison, not only the first one over its bound.
  if (process.env.FUSED_VERBOSE)
    for (const r of results)
      console.log(
        `${r.error <= r.bound ? 'ok ' : 'BAD'} ${r.what}: ${r.error.toExponential(2)} (≤ ${r.bound})`,
      );
  for (const r of results) {
    expect(Number.isFinite(r.error), `${name} / ${r.what}: error ${r.error}`).toBe(true);
    expect(r.error, `${name} / ${r.what}: error ${r.error} over ${r.bound}`).toBeLessThanOrEqual(r.bound);
  }
  return results;
}
