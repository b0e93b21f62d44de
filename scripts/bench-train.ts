/**
 * Training benchmark (npm run bench:train; needs npm run build). Drives headless Chromium through
 * window.bertLab: for each preset and backend, the first step (shader compilation and warm-up
 * included), the median of the following steps, steps/s, the kernels one step dispatches
 * (tf.profile), and the live tensors and bytes after many steps. Writes bench-results/train.json
 * and prints a markdown table. One run, one process; medians, and ratios within the run.
 *
 * Steps per cell are capped by time: a software WebGPU adapter (SwiftShader) compiles shaders for
 * tens of seconds and runs bert-tiny at tens of seconds per step, so bert-tiny is not run there.
 *
 * BENCH_PRESETS=lab,micro and BENCH_BACKENDS=auto,wasm run only those cells; E2E_PORT and
 * E2E_DIST choose the port and build folder, as for the end-to-end tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchChromium, startPreview } from './lib/browser';
import { median } from './lib/stats';

type Backend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
interface Cell {
  preset: 'lab' | 'micro' | 'bert-tiny';
  backend: Backend | 'auto';
  batch: [number, number];
  steps: number;
  longRun?: number;
}

const ALL_CELLS: Cell[] = [
  // The default: bert-base-uncased's 30,522 rows on L=2, H=32, at the default batch.
  { preset: 'lab', backend: 'auto', batch: [8, 32], steps: 20, longRun: 100 },
  { preset: 'lab', backend: 'wasm', batch: [8, 32], steps: 20 },
  { preset: 'lab', backend: 'webgl', batch: [8, 32], steps: 10 },
  { preset: 'lab', backend: 'cpu', batch: [8, 32], steps: 10 },
  { preset: 'micro', backend: 'auto', batch: [8, 32], steps: 20, longRun: 200 },
  { preset: 'micro', backend: 'wasm', batch: [8, 32], steps: 20 },
  { preset: 'micro', backend: 'webgl', batch: [8, 32], steps: 10 },
  { preset: 'micro', backend: 'cpu', batch: [8, 32], steps: 10 },
  { preset: 'micro', backend: 'webgpu', batch: [8, 32], steps: 5 },
  { preset: 'bert-tiny', backend: 'auto', batch: [8, 64], steps: 8, longRun: 50 },
  { preset: 'bert-tiny', backend: 'webgl', batch: [8, 64], steps: 3 },
  { preset: 'bert-tiny', backend: 'cpu', batch: [8, 64], steps: 3 },
];
const presets = process.env.BENCH_PRESETS?.split(',');
const backends = process.env.BENCH_BACKENDS?.split(',');
const CELLS = ALL_CELLS.filter(
  (c) => (!presets || presets.includes(c.preset)) && (!backends || backends.includes(c.backend)),
);

const root = join(import.meta.dirname, '..');

/** Calls into the page; the facade's methods run in the page, so pass names and plain data only. */
const call = <T>(page: Page, method: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(
    ([m, a]) =>
      (window.bertLab as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[m as string]!(
        ...(a as unknown[]),
      ),
    [method, args] as const,
  ) as Promise<T>;

interface Snapshot {
  backend: string;
  step: number;
  msPerStep: number;
  numTensors: number;
  numBytes: number;
}

const server = await startPreview(Number(process.env.E2E_PORT ?? 4186));
const browser = await launchChromium();
const rows: Record<string, unknown>[] = [];
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.bertLab !== undefined);
  for (const cell of CELLS) {
    const [batchSize, seqLength] = cell.batch;
    const start = await call<Snapshot>(page, 'start', {
      preset: cell.preset,
      backend: cell.backend,
      // The README's table was measured with Adam, the default then; AdamW's decay is one more op.
      optimizer: 'adam',
      batchSize,
      seqLength,
    });
    let t0 = performance.now();
    await call(page, 'step', 1);
    const firstMs = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < cell.steps; i++) times.push((await call<Snapshot>(page, 'step', 1)).msPerStep);
    const profile = await call<{ kernels: number; kernelMs: number }>(page, 'profileStep');
    const afterShort = await call<Snapshot>(page, 'snapshot');
    let longRun: { steps: number; numTensors: number; numBytes: number } | null = null;
    if (cell.longRun) {
      await call(page, 'step', cell.longRun - afterShort.step);
      const s = await call<Snapshot>(page, 'snapshot');
      longRun = { steps: s.step, numTensors: s.numTensors, numBytes: s.numBytes };
    }
    const row = {
      preset: cell.preset,
      backend: cell.backend === 'auto' ? `auto → ${start.backend}` : start.backend,
      batch: `${batchSize}×${seqLength}`,
      firstStepMs: Math.round(firstMs),
      medianStepMs: Math.round(median(times)),
      stepsPerSecond: Math.round((1000 / median(times)) * 10) / 10,
      kernelsPerStep: profile.kernels,
      tensorsAfterShortRun: {
        steps: afterShort.step,
        numTensors: afterShort.numTensors,
        numBytes: afterShort.numBytes,
      },
      longRun,
    };
    t0 = performance.now();
    rows.push(row);
    console.error(JSON.stringify(row));
  }
} finally {
  await browser.close();
  server.stop();
}

mkdirSync(join(root, 'bench-results'), { recursive: true });
const machine =
  'this 2-core Linux machine, no GPU; headless Debian Chromium (WebGPU = SwiftShader software adapter)';
writeFileSync(join(root, 'bench-results', 'train.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`
Measured on ${machine}.

| preset | backend | batch | first step | median step | steps/s | kernels/step | tensors, bytes after N steps |
| --- | --- | --- | ---: | ---: | ---: | ---: | --- |
${rows
  .map((r) => {
    const live = (r.longRun ?? r.tensorsAfterShortRun) as {
      steps: number;
      numTensors: number;
      numBytes: number;
    };
    return `| ${r.preset} | ${r.backend} | ${r.batch} | ${r.firstStepMs} ms | ${r.medianStepMs} ms | ${r.stepsPerSecond} | ${r.kernelsPerStep} | ${live.numTensors} tensors, ${mb(live.numBytes)} after ${live.steps} |`;
  })
  .join('\n')}
`);
