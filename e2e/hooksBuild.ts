/**
 * The test-hooks build (`vite build --mode test-hooks`: the fault-injection hooks compiled in),
 * which the fault and fused-fallback specs serve next to the build under test. Built once per
 * Playwright worker process, whichever spec asks first.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { DIST, serveDist, type StaticHost } from './staticHost';

const ROOT = join(import.meta.dirname, '..');
export const HOOKS_DIST = `${DIST}-hooks`;

let built = false;

/** Builds HOOKS_DIST unless this process already has (about 5 s on the CI machine). */
function buildHooks(): string {
  if (!built) {
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--mode', 'test-hooks', '--outDir', HOOKS_DIST, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    built = true;
  }
  return HOOKS_DIST;
}

/** The JavaScript a build runs (its source maps quote the sources, dead branches included). */
export function scripts(dist: string): { name: string; text: string }[] {
  const assets = readdirSync(join(dist, 'assets')).map((name) => join('assets', name));
  return [...assets, ...readdirSync(dist)]
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(dist, name), 'utf8') }));
}

/**
 * Serves the test-hooks build to the tests of the describe block this is called in (built first if
 * need be); `url()` is its address once the block's tests run.
 */
export function serveHooksBuild(): { url: () => string } {
  let host: StaticHost | undefined;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    host = await serveDist('/', buildHooks());
  });
  test.afterAll(async () => {
    await host?.close();
  });
  return {
    url: () => {
      if (!host) throw new Error('The test-hooks build is not served yet.');
      return host.url;
    },
  };
}
