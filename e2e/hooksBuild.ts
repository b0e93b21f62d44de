/**
 * The test-hooks build (`vite build --mode test-hooks`: the fault-injection hooks compiled in),
 * which the fault and fused-fallback specs serve next to the build under test. Built once per
 * Playwright worker process, whichever spec asks first.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from './staticHost';

const ROOT = join(import.meta.dirname, '..');
export const HOOKS_DIST = `${DIST}-hooks`;

let built = false;

/** Builds HOOKS_DIST unless this process already has (about 5 s on the CI machine). */
export function buildHooks(): string {
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
