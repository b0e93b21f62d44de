/**
 * First-load weight and speed of the page (npx vite build first; npx tsx scripts/bench-page.ts).
 *
 * Serves the build with `vite preview` and opens it 5 times in headless Chromium, each time in a
 * fresh browser context (empty HTTP cache, no service worker), and measures:
 *
 * - the page's JavaScript on the first view's path: every script the page requested before the
 *   first view was interactive (or before the first Web Worker was created, if one started
 *   earlier), as served (raw) and gzip -9 compressed. TensorFlow.js belongs in the Worker, so this
 *   is the page's own weight;
 * - all the page's JavaScript before the Worker starts, when the learner does nothing: the scripts
 *   requested in the first 3 s after the first view was interactive (the export menu's code loads
 *   when the browser is idle; the other views' code loads when they are opened, and a Worker
 *   starts only when the learner trains);
 * - the time to first view interactive, from navigation start: the first moment at which text typed
 *   into Tokenize & Pack's first sentence shows as word pieces. An init script types
 *   "hello interactive world" as soon as the input exists and is enabled, then checks every
 *   animation frame for the chip of the piece "interactive" (so the vocabulary has loaded and the
 *   tokenizer ran on the typed text, not just on the default sentence).
 *
 * Prints the medians as a README table and writes bench-results/page.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Request } from '@playwright/test';
import { launchChromium, startPreview } from './lib/browser';
import { median } from './lib/stats';

const root = join(import.meta.dirname, '..');
const LOADS = 5;
/** The targets. */
const TARGET_RAW_KB = 350;
const TARGET_INTERACTIVE_MS = 1000;
const TYPED = 'hello interactive world';
const PIECE = 'interactive';

const SETTLE_MS = 3000;

interface Script {
  readonly path: string;
  readonly raw: number;
  readonly gzip: number;
}

interface Load {
  /** Requested before the first view was interactive (and before any Worker). */
  readonly firstView: Script[];
  /** Requested before the first Worker, or within SETTLE_MS after interactive if none started. */
  readonly beforeWorker: Script[];
  readonly workerAtMs: number | null;
  readonly interactiveMs: number;
}

declare global {
  interface Window {
    firstViewInteractive?: number;
    firstWorkerAt?: number;
  }
}

/**
 * Runs in the page before its scripts: types into the first input, waits for its piece. A string,
 * not a function: tsx would add its `__name` helper to a function, which the page does not have.
 */
const WATCH_INTERACTIVE = `(() => {
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      window.firstWorkerAt ??= performance.now();
      super(...args);
    }
  };
  const typed = ${JSON.stringify(TYPED)};
  const tick = () => {
    const input = document.querySelector('[data-testid="pack.input-a"]');
    if (input && !input.disabled && input.value !== typed) {
      // React listens for 'input' events and reads the value through the prototype's setter.
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value').set.call(input, typed);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    const chips = document.querySelectorAll('[data-testid="pack.token"]');
    if ([...chips].some((chip) => chip.dataset.token === ${JSON.stringify(PIECE)})) {
      window.firstViewInteractive = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

async function load(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const requested: { path: string; request: Request }[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' && request.frame() === page.mainFrame())
      requested.push({ path: new URL(request.url()).pathname, request });
  });
  await page.addInitScript(WATCH_INTERACTIVE);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.firstViewInteractive !== undefined, undefined, { timeout: 60_000 });
  await page.waitForTimeout(SETTLE_MS);
  const { origin, interactive, worker } = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    interactive: window.firstViewInteractive!,
    worker: window.firstWorkerAt ?? null,
  }));
  const scripts: (Script & { at: number })[] = [];
  for (const { path, request } of requested) {
    const body = await (await request.response())?.body();
    if (!body) continue;
    // Request start, in the page's clock (ms since its navigation started).
    const at = request.timing().startTime - origin;
    scripts.push({ path, at, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  await context.close();
  const firstViewCutoff = Math.min(interactive, worker ?? Infinity);
  const workerCutoff = worker ?? interactive + SETTLE_MS;
  return {
    firstView: scripts.filter((s) => s.at <= firstViewCutoff),
    beforeWorker: scripts.filter((s) => s.at <= workerCutoff),
    workerAtMs: worker,
    interactiveMs: interactive,
  };
}

const server = await startPreview(4193);
const browser = await launchChromium();
const loads: Load[] = [];
try {
  for (let i = 0; i < LOADS; i++) loads.push(await load(browser, server.url));
} finally {
  await browser.close();
  server.stop();
}

const kB = (bytes: number) => Math.round(bytes / 100) / 10;
const total = (pick: (l: Load) => Script[], key: 'raw' | 'gzip') =>
  kB(median(loads.map((l) => pick(l).reduce((sum, s) => sum + s[key], 0))));
const names = (scripts: Script[]) =>
  scripts.map((s) => `${s.path.split('/').pop()} ${kB(s.raw)} kB`).join(', ');
const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium, vite preview on localhost`,
  loads: LOADS,
  firstView: { rawKB: total((l) => l.firstView, 'raw'), gzipKB: total((l) => l.firstView, 'gzip') },
  beforeWorker: { rawKB: total((l) => l.beforeWorker, 'raw'), gzipKB: total((l) => l.beforeWorker, 'gzip') },
  interactiveMs: Math.round(median(loads.map((l) => l.interactiveMs))),
  interactiveMsEach: loads.map((l) => Math.round(l.interactiveMs)),
  workerStartedAtMs: loads.map((l) => l.workerAtMs),
  scripts: { firstView: loads[0]!.firstView, beforeWorker: loads[0]!.beforeWorker },
  targets: { rawKB: TARGET_RAW_KB, interactiveMs: TARGET_INTERACTIVE_MS },
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'page.json'), `${JSON.stringify(report, null, 2)}\n`);
const workers = report.workerStartedAtMs.filter((w) => w !== null);
console.log(`
First view's scripts (first load): ${names(loads[0]!.firstView)}
All scripts before a Worker (first load, ${SETTLE_MS / 1000} s after interactive): ${names(loads[0]!.beforeWorker)}
A Worker started during ${workers.length} of ${LOADS} loads; first view interactive at ${report.interactiveMsEach.join(', ')} ms

| first load, median of ${LOADS} (fresh context, no cache) | raw | gzip -9 | target |
| --- | ---: | ---: | ---: |
| page JavaScript on the first view's path | ${report.firstView.rawKB} kB | ${report.firstView.gzipKB} kB | ≤ ${TARGET_RAW_KB} kB raw |
| all page JavaScript before the Worker starts (learner idle ${SETTLE_MS / 1000} s) | ${report.beforeWorker.rawKB} kB | ${report.beforeWorker.gzipKB} kB | |
| first view interactive (typed text shows as word pieces) | ${report.interactiveMs} ms | | ≤ ${TARGET_INTERACTIVE_MS} ms |
`);
