/**
 * Smoothness of the page while Play runs (npx vite build first; npx tsx scripts/bench-play.ts).
 * Headless Chromium, software rendering. For each view, in a fresh page (and Worker): the default
 * model (bert-base-uncased's 30,522 rows) on wasm, Play at 30 steps/s asked with the Training tab's
 * own controls, then the view under test opened; after a warm-up, requestAnimationFrame intervals
 * and the engine's steps/s (window.bertLab.snapshot().step) over RECORD_SECONDS.
 *
 * 1. the Training view; 2. the Embedding sum view following training; 3. the Learned rows view
 * following training (its report, a pass over all V rows of E_token, computed in the Worker each step).
 *
 * Targets (issue): p95 frame interval at most 20 ms, no frame over 100 ms, at least 8 steps/s.
 * Long animation frames (Chrome's 'long-animation-frame' entries over 50 ms) are kept in the JSON
 * with the scripts that ran in them, so a failing run says where its time went.
 * Writes bench-results/play.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { launchChromium, playTraining, startPreview } from './lib/browser';
import { quantile, recordFrames, sortedIntervals } from './lib/frames';

const root = join(import.meta.dirname, '..');
const PLAY_ASKED = 30;
const WARM_UP_SECONDS = 4;
const RECORD_SECONDS = 15;
const TARGET = { p95Ms: 20, maxMs: 100, stepsPerSecond: 8 };

const round = (x: number) => Math.round(x * 10) / 10;

/** A page script: starts collecting long animation frames into window.__loaf. */
const OBSERVE_LONG_FRAMES = `(() => {
  window.__loaf = [];
  if (!PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) return;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__loaf.push({
        start: Math.round(e.startTime),
        ms: Math.round(e.duration),
        renderMs: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
        scripts: e.scripts.map((s) => ({
          ms: Math.round(s.duration),
          invoker: s.invoker,
          fn: s.sourceFunctionName,
          at: (s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition,
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: false });
})()`;

interface LongFrame {
  start: number;
  ms: number;
  renderMs: number;
  scripts: { ms: number; invoker: string; fn: string; at: string }[];
}

interface Row {
  view: string;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  stepsPerSecond: number;
  backend: string | null;
  pass: boolean;
  longFrames: LongFrame[];
}

type View = 'train' | 'sum' | 'learned';

const VIEW_NAMES: Readonly<Record<View, string>> = {
  train: 'Training view',
  sum: 'Embedding sum view, following training',
  learned: 'Learned rows view, following training',
};

async function measure(browser: Browser, url: string, view: View): Promise<Row> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForFunction('window.bertLab !== undefined');
    // The default preset needs the bert-base-uncased vocabulary, which the first tab loads.
    await page.getByTestId('pack.token').first().waitFor();
    await page.evaluate("window.bertLab.start({ backend: 'wasm' })");
    await playTraining(page, PLAY_ASKED);
    if (view === 'sum') {
      await page.getByTestId('nav.sum').click();
      await page.getByTestId('sum.step-count').waitFor();
    }
    if (view === 'learned') {
      await page.getByTestId('nav.learned').click();
      await page.getByTestId('learned.neighbours').waitFor();
    }
    await page.waitForTimeout(WARM_UP_SECONDS * 1000);
    await page.evaluate(OBSERVE_LONG_FRAMES);
    const stepNow = async () => Number(await page.evaluate('window.bertLab.snapshot().step'));
    const s0 = await stepNow();
    const t0 = performance.now();
    const frames = (await page.evaluate(recordFrames(RECORD_SECONDS))) as number[];
    const s1 = await stepNow();
    const seconds = (performance.now() - t0) / 1000;
    const longFrames = (await page.evaluate('window.__loaf')) as LongFrame[];
    const backend = (await page.evaluate('window.bertLab.snapshot().backend')) as string | null;
    await page.getByTestId('nav.train').click();
    await page.getByTestId('train.pause').click();
    const intervals = sortedIntervals(frames);
    const row = {
      view: VIEW_NAMES[view],
      frames: frames.length,
      p50Ms: round(quantile(intervals, 0.5)),
      p95Ms: round(quantile(intervals, 0.95)),
      maxMs: round(intervals.at(-1) ?? 0),
      stepsPerSecond: round((s1 - s0) / seconds),
      backend,
      longFrames: longFrames.sort((a, b) => b.ms - a.ms).slice(0, 10),
    };
    const pass =
      row.p95Ms <= TARGET.p95Ms && row.maxMs <= TARGET.maxMs && row.stepsPerSecond >= TARGET.stepsPerSecond;
    return { ...row, pass };
  } finally {
    await page.close();
  }
}

const server = await startPreview(Number(process.env.E2E_PORT ?? 4194));
const browser = await launchChromium();
const rows: Row[] = [];
try {
  // One page at a time: two Workers would share the machine's cores and slow each other's steps.
  rows.push(await measure(browser, server.url, 'train'));
  rows.push(await measure(browser, server.url, 'sum'));
  rows.push(await measure(browser, server.url, 'learned'));
} finally {
  await browser.close();
  server.stop();
}
const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium (software rendering)`,
  preset: 'lab (default)',
  stepsPerSecondAsked: PLAY_ASKED,
  warmUpSeconds: WARM_UP_SECONDS,
  recordSeconds: RECORD_SECONDS,
  target: TARGET,
  rows,
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'play.json'), `${JSON.stringify(report, null, 2)}\n`);
const line = (r: Row) =>
  `| ${r.view} (${r.backend ?? '?'}) | ${r.frames} | ${r.p50Ms} ms | ${r.p95Ms} ms | ${r.maxMs} ms | ${r.stepsPerSecond} | ${r.pass ? 'pass' : 'FAIL'} |`;
console.log(`
Play on the default model, ${PLAY_ASKED} steps/s asked, ${RECORD_SECONDS} s after ${WARM_UP_SECONDS} s of warm-up.
Targets: p95 ≤ ${TARGET.p95Ms} ms, max ≤ ${TARGET.maxMs} ms, ≥ ${TARGET.stepsPerSecond} steps/s.

| view | frames | p50 | p95 | max | steps/s | targets |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map(line).join('\n')}
`);
