/**
 * Benchmark of the Tokenize & Pack view on large input (npm run bench:pack; needs npm run build).
 *
 * 1. Node: the tokenizer's `analyze` (all stages) on 100,000 characters of mixed English.
 * 2. Headless Chromium: with 100,000 characters in sentence A, type 20 more at 10 keys/s and
 *    measure, per key, the time to the next painted frame (input latency) and the time until the
 *    packed view shows the new text (result latency), plus the longest main-thread task.
 * Reports medians of one run; writes bench-results/pack.json and prints a markdown table.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBertTokenizer, parseVocabText } from '../src/core/tokenizer';
import { launchChromium, startPreview } from './lib/browser';
import { median } from './lib/stats';

const root = join(import.meta.dirname, '..');
const round = (x: number) => Math.round(x * 10) / 10;

/** 100,000 characters of varied English with punctuation, numbers and a few accents. */
function sampleText(chars: number): string {
  const sentences = readFileSync(join(root, 'scripts', 'fixtures', 'sentences.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${sentences[i % sentences.length]} `;
  return text.slice(0, chars);
}

const text = sampleText(100_000);
const tokenizer = createBertTokenizer(
  parseVocabText(readFileSync(join(root, 'public', 'vocab', 'bert-base-uncased.txt'), 'utf8')),
);
const nodeTimes: number[] = [];
let pieces = 0;
for (let run = 0; run < 9; run++) {
  const t0 = performance.now();
  pieces = tokenizer.analyze(text).pieces.length;
  nodeTimes.push(performance.now() - t0);
}
const nodeMs = median(nodeTimes.slice(2)); // the first runs warm up the JIT

/**
 * Page-side instrumentation, as a string: tsx would wrap named inner functions in a helper that
 * does not exist inside the page. Per keydown, it records the first painted frame after the key
 * changed the text, and the first frame where the view is no longer busy with stale results.
 */
const INSTRUMENT_TYPING = `(() => {
  window.__lat = [];
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
  }).observe({ type: 'longtask' });
  const area = document.querySelector('[data-testid="pack.input-a"]');
  const view = document.querySelector('[data-testid="pack.view"]');
  area.addEventListener('keydown', () => {
    const t0 = performance.now();
    const before = area.value.length;
    let painted = null;
    const check = () => {
      const now = performance.now();
      if (painted === null && area.value.length !== before) painted = now;
      if (painted !== null && view.getAttribute('aria-busy') === 'false') {
        window.__lat.push({ input: painted - t0, result: now - t0 });
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, true);
})()`;

const server = await startPreview(4180);
const browser = await launchChromium();
let browserResult: { input: number[]; result: number[]; longestTask: number };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.getByTestId('pack.token').first().waitFor();
  const input = page.getByTestId('pack.input-a');
  await input.fill(text);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="pack.view"]')?.getAttribute('aria-busy') === 'false',
  );
  await page.evaluate(INSTRUMENT_TYPING);
  await input.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' more words typed', { delay: 100 });
  await page.waitForTimeout(1000);
  const measured = (await page.evaluate('({ lat: window.__lat, longest: window.__longest })')) as {
    lat: { input: number; result: number }[];
    longest: number;
  };
  browserResult = {
    input: measured.lat.map((l) => l.input),
    result: measured.lat.map((l) => l.result),
    longestTask: measured.longest,
  };
} finally {
  await browser.close();
  server.stop();
}

const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium`,
  chars: text.length,
  pieces,
  node: { medianMs: round(nodeMs), mbPerS: round(text.length / 1e6 / (nodeMs / 1000)) },
  typing: {
    keys: browserResult.input.length,
    medianInputMs: round(median(browserResult.input)),
    maxInputMs: round(Math.max(...browserResult.input)),
    medianResultMs: round(median(browserResult.result)),
    maxResultMs: round(Math.max(...browserResult.result)),
    longestTaskMs: round(browserResult.longestTask),
  },
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'pack.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`
| Tokenize & Pack, ${report.chars.toLocaleString('en-US')} characters (${report.pieces.toLocaleString('en-US')} pieces) | median | max |
| --- | --- | --- |
| tokenizer, all stages, Node | ${report.node.medianMs} ms (${report.node.mbPerS} MB/s) | |
| keypress to next painted frame | ${report.typing.medianInputMs} ms | ${report.typing.maxInputMs} ms |
| keypress to updated chips | ${report.typing.medianResultMs} ms | ${report.typing.maxResultMs} ms |
| longest main-thread task over 50 ms while typing (0: none) | | ${report.typing.longestTaskMs} ms |
`);
