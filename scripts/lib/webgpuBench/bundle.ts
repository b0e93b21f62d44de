/**
 * esbuild bundles of the WebGPU step bench: the page's two scripts for Chromium, and a
 * self-contained Node script for a lent GPU machine.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleForBrowser } from '../browserBundle';

const root = join(import.meta.dirname, '..', '..', '..');

/** The page's scripts: the counters (classic, runs first) and the bench (module). */
export async function bundlePage(): Promise<{ counters: string; bench: string }> {
  const here = join(root, 'scripts', 'lib', 'webgpuBench');
  const [counters, bench] = await Promise.all([
    bundleForBrowser(join(here, 'countersPage.ts'), 'iife'),
    bundleForBrowser(join(here, 'page.ts')),
  ]);
  return { counters, bench };
}

/** scripts/bench-webgpu-node.ts as one ES module that needs only Node and the `webgpu` package. */
export async function bundleNode(outfile: string): Promise<void> {
  await build({
    bundle: true,
    logLevel: 'silent',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: true,
    entryPoints: [join(root, 'scripts', 'bench-webgpu-node.ts')],
    outfile,
    format: 'esm',
    platform: 'node',
    external: ['webgpu', 'esbuild'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
}
