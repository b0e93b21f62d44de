// Shared by the scripts that drive the built app: start `vite preview` and Debian's Chromium.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';

/** Serves dist/ with `vite preview` on the given port; resolves once it answers. */
export async function startPreview(port: number): Promise<{ url: string; stop: () => void }> {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => void server.kill() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  server.kill();
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
