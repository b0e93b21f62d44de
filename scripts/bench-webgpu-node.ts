/**
 * Real-GPU WebGPU check, outside a browser: the lab's own training Session (src/engine/session.ts)
 * on tfjs-backend-webgpu, driven by Dawn (Chromium's WebGPU implementation, published on npm as
 * `webgpu`) in Node. It prints one JSON line per cell: first step (pipeline compilation included),
 * the median step and its phases, kernels per step, and the optimizer alone. No browser, so no
 * page or Worker overhead: a lower bound on what Chromium does with the same GPU.
 *
 * Not part of `npm run bench` (it needs a GPU with a Vulkan driver and a package we do not ship):
 *   npm i --no-save webgpu@0.6.2
 *   npx tsx scripts/bench-webgpu-node.ts [backends=webgpu,cpu] [budgetMsPerCell=10000]
 * On a machine without npm (the lent GPU machines), bundle it here and carry Node with it:
 *   npx esbuild scripts/bench-webgpu-node.ts --bundle --platform=node --format=esm \
 *     --external:webgpu --banner:js="import {createRequire} from 'module'; const require = createRequire(import.meta.url);" \
 *     --outfile=.gpucheck/bench.mjs
 * plus public/vocab/bert-base-uncased.txt and public/corpus/everyday.txt beside it (run it from
 * the repository root, or set BENCH_ASSETS to their folder), and node_modules/webgpu (index.js,
 * package.json, dist/linux-x64/dawn.node).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineSettings } from '../src/engine/trainProtocol';

interface Dawn {
  create(options: string[]): { requestAdapter(): Promise<{ info?: Record<string, unknown> } | null> };
  globals: Record<string, unknown>;
}
// A variable specifier keeps TypeScript from resolving a package that is installed only for this.
const dawnPackage = 'webgpu';
const dawn = (await import(dawnPackage)) as Dawn;
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create([]);
// tfjs-backend-webgpu registers itself only where `navigator.gpu` exists and a window or worker
// scope does, so Node is given both before the backend is imported.
Object.assign(globalThis, { navigator: { gpu, userAgent: 'node' }, window: globalThis });

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-webgpu');
const { createSession } = await import('../src/engine/session');
const { DEFAULT_ENGINE_SETTINGS } = await import('../src/engine/trainProtocol');
const { defaultVocab } = await import('../src/engine/microVocab');
const { createOptimizer, defaultOptimizerConfig } = await import('../src/core/train/optimizers');
const { createParams, flattenParams, microConfig, paramInfos } = await import('../src/core/model');
const { median } = await import('./lib/stats');

const backends = (process.argv[2] ?? 'webgpu,cpu').split(',');
const budgetMs = Number(process.argv[3] ?? 10_000);
const root = join(import.meta.dirname ?? '.', '..');
const assets = process.env.BENCH_ASSETS;
const read = (publicPath: string, name: string) =>
  readFileSync(assets ? join(assets, name) : join(root, 'public', publicPath, name), 'utf8');
const corpus = read('corpus', 'everyday.txt');
const bertVocab = read('vocab', 'bert-base-uncased.txt').split('\n');
while (bertVocab.at(-1) === '') bertVocab.pop();
const microVocab = defaultVocab(corpus);

const adapter = await gpu.requestAdapter();
console.log(JSON.stringify({ adapter: adapter?.info ?? null }));

const cells: {
  preset: 'micro' | 'bert-tiny';
  batch: number;
  seq: number;
  optimizer: EngineSettings['optimizer'];
}[] = [
  { preset: 'micro', batch: 8, seq: 32, optimizer: 'adam' },
  { preset: 'bert-tiny', batch: 8, seq: 64, optimizer: 'adam' },
  { preset: 'bert-tiny', batch: 32, seq: 128, optimizer: 'adam' },
  { preset: 'bert-tiny', batch: 32, seq: 128, optimizer: 'lazyadam' },
];

for (const backend of backends) {
  if (!(await tf.setBackend(backend).catch(() => false))) {
    console.log(JSON.stringify({ backend, error: 'backend unavailable' }));
    continue;
  }
  await tf.ready();
  for (const cell of cells) {
    // tfjs's cpu backend takes ~10 s a step on bert-tiny: one small cell is enough to compare.
    if (backend === 'cpu' && cell.batch * cell.seq > 8 * 64) continue;
    const settings: EngineSettings = {
      ...DEFAULT_ENGINE_SETTINGS,
      preset: cell.preset,
      batchSize: cell.batch,
      seqLength: cell.seq,
      optimizer: cell.optimizer,
    };
    const session = createSession(settings, cell.preset === 'micro' ? microVocab : bertVocab, corpus);
    let t0 = performance.now();
    await session.step();
    const firstStepMs = performance.now() - t0;
    const total: number[] = [];
    const phases = { forwardBackward: [] as number[], optimizer: [] as number[], report: [] as number[] };
    const start = performance.now();
    while (total.length < 30 && performance.now() - start < budgetMs) {
      t0 = performance.now();
      const report = await session.step();
      total.push(performance.now() - t0);
      phases.forwardBackward.push(report.ms.forwardBackward);
      phases.optimizer.push(report.ms.optimizer);
      phases.report.push(report.ms.report);
    }
    // tf.profile's type wants tensors back; the step's report is plain data, so hand it nothing.
    const profile = await tf.profile(async () => {
      await session.step();
      return [];
    });
    console.log(
      JSON.stringify({
        backend,
        ...cell,
        firstStepMs: Math.round(firstStepMs),
        steps: total.length,
        medianStepMs: +median(total).toFixed(1),
        medianForwardBackwardMs: +median(phases.forwardBackward).toFixed(1),
        medianOptimizerMs: +median(phases.optimizer).toFixed(1),
        medianReportMs: +median(phases.report).toFixed(1),
        kernelsPerStep: profile.kernels.length,
        tensors: tf.memory().numTensors,
      }),
    );
    session.dispose();
  }

  // The optimizer alone on micro's 46 parameters: its cost is per kernel, not per float.
  const config = microConfig(1000);
  const params = flattenParams(config, createParams(config, 42));
  const grads = params.map((p) => tf.randomNormal(p.shape, 0, 1e-3));
  for (const kind of ['sgd', 'adam', 'lazyadam'] as const) {
    const optimizer = createOptimizer(defaultOptimizerConfig(kind));
    const times: number[] = [];
    for (let r = 0; r < 8; r++) {
      const t0 = performance.now();
      optimizer.apply(params, grads, paramInfos(config), 1e-3);
      await params[0]!.data();
      await params.at(-1)!.data();
      if (r > 0) times.push(performance.now() - t0);
    }
    console.log(
      JSON.stringify({ backend, optimizerAlone: kind, preset: 'micro', medianMs: +median(times).toFixed(1) }),
    );
    optimizer.dispose();
  }
  tf.dispose(grads);
}
process.exit(0);
