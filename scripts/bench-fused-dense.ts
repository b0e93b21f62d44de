/**
 * Benchmark of the fused step's dense kernels (matmul, layerNorm, columnSum) at bert-tiny's
 * shapes, against tfjs-backend-webgpu's own ops for the same work on the same WebGPU device, in
 * headless Chromium (`npx tsx scripts/bench-fused-dense.ts`; no build needed; VOCAB=7919 in front
 * shrinks the two vocabulary-sized products, which take minutes on SwiftShader). On a machine
 * without a GPU the adapter is SwiftShader, so the figures are CPU-bound: read the ratio, not the
 * milliseconds. Prints a markdown table and writes bench-results/fused-dense.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForBrowser, openRouted } from './lib/browserBundle';
import { launchChromium } from './lib/browser';
import type { BenchRow } from '../src/core/fused/test/denseBench.browser';

const root = join(import.meta.dirname, '..');
const code = await bundleForBrowser(join(root, 'src/core/fused/test/denseBench.browser.ts'));

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await openRouted(page, [{ name: 'bench.js', code }]);
  await page.waitForFunction(() => 'denseBench' in window);
  const adapter = await page.evaluate(async () => {
    type Info = { vendor: string; architecture: string; description: string };
    const adapter = (await navigator.gpu.requestAdapter()) as { info?: Info } | null; // info: Chrome 127+
    const info = adapter?.info;
    return info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'none';
  });
  const vocab = Number(process.env.VOCAB ?? 30522);
  const rows = await page.evaluate(
    (v) => (window as unknown as { denseBench: (vocab: number) => Promise<BenchRow[]> }).denseBench(v),
    vocab,
  );
  const round = (x: number) => Math.round(x * 100) / 100;
  console.log(`WebGPU adapter: ${adapter}\n`);
  console.log('| op | fused kernel ms | tfjs webgpu ms | tfjs / fused |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.what} | ${round(r.fusedMs)} | ${round(r.tfjsMs)} | ${round(r.tfjsMs / r.fusedMs)}× |`);
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(
    join(root, 'bench-results', 'fused-dense.json'),
    JSON.stringify({ adapter, vocab, rows }, null, 2),
  );
} finally {
  await browser.close();
}
