import { expect, test } from '@playwright/test';
import { ADAM_EPSILON, formatRate } from '../src/components/train/googleDifferences';
import { TrainPage } from './pages/TrainPage';

/**
 * The lines that say where the lab departs from Google's BERT code, read against the engine: the
 * schedule's step-1 rate is the one the engine trained step 1 at, and each line follows the
 * settings in use.
 */
test.describe('where the lab differs from Google’s BERT code, said where a reader meets it', () => {
  test.describe.configure({ timeout: 120_000 });

  test('the schedule line names the rate the engine trained step 1 at', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({});
    const s = await train.step(1);
    const rate = s.report!.learningRate;
    const line = page.getByTestId('train.schedule-google');
    await expect(line).toHaveAttribute('data-lr-step1', String(rate));
    await expect(line).toContainText(`step 1 trains at ${formatRate(rate)}.`);
    // With warm-up, Google's first update (global_step 0) has rate 0.
    await expect(line).toHaveAttribute('data-google-lr-update1', '0');
    await expect(line).toContainText('its first update runs at 0,');
    expect(rate).toBeGreaterThan(0);
  });

  test('without warm-up the line follows: step 1 decays already, Google’s runs at the peak', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({ warmupSteps: 0, learningRate: 0.002, totalSteps: 100 });
    const s = await train.step(1);
    const rate = s.report!.learningRate;
    expect(rate).toBeCloseTo((0.002 * 99) / 100, 12);
    const line = page.getByTestId('train.schedule-google');
    await expect(line).toHaveAttribute('data-lr-step1', String(rate));
    await expect(line).toContainText(`step 1 trains at ${formatRate(rate)}.`);
    await expect(line).toContainText('its first update runs at 0.002.');
    await expect(line).not.toContainText('warm-up ends');
  });

  test('the batch view says masks are drawn fresh each pass, beside the batch it shows', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({});
    await train.step(1);
    const batch = page.getByTestId('train.current-batch');
    await expect(batch.getByTestId('train.masked').first()).toBeVisible();
    await expect(batch.getByTestId('train.masking-google')).toContainText('dupe_factor = 10');
  });

  test('the optimizer line follows the choice and names the ε in use', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'adamw' });
    await train.openSettings();
    const line = page.getByTestId('train.optimizer-google');
    const epsilon = `ε = ${ADAM_EPSILON.toExponential(0)}`;
    await expect(line).toHaveAttribute('data-optimizer', 'adamw');
    await expect(line).toContainText(epsilon);
    await expect(line).toContainText('no bias correction');
    await page.getByTestId('train.optimizer').selectOption('adam');
    await expect(line).toHaveAttribute('data-optimizer', 'adam');
    await expect(line).toContainText('m̂ / (√v̂ + ε)');
    await page.getByTestId('train.optimizer').selectOption('lazyadam');
    await expect(line).toContainText('token, segment and position');
    await page.getByTestId('train.optimizer').selectOption('sgd');
    await expect(line).not.toContainText('ε');
    await expect(page.getByTestId('train.gelu-google')).toContainText(
      'tanh approximation since February 2019',
    );
  });

  test('the settings line follows the running optimizer after a restart through window.bertLab', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'lazyadam' });
    await train.openSettings();
    const snapshot = await page.evaluate(() => window.bertLab!.snapshot());
    expect(snapshot.settings.optimizer).toBe('lazyadam');
    await expect(page.getByTestId('train.optimizer-google')).toHaveAttribute('data-optimizer', 'lazyadam');
  });
});

/**
 * The README's sentences about which rows move, each for the settings it names, on micro (its
 * vocabulary has [PAD] at id 0 too). Two steps, so rows looked up at step 1 and not at step 2 show
 * what each optimizer does to a row that has no gradient now.
 */
test.describe('the README’s row sentences hold for the settings they name', () => {
  test.describe.configure({ timeout: 180_000 });
  const PAD = 0;
  const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'lazyadam'] as const;

  test('tied output: every row gets a gradient and moves, under every optimizer', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({});
    for (const optimizer of OPTIMIZERS) {
      await page.evaluate(
        (o) => window.bertLab!.start({ optimizer: o, tieOutputEmbeddings: true }),
        optimizer,
      );
      const s = await train.step(2);
      const r = s.report!;
      expect(r.learningRate, optimizer).toBeGreaterThan(0);
      expect(
        r.updateRowNorm.every((u) => u > 0),
        optimizer,
      ).toBe(true);
      expect(
        r.outputGradRowNorm.every((g) => g > 0),
        optimizer,
      ).toBe(true);
      expect(s.rows!.counts.unchanged + s.rows!.counts.momentum, optimizer).toBe(0);
    }
  });

  test('untied output: [PAD] stays unless AdamW decays it; rows move exactly when looked up only under SGD and LazyAdam', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({});
    const noGradientMoved: Record<string, number> = {};
    for (const optimizer of OPTIMIZERS) {
      await page.evaluate(
        (o) => window.bertLab!.start({ optimizer: o, tieOutputEmbeddings: false }),
        optimizer,
      );
      const s = await train.step(2);
      const r = s.report!;
      expect(r.lookupGradRowNorm[PAD], optimizer).toBe(0);
      expect(
        r.outputGradRowNorm.every((g) => g === 0),
        optimizer,
      ).toBe(true);
      // [PAD] moves with no gradient under AdamW only: λ·η·θ.
      if (optimizer === 'adamw') expect(r.updateRowNorm[PAD], optimizer).toBeGreaterThan(0);
      else expect(r.updateRowNorm[PAD], optimizer).toBe(0);
      noGradientMoved[optimizer] = r.movedWithoutGradient.length;
      const moved = r.updateRowNorm.flatMap((u, id) => (u > 0 ? [id] : []));
      const withGradient = r.lookupGradRowNorm.flatMap((g, id) => (g > 0 ? [id] : []));
      if (optimizer === 'sgd' || optimizer === 'lazyadam') expect(moved, optimizer).toEqual(withGradient);
      // Weight decay moves every row without a gradient.
      if (optimizer === 'adamw') expect(moved).toHaveLength(r.updateRowNorm.length);
    }
    expect(noGradientMoved.sgd).toBe(0);
    expect(noGradientMoved.lazyadam).toBe(0);
    // Rows looked up at step 1 but not at step 2 keep moving on their momentum.
    expect(noGradientMoved.momentum).toBeGreaterThan(0);
    expect(noGradientMoved.adam).toBeGreaterThan(0);
    expect(noGradientMoved.adamw).toBeGreaterThan(noGradientMoved.adam!);
  });
});
