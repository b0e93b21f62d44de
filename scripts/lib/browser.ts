// Shared by the scripts that drive the built app: start `vite preview` and Debian's Chromium.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';

/**
 * Serves a build folder (dist/, or E2E_DIST as the end-to-end tests do) with `vite preview` on the
 * given port; resolves once it answers. Refuses a port that already answers: a server left over
 * from another run would be measured instead of this build.
 */
export async function startPreview(
  port: number,
  outDir = process.env.E2E_DIST ?? 'dist',
): Promise<{ url: string; stop: () => void }> {
  const url = `http://127.0.0.1:${port}/`;
  const answers = () =>
    fetch(url).then(
      (r) => r.ok,
      () => false,
    );
  if (await answers()) throw new Error(`something already answers on ${url}; stop it first`);
  // Its own process group, so that stop() ends vite itself and not only the npx in front of it.
  const server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir],
    { stdio: 'ignore', detached: true },
  );
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  for (let i = 0; i < 100; i++) {
    if (await answers()) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`vite preview did not answer on ${url}; run npm run build first`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Continuous training with the Training tab's own Play button, at a target rate. */
export async function playTraining(page: Page, stepsPerSecond: number): Promise<void> {
  await page.getByTestId('nav.train').click();
  await page.getByLabel('steps/s').fill(String(stepsPerSecond));
  await page.getByTestId('train.play').click();
}
