import { expect, test, type Page } from '@playwright/test';
import { unfold } from './pages/TrainPage';

/** Relative error ‖a − b‖ / max(‖a‖, ‖b‖) per parameter group (0 when both are zero). */
function relativeErrors(a: Record<string, number[]>, b: Record<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(a)) {
    const x = a[name]!;
    const y = b[name]!;
    let diff = 0;
    let nx = 0;
    let ny = 0;
    for (let i = 0; i < x.length; i++) {
      diff += (x[i]! - y[i]!) ** 2;
      nx += x[i]! ** 2;
      ny += y[i]! ** 2;
    }
    const scale = Math.sqrt(Math.max(nx, ny));
    out[name] = scale < 1e-12 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
  }
  return out;
}

async function openLab(page: Page) {
  await page.goto('./');
  await page.waitForFunction(() => window.bertLab !== undefined);
}

test.describe('training engine (micro preset, in a Worker)', () => {
  test.describe.configure({ timeout: 240_000 });

  for (const backend of ['webgpu', 'wasm', 'webgl'] as const) {
    test(`trains on ${backend}, with gradients equal to the cpu backend's within 1e-4`, async ({ page }) => {
      await openLab(page);
      const start = await page.evaluate(() =>
        window.bertLab!.start({ preset: 'micro', backend: 'cpu', batchSize: 4, seqLength: 32 }),
      );
      expect(start.backend).toBe('cpu');
      const cpu = await page.evaluate(() => window.bertLab!.probeGradients());
      // The probe batch has repeated tokens, so the lookup gradient sums several rows per id.
      const switched = await page.evaluate((name) => window.bertLab!.setBackend(name), backend);
      expect(switched.backend).toBe(backend);
      const other = await page.evaluate(() => window.bertLab!.probeGradients());
      const errors = relativeErrors(cpu, other);
      expect(Object.keys(errors).length).toBeGreaterThan(20);
      for (const [name, error] of Object.entries(errors)) {
        // The attention key bias has an exactly zero gradient (softmax ignores a shift shared by
        // every key), so both backends return float noise there: compare its size, not its ratio.
        if (name.endsWith('.key.bias')) {
          expect(Math.hypot(...cpu[name]!), name).toBeLessThan(1e-5);
          expect(Math.hypot(...other[name]!), name).toBeLessThan(1e-5);
        } else {
          expect(error, name).toBeLessThan(1e-4);
        }
      }

      const after = await page.evaluate(() => window.bertLab!.step(2));
      expect(after.backend).toBe(backend);
      expect(after.step).toBe(2);
      expect(Number.isFinite(after.report!.loss.total)).toBe(true);

      // The same seed gives the same first step on every backend, the global gradient norm (the
      // input of clipping, a sum over all 46 parameters) included.
      const firstStep = (name: string) =>
        page.evaluate(
          (b) =>
            window
              .bertLab!.start({ preset: 'micro', backend: b as 'cpu', batchSize: 4, seqLength: 32 })
              .then(() => window.bertLab!.step(1)),
          name,
        );
      const reference = (await firstStep('cpu')).report!;
      const here = (await firstStep(backend)).report!;
      expect(here.gradNorm).toBeGreaterThan(0);
      expect(Math.abs(here.gradNorm - reference.gradNorm) / reference.gradNorm).toBeLessThan(1e-3);
      expect(here.loss.total).toBeCloseTo(reference.loss.total, 4);
    });
  }

  test('reports exactly which rows each step touched', async ({ page }) => {
    await openLab(page);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm', optimizer: 'adam' }));
    const s = await page.evaluate(() => window.bertLab!.step(2));
    const r = s.report!;
    expect(r.lookupRows).toEqual([...new Set(r.batch.inputIds)].sort((x, y) => x - y));
    const vocabSize = (s.config as { vocabSize: number }).vocabSize;
    expect(r.outputGradRowNorm).toHaveLength(vocabSize);
    expect(r.outputGradRowNorm.every((x) => x > 0)).toBe(true); // tied output: every row
    expect(r.lookupGradRowNorm.every((x, id) => x === 0 || r.lookupRows.includes(id))).toBe(true);
    expect(r.updateRowNorm.filter((x) => x > 0).length).toBeGreaterThan(r.lookupRows.length);
  });

  test('switching backend mid-run keeps the weights and the Adam moments', async ({ page }) => {
    await openLab(page);
    const settings = {
      preset: 'micro',
      backend: 'cpu',
      optimizer: 'adam',
      batchSize: 4,
      seqLength: 16,
    } as const;
    await page.evaluate((s) => window.bertLab!.start(s), settings);
    const straight = await page.evaluate(() => window.bertLab!.step(5));
    await page.evaluate((s) => window.bertLab!.start(s), settings);
    await page.evaluate(() => window.bertLab!.step(3));
    await page.evaluate(() => window.bertLab!.setBackend('wasm'));
    const switched = await page.evaluate(() => window.bertLab!.step(2));
    expect(switched.backend).toBe('wasm');
    // Step 5's loss is computed after four Adam updates; lost moments would change the fourth.
    expect(switched.report!.loss.total).toBeCloseTo(straight.report!.loss.total, 3);
  });

  test('a switch of backend in the middle of a run gives the numbers of staying on the first backend', async ({
    page,
  }) => {
    await openLab(page);
    // Where 'auto' starts (wasm), then cpu after step 3: the handover the background race makes.
    const settings = {
      preset: 'micro',
      backend: 'auto',
      optimizer: 'adamw',
      batchSize: 4,
      seqLength: 16,
    } as const;
    await page.evaluate((s) => window.bertLab!.start(s), settings);
    expect((await page.evaluate(() => window.bertLab!.snapshot())).backend).toBe('wasm');
    await page.evaluate(() => window.bertLab!.step(6));
    const stayed = await page.evaluate(() => window.bertLab!.trainingHistory());
    const stayedGradients = await page.evaluate(() => window.bertLab!.probeGradients());

    await page.evaluate((s) => window.bertLab!.start(s), settings);
    await page.evaluate(() => window.bertLab!.step(3));
    expect((await page.evaluate(() => window.bertLab!.setBackend('cpu'))).backend).toBe('cpu');
    const after = await page.evaluate(() => window.bertLab!.step(3));
    expect(after.step).toBe(6);
    const switched = await page.evaluate(() => window.bertLab!.trainingHistory());
    // No step lost or repeated: the same six steps, each with the same losses (the data stream,
    // dropout masks, weights and AdamW moments all carried over).
    expect(switched.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stayed.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    switched.forEach((p, i) => {
      expect(Math.abs(p.mlm - stayed[i]!.mlm), `MLM loss of step ${p.step}`).toBeLessThan(1e-4);
      expect(Math.abs(p.nsp - stayed[i]!.nsp), `NSP loss of step ${p.step}`).toBeLessThan(1e-4);
    });
    // And the weights after step 6: a fixed batch's gradients are a function of them.
    const errors = relativeErrors(
      stayedGradients,
      await page.evaluate(() => window.bertLab!.probeGradients()),
    );
    for (const [name, error] of Object.entries(errors))
      if (!name.endsWith('.key.bias')) expect(error, name).toBeLessThan(1e-4);
  });

  test('traces a sentence pair for the views', async ({ page }) => {
    await openLab(page);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    const t = (await page.evaluate(() => window.bertLab!.trace('The baker sold bread.', 'It was warm.'))) as {
      tokens: string[];
      seqLength: number;
      hidden: number;
      embeddingSum: number[];
      tokenEmbedding: number[];
      segmentEmbedding: number[];
      positionEmbedding: number[];
    };
    expect(t.tokens[0]).toBe('[CLS]');
    expect(t.embeddingSum).toHaveLength(t.seqLength * t.hidden);
    const i = t.hidden + 3; // position 1, unit 3
    expect(t.embeddingSum[i]!).toBeCloseTo(
      t.tokenEmbedding[i]! + t.segmentEmbedding[i]! + t.positionEmbedding[i]!,
      5,
    );
  });

  test('keeps the number of live tensors flat across 200 steps', async ({ page }) => {
    await openLab(page);
    await page.evaluate(() =>
      window.bertLab!.start({ preset: 'micro', backend: 'wasm', batchSize: 4, seqLength: 16 }),
    );
    const early = await page.evaluate(() => window.bertLab!.step(20));
    const late = await page.evaluate(() => window.bertLab!.step(180));
    expect(late.step).toBe(200);
    expect(late.numTensors).toBe(early.numTensors);
  });

  test('absurd settings get a clear message instead of a crash', async ({ page }) => {
    await openLab(page);
    await page.getByTestId('nav.train').click();
    // The view starts a run with the default settings (lab: 128 positions) when shown; then the
    // learner changes them.
    await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 90_000 });
    await unfold(page, 'train.settings');
    await page.getByTestId('train.seq').fill('500');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.error')).toContainText('Sequence length must be 8 to 128');
    await page.getByTestId('train.seq').fill('32');
    await page.getByTestId('train.lr').fill('-3');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.error')).toContainText('Learning rate must be in [0, 1]');
    await page.getByTestId('train.lr').fill('0.001');
    await page.getByTestId('train.backend').selectOption('wasm');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.backend-badge')).toHaveAttribute('data-backend', 'wasm', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('train.error')).toHaveCount(0);
  });

  test('a person can start, step, play and pause training from the Training tab', async ({ page }) => {
    await openLab(page);
    await page.getByTestId('nav.train').click();
    await unfold(page, 'train.settings');
    await page.getByTestId('train.backend').selectOption('wasm');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.backend-badge')).toHaveAttribute('data-backend', 'wasm', {
      timeout: 60_000,
    });
    await page.getByTestId('train.step').click();
    await expect(page.getByTestId('train.step-count')).toHaveText('1');
    await expect(page.getByTestId('train.mlm-loss')).not.toHaveText('—');
    await expect(page.getByTestId('train.ms')).toContainText('ms/step');
    await page.getByTestId('train.play').click();
    await expect
      .poll(async () => Number(await page.getByTestId('train.step-count').textContent()))
      .toBeGreaterThan(3);
    await page.getByTestId('train.pause').click();
    await expect(page.getByTestId('train.play')).toBeEnabled();
    const paused = Number(await page.getByTestId('train.step-count').textContent());
    // The paused snapshot comes after any step that was in flight. A command queued behind
    // everything the engine had to do finds it still at that step.
    expect((await page.evaluate(() => window.bertLab!.step(0))).step).toBe(paused);
    await expect(page.getByTestId('train.step-count')).toHaveText(String(paused));
    await expect(page.getByTestId('train.row-facts')).toContainText('got a gradient through the lookup');
  });
});
