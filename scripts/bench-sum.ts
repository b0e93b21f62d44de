/**
 * Frame-rate benchmark of the Embedding sum view (npx vite build first; npx tsx scripts/bench-sum.ts).
 * Headless Chromium, software rendering: start the micro model on wasm, open the view, train
 * continuously at 10 steps/s (the view re-reads its trace after every step), play the animation
 * through the positions, and record requestAnimationFrame timestamps for 5 s. Prints the median,
 * p95 and max frame interval and writes bench-results/sum.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, playTraining, startPreview } from './lib/browser';
import { quantile, recordFrames, sortedIntervals } from './lib/frames';

const root = join(import.meta.dirname, '..');
const SECONDS = 5;
const STEPS_PER_SECOND = 10;

const round = (x: number) => Math.round(x * 10) / 10;

const server = await startPreview(4192);
const browser = await launchChromium();
let frames: number[];
let steps: { before: number; after: number };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction('window.bertLab !== undefined');
  await page.evaluate("window.bertLab.start({ preset: 'micro', backend: 'wasm' })");
  await playTraining(page, STEPS_PER_SECOND);
  await page.getByTestId('nav.sum').click();
  await page.getByTestId('sum.position').waitFor();
  await page.getByTestId('sum.speed').selectOption('2');
  await page.getByTestId('sum.play').click();
  const before = Number(await page.getByTestId('sum.step-count').textContent());
  await page.waitForTimeout(1000);
  frames = (await page.evaluate(recordFrames(SECONDS))) as number[];
  const after = Number(await page.getByTestId('sum.step-count').textContent());
  steps = { before, after };
} finally {
  await browser.close();
  server.stop();
}
const intervals = sortedIntervals(frames);
const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium (software rendering)`,
  seconds: SECONDS,
  frames: frames.length,
  trainingStepsDuringRun: steps.after - steps.before,
  medianMs: round(quantile(intervals, 0.5)),
  p95Ms: round(quantile(intervals, 0.95)),
  maxMs: round(intervals[intervals.length - 1] ?? 0),
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'sum.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`
| Embedding sum view, micro on wasm, training at ${STEPS_PER_SECOND} steps/s, animation playing | median | p95 | max |
| --- | --- | --- | --- |
| frame interval over ${SECONDS} s (${report.frames} frames, ${report.trainingStepsDuringRun} steps seen) | ${report.medianMs} ms | ${report.p95Ms} ms | ${report.maxMs} ms |
`);
