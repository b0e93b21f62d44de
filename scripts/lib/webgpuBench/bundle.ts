/**
 * esbuild bundles of the WebGPU step bench: the page's two scripts for Chromium, and a
 * self-contained Node script for a lent GPU machine. One plugin stands in for the fused trainer
 * (src/core/fused/trainer.ts) while that module does not exist, so the bench still builds and says
 * "fused path not available" instead of failing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = join(import.meta.dirname, '..', '..', '..');

const fusedStandIn: Plugin = {
  name: 'fused-trainer-stand-in',
  setup(b) {
    b.onResolve({ filter: /core\/fused\/trainer$/ }, (args) => {
      const path = resolve(args.resolveDir || dirname(args.importer), `${args.path}.ts`);
      return existsSync(path) ? { path } : { path: 'missing', namespace: 'fused-stand-in' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fused-stand-in' }, () => ({
      contents: "throw new Error('src/core/fused/trainer.ts is not in this checkout');",
      loader: 'js',
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  write: false,
  logLevel: 'silent',
  target: 'es2022',
  plugins: [fusedStandIn],
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** The page's scripts: the counters (classic, runs first) and the bench (module). */
export async function bundlePage(): Promise<{ counters: string; bench: string }> {
  const here = join(root, 'scripts', 'lib', 'webgpuBench');
  const [counters, bench] = await Promise.all([
    build({ ...common, entryPoints: [join(here, 'countersPage.ts')], format: 'iife', platform: 'browser' }),
    build({ ...common, entryPoints: [join(here, 'page.ts')], format: 'esm', platform: 'browser' }),
  ]);
  return { counters: counters.outputFiles![0]!.text, bench: bench.outputFiles![0]!.text };
}

/** scripts/bench-webgpu-node.ts as one ES module that needs only Node and the `webgpu` package. */
export async function bundleNode(outfile: string): Promise<void> {
  await build({
    ...common,
    write: true,
    entryPoints: [join(root, 'scripts', 'bench-webgpu-node.ts')],
    outfile,
    format: 'esm',
    platform: 'node',
    external: ['webgpu', 'esbuild'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
}
