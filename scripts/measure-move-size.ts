/**
 * How far E_token's rows move, by the path that gave them a gradient: the median ‖Δrow‖ and ‖g‖ of
 * the lookup rows, the output-only rows and the rows that moved with no gradient, at given steps,
 * for the default model (lab preset, AdamW, tied, seed 42) and untied SGD, on wasm. Drives the
 * built page through window.bertLab, so the numbers are the engine's own; the quartiles are
 * core/train/moveSizes.ts, the same code the Training view's table uses.
 *
 *   npx vite build --outDir dist-x && E2E_DIST=dist-x E2E_PORT=4199 npx tsx scripts/measure-move-size.ts
 *
 * MEASURE_STEPS=1,20 (the default) chooses the steps.
 */
import type { Page } from '@playwright/test';
import type { EngineSettings } from '../src/core/domain/settings';
import { moveSizes, MOVE_SIZE_CAUSES } from '../src/core/train/moveSizes';
import { launchChromium, startPreview } from './lib/browser';

const STEPS = (process.env.MEASURE_STEPS ?? '1,20').split(',').map(Number);
const SETTINGS: Record<string, Partial<EngineSettings>> = {
  'default (lab, AdamW, tied)': { preset: 'lab', optimizer: 'adamw', tieOutputEmbeddings: true, seed: 42 },
  'untied SGD (lab)': { preset: 'lab', optimizer: 'sgd', tieOutputEmbeddings: false, seed: 42 },
};

const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toExponential(2));

async function measure(page: Page, name: string, settings: Partial<EngineSettings>): Promise<void> {
  await page.evaluate(
    (s) => window.bertLab!.start({ backend: 'wasm', ...s }),
    settings as Record<string, unknown>,
  );
  let at = 0;
  for (const target of STEPS) {
    await page.evaluate((n) => window.bertLab!.step(n), target - at);
    at = target;
    const r = await page.evaluate(() => {
      const rep = window.bertLab!.snapshot().report!;
      return {
        step: rep.step,
        lr: rep.learningRate,
        lookupGradRowNorm: rep.lookupGradRowNorm,
        outputGradRowNorm: rep.outputGradRowNorm,
        updateRowNorm: rep.updateRowNorm,
      };
    });
    const sizes = moveSizes({
      lookupGradRowNorm: Float32Array.from(r.lookupGradRowNorm),
      outputGradRowNorm: Float32Array.from(r.outputGradRowNorm),
      updateRowNorm: Float32Array.from(r.updateRowNorm),
    });
    const cells = MOVE_SIZE_CAUSES.map(
      (c) =>
        `${c} ${sizes[c].rows} rows ‖Δ‖ ${fmt(sizes[c].update?.median)} ‖g‖ ${fmt(sizes[c].grad?.median)}`,
    );
    console.log(`| ${name} | ${r.step} | ${r.lr.toExponential(2)} | ${cells.join(' | ')} |`);
  }
}

const port = Number(process.env.E2E_PORT ?? 4199);
const server = await startPreview(port);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.bertLab !== undefined);
  console.log('| setting | step | lr | lookup | output only | no gradient |');
  for (const [name, settings] of Object.entries(SETTINGS)) await measure(page, name, settings);
} finally {
  await browser.close();
  server.stop();
}
