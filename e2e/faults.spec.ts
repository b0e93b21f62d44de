/**
 * The engine's recovery paths, exercised with injected faults. The hooks that inject them exist
 * only in a test-hooks build (`vite build --mode test-hooks`), which this spec makes beside the
 * production build under test (E2E_DIST) and serves from a port of its own; the last test checks
 * that the production build has no such hooks at all.
 */
import { expect, test, type Page } from '@playwright/test';
import { HOOKS_DIST, scripts, serveHooksBuild } from './hooksBuild';
import { DIST } from './staticHost';

const liveTensors = (page: Page) => page.evaluate(() => window.bertLab!.snapshot().numTensors);

test.describe('fault injection (test-hooks build)', () => {
  test.describe.configure({ timeout: 240_000 });
  const hooks = serveHooksBuild();

  async function openLab(page: Page) {
    await page.goto(hooks.url());
    await page.waitForFunction(() => window.bertLab?.corruptWeights !== undefined);
  }

  test('a lost WebGPU device moves training to another backend from the last good state, leaking no tensor', async ({
    page,
  }) => {
    await openLab(page);
    await page.evaluate(() =>
      window.bertLab!.start({ preset: 'micro', backend: 'webgpu', batchSize: 2, seqLength: 16 }),
    );
    await page.evaluate(() => window.bertLab!.step(1));
    expect(await page.evaluate(() => window.bertLab!.snapshot().fusedStep)).toBe(true);
    const before = await liveTensors(page);
    expect(await page.evaluate(() => window.bertLab!.loseDevice!())).toBe(true);
    await expect
      .poll(() => page.evaluate(() => window.bertLab!.snapshot().backend), { timeout: 60_000 })
      .not.toBe('webgpu');
    // The recovery copied the last snapshot into every variable; its temporaries are gone.
    expect(await liveTensors(page)).toBe(before);
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('train.notice')).toContainText('WebGPU stopped working');
    const after = await page.evaluate(() => window.bertLab!.step(1));
    expect(after.step).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(after.report!.loss.total)).toBe(true);
    expect(after.numTensors).toBe(before);
  });

  for (const backend of ['wasm', 'webgpu'] as const) {
    test(`non-finite weights pause training and restore the last good snapshot, leaking no tensor (${backend})`, async ({
      page,
    }) => {
      await openLab(page);
      await page.evaluate(
        (b) => window.bertLab!.start({ preset: 'micro', backend: b, batchSize: 4, seqLength: 16 }),
        backend,
      );
      // On WebGPU the steps run on the fused kernels, whose weights live in their own buffers.
      expect(await page.evaluate(() => window.bertLab!.snapshot().fusedStep)).toBe(backend === 'webgpu');
      const steady = await page.evaluate(() => window.bertLab!.step(3));
      expect(await page.evaluate(() => window.bertLab!.corruptWeights!())).toBe(true);
      const bad = await page.evaluate(() => window.bertLab!.step(1));
      expect(bad.report!.nonFinite).toBe(true);
      expect(bad.step).toBe(0); // the snapshot taken when the model was built
      expect(bad.numTensors).toBe(steady.numTensors);
      await page.getByTestId('nav.train').click();
      await expect(page.getByTestId('train.notice')).toContainText('restored');
      const good = await page.evaluate(() => window.bertLab!.step(1));
      expect(good.report!.nonFinite).toBe(false);
      expect(Number.isFinite(good.report!.loss.total)).toBe(true);
      expect(good.numTensors).toBe(steady.numTensors);
    });
  }

  test('the production build has no fault hooks, and its engine refuses fault commands', async ({ page }) => {
    const hooked = (dist: string) =>
      scripts(dist)
        .filter(({ text }) => /corruptWeights|loseDevice/.test(text))
        .map(({ name }) => name);
    // The page's facade and the Worker of the test build have them; the production build has none.
    expect(hooked(HOOKS_DIST).filter((name) => /train\.worker-/.test(name))).toHaveLength(1);
    expect(hooked(DIST)).toEqual([]);

    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    expect(await page.evaluate(() => Object.keys(window.bertLab!).sort())).not.toContain('corruptWeights');
    expect(await page.evaluate(() => typeof window.bertLab!.loseDevice)).toBe('undefined');

    // The Worker itself, sent the message a test build would send, answers that it has no such command.
    const worker = scripts(DIST).find(({ name }) => /train\.worker-.*\.js$/.test(name))!.name;
    const reply = await page.evaluate(
      (url) =>
        new Promise<unknown>((resolve) => {
          const w = new Worker(url, { type: 'module' });
          w.onmessage = (event: MessageEvent<{ type: string }>) => {
            if (event.data.type !== 'reply') return;
            w.terminate();
            resolve(event.data);
          };
          w.postMessage({ type: 'corruptWeights', id: 1 });
        }),
      worker,
    );
    expect(reply).toMatchObject({
      type: 'reply',
      id: 1,
      ok: false,
      error: expect.stringContaining('corruptWeights'),
    });
  });
});
