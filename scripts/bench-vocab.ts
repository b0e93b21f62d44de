/**
 * Benchmark of the Vocabulary view in headless Chromium (npm run bench:vocab; needs npm run build):
 * choose a ~1 MB English text file, load it (read, check and count words in the Worker), then train to
 * 2,000 tokens, while recording requestAnimationFrame intervals on the page to show that the
 * Worker keeps the page responsive. One run; writes bench-results/vocab.json and a markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './lib/browser';
import { buildCorpus } from './lib/syntheticCorpus';
import { ascending, quantile } from './lib/stats';

const root = join(import.meta.dirname, '..');
const text = buildCorpus(42, 1_000_000);

/** Page-side frame recorder, as a string so tsx does not rewrite it (see bench-pack.ts). */
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; if (window.__recording) requestAnimationFrame(tick); };
  window.__recording = true;
  requestAnimationFrame(tick);
})()`;

const round = (x: number) => Math.round(x * 10) / 10;

const server = await startPreview(4183);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.getByTestId('nav.vocab').click();
  await page.getByTestId('vocab.corpus').waitFor();

  let t0 = performance.now();
  await page
    .getByTestId('vocab.file')
    .setInputFiles({ name: 'bench-corpus.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByTestId('vocab.corpus').filter({ hasText: 'bench-corpus.txt' }).waitFor({ timeout: 60_000 });
  const loadMs = performance.now() - t0;

  await page.evaluate(RECORD_FRAMES);
  t0 = performance.now();
  await page.getByTestId('vocab.run-all').click();
  await page.getByTestId('vocab.stopped').waitFor({ timeout: 120_000 });
  const trainMs = performance.now() - t0;
  const frames = (await page.evaluate('window.__recording = false, window.__frames')) as number[];
  const size = await page.getByTestId('vocab.size').textContent();

  const report = {
    machine: `${process.platform} ${process.arch}, headless Debian Chromium, software rendering`,
    corpusBytes: Buffer.byteLength(text),
    vocabSize: size,
    loadMs: Math.round(loadMs),
    trainMs: Math.round(trainMs),
    frames: frames.length,
    frameP50Ms: round(quantile(ascending(frames), 0.5)),
    frameP95Ms: round(quantile(ascending(frames), 0.95)),
    frameMaxMs: round(Math.max(...frames)),
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'vocab.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`
| Vocabulary view, ${(report.corpusBytes / 1e6).toFixed(2)} MB corpus file | |
| --- | --- |
| load (read, check, count words in the Worker) | ${report.loadMs} ms |
| train to ${report.vocabSize} tokens, wall clock incl. page updates | ${report.trainMs} ms |
| page frame interval while training: median / p95 / max | ${report.frameP50Ms} / ${report.frameP95Ms} / ${report.frameMaxMs} ms |
`);
} finally {
  await browser.close();
  server.stop();
}
