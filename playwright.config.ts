import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

/**
 * E2E_PORT, E2E_DIST and E2E_OUT let several builds of one checkout run their end-to-end tests side
 * by side: each serves its own build folder on its own port and writes its own test results.
 */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';
const OUT = process.env.E2E_OUT ?? 'test-results';

/**
 * Specs that train on WebGPU (SwiftShader here), WebGL or many steps, or time a backend: each keeps a
 * core busy for tens of seconds, so they run one at a time after the others, with the machine to
 * themselves. The rest (views, forms, exports, layout) wait mostly on the page and run two at a time
 * (E2E_WORKERS, 2 by default; the README gives the suite's time either way).
 */
const ENGINE_SPECS = /(fused-[a-z-]+|engine|faults|loading)\.spec\.ts$/;
const WORKERS = Number(process.env.E2E_WORKERS ?? 2);

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: WORKERS,
  projects: [
    { name: 'views', testIgnore: ENGINE_SPECS },
    // After the views (a failure there skips these: run them alone with `--project engine --no-deps`).
    { name: 'engine', testMatch: ENGINE_SPECS, workers: 1, dependencies: ['views'] },
  ],
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  outputDir: OUT,
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    // Debian's Chromium: Playwright cannot download its own browsers here.
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    // Tests run against the built app, as a static host would serve it.
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
