/**
 * WebGPU step benchmark (npm run bench:webgpu): in headless Chromium on its WebGPU adapter
 * (SwiftShader here), a training step of the default preset and of bert-tiny at 8×64, the stock
 * path (the lab's trainStep on tfjs-backend-webgpu) against the fused path
 * (src/core/fused/trainer.ts), in one run. Counts the real GPU calls of each step by wrapping
 * GPUComputePassEncoder.dispatchWorkgroups(Indirect), GPUQueue.submit / writeBuffer and
 * GPUBuffer.mapAsync in the page before tfjs starts, and times the steps. Writes
 * bench-results/webgpu.json and prints a markdown table. No app build needed: the bench code is
 * bundled with esbuild and served from a routed localhost URL (as e2e/fusedHarness.ts does).
 *
 *   npm run bench:webgpu [-- --cells default,bert-tiny:8x64 --paths stock,fused
 *                            --budget-ms 20000 --min-steps 2 --max-steps 20]
 *
 * The software adapter is slow: the stock bert-tiny step takes seconds, and the first step
 * compiles every pipeline, so steps are capped by --budget-ms per cell and path (at least
 * --min-steps after the first).
 */
import { join } from 'node:path';
import { ensureBertVocab } from './vocab.mjs';
import { launchChromium } from './lib/browser';
import { openRouted } from './lib/browserBundle';
import { bundlePage } from './lib/webgpuBench/bundle';
import { defaultCells } from './lib/webgpuBench/cellSpecs';
import { parseOptions, readAssets, resolveCells, writeReport } from './lib/webgpuBench/inputs';
import type { BenchReport } from './lib/webgpuBench/report';

const root = join(import.meta.dirname, '..');
const options = parseOptions(process.argv.slice(2), { budgetMs: 20_000, minSteps: 2, maxSteps: 20 });
ensureBertVocab();
const assets = readAssets(root);
const { counters, bench } = await bundlePage();

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  page.on('console', (m) => {
    if (['info', 'warning', 'error'].includes(m.type())) console.error(`[page ${m.type()}] ${m.text()}`);
  });
  await openRouted(page, [
    { name: 'counters.js', code: counters, classic: true },
    { name: 'bench.js', code: bench },
  ]);
  await page.waitForFunction(() => window.webgpuBench !== undefined);
  const adapter = await page.evaluate(() => window.webgpuBench!.adapter());
  if (adapter === null)
    throw new Error('This Chromium offers no WebGPU adapter (see e2e/chromium.ts for the flags).');
  const cells = resolveCells(options.cells, defaultCells());
  console.error(
    `Adapter ${JSON.stringify(adapter)}; cells ${cells.map((c) => `${c.label} ${c.batch}×${c.seq}`).join(', ')}.`,
  );
  const results = await page.evaluate((input) => window.webgpuBench!.run(input), {
    ...assets,
    cells,
    paths: options.paths,
    budgetMs: options.budgetMs,
    minSteps: options.minSteps,
    maxSteps: options.maxSteps,
  });
  const report: BenchReport = { runner: 'chromium', adapter, date: new Date().toISOString(), cells: results };
  writeReport(root, 'webgpu.json', report, 'headless Debian Chromium on this machine');
} finally {
  await browser.close();
}
