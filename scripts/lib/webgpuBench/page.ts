/**
 * The Chromium side of `npm run bench:webgpu`: bundled with esbuild and served to the page by
 * scripts/bench-webgpu.ts. The counters were installed by countersPage.ts before this ran.
 */
import type { GpuCounts } from './counters';
import { runCells, type BenchInput } from './cells';
import { describeAdapter, type CellResult } from './report';

declare global {
  interface Window {
    gpuCounts?: GpuCounts;
    webgpuBench?: {
      adapter(): Promise<Record<string, unknown> | null>;
      run(input: BenchInput): Promise<CellResult[]>;
    };
  }
}

window.webgpuBench = {
  async adapter() {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) return null;
    return describeAdapter(adapter);
  },
  run(input) {
    const counts = window.gpuCounts;
    if (counts === undefined) throw new Error('The GPU counters were not installed before the bench.');
    return runCells(input, () => counts);
  },
};
