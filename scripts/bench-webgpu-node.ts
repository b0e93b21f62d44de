/**
 * The WebGPU step benchmark of `npm run bench:webgpu`, outside a browser: the same cells (the
 * default preset and bert-tiny at 8×64, the stock tfjs path against the fused path), the same
 * counters (dispatches, submits, writeBuffer, readbacks per step, by wrapping Dawn's prototypes
 * before tfjs starts) and the same report (bench-results/webgpu-node.json and a markdown table),
 * on tfjs-backend-webgpu driven by Dawn (Chromium's WebGPU implementation, published on npm as
 * `webgpu`) in Node. No browser, so no page overhead: meant for a lent GPU machine.
 *
 * Not part of `npm run bench` (it needs a package we do not ship):
 *   npm i --no-save webgpu@0.6.2
 *   npx tsx scripts/bench-webgpu-node.ts [--cells default,bert-tiny:8x64] [--paths stock,fused]
 *     [--budget-ms 20000] [--min-steps 5] [--max-steps 100]
 * Dawn needs a Vulkan driver. A machine without a GPU has none, but Chromium ships a Vulkan loader
 * and SwiftShader beside itself, which Dawn can use as a software adapter:
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     npx tsx scripts/bench-webgpu-node.ts
 * On a machine without npm (the lent GPU machines), bundle it here (the fused trainer included
 * when src/core/fused/trainer.ts exists) and carry Node with it:
 *   npx tsx scripts/bench-webgpu-node.ts --bundle .gpucheck/bench.mjs
 * plus public/vocab/bert-base-uncased.txt and public/corpus/everyday.txt beside it (run it from
 * the repository root, or set BENCH_ASSETS to their folder), and node_modules/webgpu (index.js,
 * package.json, dist/linux-x64/dawn.node).
 */
import { join } from 'node:path';
import type * as BundleModule from './lib/webgpuBench/bundle';
import { counterTargets, installCounters } from './lib/webgpuBench/counters';
import { defaultCells } from './lib/webgpuBench/cellSpecs';
import { parseOptions, readAssets, resolveCells, writeReport } from './lib/webgpuBench/inputs';
import { describeAdapter, type BenchReport } from './lib/webgpuBench/report';

const argv = process.argv.slice(2);
if (argv[0] === '--bundle') {
  // A variable specifier: the bundle itself must not contain esbuild.
  const bundler = './lib/webgpuBench/bundle.ts';
  const { bundleNode } = (await import(bundler)) as typeof BundleModule;
  await bundleNode(argv[1] ?? '.gpucheck/bench.mjs');
  console.log(`Bundled to ${argv[1] ?? '.gpucheck/bench.mjs'}.`);
  process.exit(0);
}

interface Dawn {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}
// A variable specifier keeps TypeScript from resolving a package that is installed only for this.
const dawnPackage = 'webgpu';
const dawn = (await import(dawnPackage).catch((error: unknown) => {
  console.error(`The \`webgpu\` package is not installed (npm i --no-save webgpu@0.6.2): ${String(error)}`);
  process.exit(2);
})) as Dawn;
Object.assign(globalThis, dawn.globals);
// Counted from here on: every GPU object tfjs or the fused trainer makes is one of Dawn's classes.
const { counts } = installCounters(counterTargets(dawn.globals));
const gpu = dawn.create([]);
const adapter = await gpu.requestAdapter();
if (adapter === null) {
  console.error(
    'Dawn found no WebGPU adapter: no GPU with a Vulkan driver here. For the software adapter, run with\n' +
      '  LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json',
  );
  process.exit(2);
}
const adapterInfo = await describeAdapter(adapter);
// tfjs-backend-webgpu registers itself only where `navigator.gpu` exists and a window or worker
// scope does, so Node is given both before the backend is imported.
Object.assign(globalThis, { navigator: { gpu, userAgent: 'node' }, window: globalThis });

const root = process.env.BENCH_ROOT ?? join(import.meta.dirname ?? '.', '..');
const options = parseOptions(argv, { budgetMs: 20_000, minSteps: 5, maxSteps: 100 });
const assets = readAssets(root);
const cells = resolveCells(options.cells, defaultCells());
console.error(
  `Adapter ${JSON.stringify(adapterInfo)}; cells ${cells.map((c) => `${c.label} ${c.batch}×${c.seq}`).join(', ')}.`,
);
const { runCells } = await import('./lib/webgpuBench/cells');
const results = await runCells(
  {
    ...assets,
    cells,
    paths: options.paths,
    budgetMs: options.budgetMs,
    minSteps: options.minSteps,
    maxSteps: options.maxSteps,
  },
  () => counts,
);
const report: BenchReport = {
  runner: 'node-dawn',
  adapter: adapterInfo,
  date: new Date().toISOString(),
  cells: results,
};
writeReport(root, 'webgpu-node.json', report, `Node ${process.version} with Dawn (webgpu@0.6.2)`);
process.exit(0);
