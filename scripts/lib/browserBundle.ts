/**
 * Browser-side TypeScript run in headless Chromium without building the app: esbuild bundles an
 * entry, and Playwright's router serves it from a localhost URL where no server listens.
 * localhost is a secure context, which `navigator.gpu` needs. Used by the fused kernels' specs
 * (e2e/fusedHarness.ts) and the WebGPU benchmarks.
 */
import { build } from 'esbuild';
import type { Page } from '@playwright/test';

const ROUTED_ORIGIN = 'http://localhost:9';

/** One bundled script: ESM for a module entry, an IIFE for a classic script that must run first. */
export async function bundleForBrowser(entry: string, format: 'esm' | 'iife' = 'esm'): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0]!.text;
}

export interface RoutedScript {
  readonly name: string;
  readonly code: string;
  readonly classic?: boolean;
}

/** Opens a blank page at ROUTED_ORIGIN that loads `scripts` in order (classic ones synchronously). */
export async function openRouted(page: Page, scripts: readonly RoutedScript[]): Promise<void> {
  const tags = scripts
    .map((s) => `<script${s.classic === true ? '' : ' type="module"'} src="/${s.name}"></script>`)
    .join('');
  await page.route(`${ROUTED_ORIGIN}/**`, (route) => {
    const script = scripts.find((s) => route.request().url().endsWith(`/${s.name}`));
    return script
      ? route.fulfill({ contentType: 'text/javascript', body: script.code })
      : route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8">${tags}` });
  });
  await page.goto(`${ROUTED_ORIGIN}/`);
}
