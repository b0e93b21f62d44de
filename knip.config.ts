import type { KnipConfig } from 'knip';

/**
 * What knip (in `npm run lint`) counts as a way in, so that an export, a file or a dependency
 * nobody reaches is reported. The Vite, Vitest, Playwright and ESLint plugins find index.html,
 * src/main.tsx, the web component (vite.config.ts's second input), the Worker entries
 * (`new Worker(new URL(...))`), the unit tests and the e2e specs themselves; the rest are here.
 * Tests count as users: an export a test imports to check a module's behaviour stays exported.
 */
const config: KnipConfig = {
  entry: [
    // Benchmarks, screenshots and fixture generators, run by name from package.json or by hand.
    'scripts/*.{ts,mjs}',
    // Bundled for the browser by path rather than imported: the fused-kernel suites that
    // e2e/fusedHarness.ts opens, and the pages scripts/lib/webgpuBench/bundle.ts builds.
    'src/core/fused/test/*.browser.ts',
    'scripts/lib/webgpuBench/{page,countersPage}.ts',
    // The embed demo a course page copies: plain JavaScript served from public/.
    'public/embed-demo.js',
    // The host pages' script (fits the lab's iframes, passes the site's theme): served as it is.
    'public/embed-host.js',
  ],
  project: ['src/**/*.{ts,tsx}', 'scripts/**/*.{ts,mjs}', 'e2e/**/*.ts', 'public/*.js'],
  // e2e/courseSite.ts runs VitePress's command-line script by path to build a real course site.
  ignoreDependencies: ['vitepress'],
  // A type that an exported function's signature uses is part of that function's contract.
  ignoreExportsUsedInFile: { interface: true, type: true },
};

export default config;
