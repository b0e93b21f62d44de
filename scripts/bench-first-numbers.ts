/**
 * How long a new visitor waits for real numbers (npm run build first; npm run bench:first-numbers).
 * Each case opens a fresh page of the built app in a fresh browser context (no cache, no saved
 * session, no race result), straight on one view, and records when its first numbers appear:
 *
 * - Embedding sum: the step counter of the sum (`sum.step-count`) is in the page, full page
 *   (`?view=sum`) and embedded (`?embed=sum`);
 * - Training: Step (`train.step`) is enabled, full page (`?view=train`) and embedded (`?embed=train`).
 *
 * A MutationObserver in the page stamps performance.now() (0 = the navigation's start) when the
 * view's element first appears ("view shown") and when the numbers do, so polling from here adds
 * nothing. Median of RUNS fresh pages per case, in one run. Targets (issue 17): the sum within 1 s
 * of the view being shown, Step within 2 s. Writes bench-results/first-numbers.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './lib/browser';
import { median } from './lib/stats';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Case {
  readonly name: string;
  readonly query: string;
  /** The view's own element: when it is in the page, the view is shown. */
  readonly view: string;
  /** When this matches, the first numbers are there. */
  readonly ready: string;
  readonly targetMs: number;
}

const CASES: readonly Case[] = [
  {
    name: 'Embedding sum, full page',
    query: '?view=sum',
    view: '[data-testid="sum.view"]',
    ready: '[data-testid="sum.step-count"]',
    targetMs: 1000,
  },
  {
    name: 'Embedding sum, embedded',
    query: '?embed=sum',
    view: '[data-testid="sum.view"]',
    ready: '[data-testid="sum.step-count"]',
    targetMs: 1000,
  },
  {
    name: 'Training Step enabled, full page',
    query: '?view=train',
    view: '[data-testid="train.step"]',
    ready: '[data-testid="train.step"]:not([disabled])',
    targetMs: 2000,
  },
  {
    name: 'Training Step enabled, embedded',
    query: '?embed=train',
    view: '[data-testid="train.step"]',
    ready: '[data-testid="train.step"]:not([disabled])',
    targetMs: 2000,
  },
];

/** Stamps the first time each selector matches, from the first DOM change on. */
const stampScript = (c: Case) => `(() => {
  const marks = (window.__firstNumbers = {});
  const check = () => {
    if (marks.view === undefined && document.querySelector(${JSON.stringify(c.view)})) marks.view = performance.now();
    if (marks.ready === undefined && document.querySelector(${JSON.stringify(c.ready)})) marks.ready = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})()`;

const server = await startPreview(4197);
const browser = await launchChromium();
const results: { name: string; targetMs: number; viewMs: number[]; readyMs: number[] }[] = [];
try {
  for (const c of CASES) {
    const row = { name: c.name, targetMs: c.targetMs, viewMs: [] as number[], readyMs: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(stampScript(c));
      await page.goto(server.url + c.query);
      await page.locator(c.ready).first().waitFor({ state: 'attached', timeout: 120_000 });
      const marks = (await page.evaluate('window.__firstNumbers')) as { view: number; ready: number };
      row.viewMs.push(marks.view);
      row.readyMs.push(marks.ready);
      await context.close();
    }
    results.push(row);
  }
} finally {
  await browser.close();
  server.stop();
}

const round = (x: number) => Math.round(x);
const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium, fresh context per page`,
  runs: RUNS,
  cases: results.map((r) => {
    const sinceView = r.readyMs.map((t, i) => t - r.viewMs[i]!);
    return {
      name: r.name,
      targetMs: r.targetMs,
      medianFromNavigationMs: round(median(r.readyMs)),
      medianFromViewShownMs: round(median(sinceView)),
      fromNavigationMs: r.readyMs.map(round),
      meets: median(sinceView) <= r.targetMs,
    };
  }),
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'first-numbers.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`
| first numbers, median of ${RUNS} fresh pages | from the view shown | from navigation | target | each page (from navigation) |
| --- | --: | --: | --: | --- |
${report.cases
  .map(
    (c) =>
      `| ${c.name} | ${c.medianFromViewShownMs} ms | ${c.medianFromNavigationMs} ms | ≤ ${c.targetMs} ms ${c.meets ? '✓' : '✗'} | ${c.fromNavigationMs.join(', ')} |`,
  )
  .join('\n')}
`);
