import { expect, test } from '@playwright/test';
import { OUTLINE_SCALE } from '../src/viz/matrixMap';
import { TrainPage, unfold, type Cause } from './pages/TrainPage';

type Snapshot = Awaited<ReturnType<TrainPage['step']>>;

/**
 * The counts the view must show, computed independently from bertLab.snapshot()'s report: a row
 * moved or not (‖Δrow‖ > 0), and got a gradient through the lookup, the output softmax, or neither.
 */
function expectedCounts(s: Snapshot): Record<Cause, number> {
  const r = s.report!;
  const counts = { lookup: 0, output: 0, momentum: 0, unchanged: 0, stalled: 0 };
  r.updateRowNorm.forEach((moved, id) => {
    const lookup = r.lookupGradRowNorm[id]! > 0;
    const output = r.outputGradRowNorm[id]! > 0;
    if (moved > 0) counts[lookup ? 'lookup' : output ? 'output' : 'momentum']++;
    else counts[lookup || output ? 'stalled' : 'unchanged']++;
  });
  return counts;
}

const vocabSize = (s: Snapshot) => (s.config as { vocabSize: number }).vocabSize;
/** [PAD]'s id in every vocabulary the lab trains or loads. */
const PAD = 0;

test.describe('the Training view: which rows of E_token moved, and why', () => {
  test.describe.configure({ timeout: 120_000 });

  test('untied SGD moves exactly the rows of the batch’s ids, and nothing else', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', tieOutputEmbeddings: false });
    const s = await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    const counts = await train.counts();
    // [PAD] is looked up but its gradient is zero (attention masks it): it does not move.
    const ids = new Set(s.report!.batch.inputIds);
    expect(counts.lookup).toBe(ids.size - (ids.has(PAD) ? 1 : 0));
    expect(counts.output).toBe(0);
    expect(counts.momentum).toBe(0);
    expect(counts.stalled).toBe(0);
    expect(counts.lookup + counts.unchanged).toBe(vocabSize(s));
    expect(counts).toEqual(expectedCounts(s));
    expect(s.rows!.counts).toEqual(counts);
  });

  test('tied output sends a gradient to every one of the default model’s 30,522 rows not looked up', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    // The default preset, bert-base-uncased's vocabulary; a small batch, as one step is all it needs.
    await train.start({
      preset: 'lab',
      optimizer: 'sgd',
      tieOutputEmbeddings: true,
      batchSize: 2,
      seqLength: 16,
    });
    const s = await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    expect(vocabSize(s)).toBe(30_522);
    await expect(train.map).toHaveAttribute('aria-label', /^Map of the 30,522 rows of E_token at step 1: /);
    await expect(page.getByTestId('train.rows-moved').locator('..')).toContainText(/of 30,522$/);
    const counts = await train.counts();
    const withLookupGradient = s.report!.lookupGradRowNorm.filter((n) => n > 0).length;
    expect(counts.output).toBe(vocabSize(s) - withLookupGradient);
    expect(counts).toEqual(expectedCounts(s));
    // A row moved through the lookup only if the lookup gave it a gradient ([PAD], when padded, gets none).
    expect(s.rows!.causes.filter((c) => c === 'lookup')).toHaveLength(withLookupGradient);
    await expect(page.getByTestId('train.explain')).toContainText('softmax sends a gradient to every row');
  });

  test('at the end of the linear decay the learning rate is 0 and the view reports no row moved', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    // Default settings (BERT's AdamW, tied output), with a schedule that ends at step 2.
    await train.start({ warmupSteps: 0, totalSteps: 2 });
    const s = await train.step(2);
    await expect(train.stepCount).toHaveText('2');
    expect(s.settings.optimizer).toBe('adamw');
    expect(s.report!.learningRate).toBe(0);
    await expect(page.getByTestId('train.rows-moved')).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('train.rows-moved')).toHaveText('0');
    const counts = await train.counts();
    expect(counts).toEqual(expectedCounts(s));
    expect([counts.lookup, counts.output, counts.momentum]).toEqual([0, 0, 0]);
    // Tied, every row had a gradient; none moved.
    expect(counts.stalled).toBe(vocabSize(s));
    expect(s.rows).toMatchObject({ step: 2, moved: 0, counts });
    const withLookupGradient = s.report!.lookupGradRowNorm.filter((n) => n > 0).length;
    const caption = page.getByTestId('train.caption');
    await expect(caption).toHaveAttribute('data-step', '2');
    await expect(caption).toContainText(
      `Step 2: learning rate 0 — ${withLookupGradient} rows got a gradient through the lookup and`,
    );
    await expect(caption).toContainText('but none moved');
    await expect(caption).not.toContainText('moved through');
  });

  test('a learning rate of 0 typed into the settings moves no row, and the caption says why', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({});
    await unfold(page, 'train.settings');
    await page.getByTestId('train.lr').fill('0');
    await page.getByTestId('train.start').click();
    await expect(page.getByTestId('train.error')).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => window.bertLab!.snapshot().settings.learningRate)).toBe(0);
    await expect(page.getByTestId('train.step')).toBeEnabled({ timeout: 60_000 });
    const s = await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    // The warm-up's first step would use a small positive rate; with a peak of 0 every step's is 0.
    expect(s.report!.learningRate).toBe(0);
    await expect(page.getByTestId('train.rows-moved')).toHaveAttribute('data-count', '0');
    expect(await train.counts()).toEqual(expectedCounts(s));
    await expect(page.getByTestId('train.caption')).toContainText('learning rate 0');
    await expect(page.getByTestId('train.caption')).toContainText('but none moved');
  });

  test('Adam keeps moving rows with no gradient on step 2, LazyAdam does not', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'adam', tieOutputEmbeddings: false });
    const adam = await train.step(2);
    await expect(train.stepCount).toHaveText('2');
    expect(await train.count('momentum')).toBeGreaterThan(0);
    expect(await train.counts()).toEqual(expectedCounts(adam));
    await expect(page.getByTestId('train.explain')).toContainText('keep moving on momentum');

    await page.evaluate(() =>
      window.bertLab!.start({
        preset: 'micro',
        backend: 'wasm',
        optimizer: 'lazyadam',
        tieOutputEmbeddings: false,
      }),
    );
    const lazy = await train.step(2);
    await expect(train.stepCount).toHaveText('2');
    await expect(page.getByTestId('train.rows-momentum')).toHaveAttribute('data-count', '0');
    expect(await train.counts()).toEqual(expectedCounts(lazy));
    await expect(page.getByTestId('train.explain')).toContainText('only rows with a gradient move');
  });

  test('the map shows a row’s token and counts on hover and with the arrow keys', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', tieOutputEmbeddings: false });
    await train.step(3);
    await expect(train.stepCount).toHaveText('3');
    await expect(train.map).toHaveAttribute('data-draw-ms', /^\d/);
    // The top-left cell is row 0, [PAD].
    await train.map.hover({ position: { x: 1, y: 1 } });
    await expect(train.row).toHaveAttribute('data-row', '0');
    await expect(page.getByTestId('train.row-token')).toHaveText('[PAD]');
    // Untied, [PAD] never gets a lookup gradient (attention masks it), so it never moves through the
    // lookup, in a padded batch or not.
    await expect(page.getByTestId('train.row-lookup')).toHaveText('0');

    await train.map.focus();
    await page.keyboard.press('ArrowRight');
    await expect(train.row).toHaveAttribute('data-row', '1');
    await expect(page.getByTestId('train.row-token')).not.toHaveText('');
    await expect(train.row).toContainText('over 3 steps');
  });

  test('the scrubber rewinds the map and the counts to an earlier step, not the weights', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', tieOutputEmbeddings: false });
    const first = await train.step(1);
    const third = await train.step(2);
    await expect(train.stepCount).toHaveText('3');
    await page.getByTestId('train.scrubber').fill('1');
    await expect(page.getByTestId('train.view-step')).toHaveAttribute('data-step', '1');
    expect(await train.counts()).toEqual(expectedCounts(first));
    await page.getByRole('button', { name: 'Follow the latest step' }).click();
    await expect(page.getByTestId('train.view-step')).toHaveAttribute('data-step', '3');
    expect(await train.counts()).toEqual(expectedCounts(third));
    await expect(train.stepCount).toHaveText('3');
  });

  test('Ctrl+wheel zooms the map, a plain wheel does not', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', tieOutputEmbeddings: false });
    await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    await train.map.hover({ position: { x: 20, y: 20 } });
    await page.mouse.wheel(0, -100);
    await expect(train.map).toHaveAttribute('data-zoom', '1');
    // The plain wheel may have scrolled the page: point at the map again.
    await train.map.hover({ position: { x: 20, y: 20 } });
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect(train.map).toHaveAttribute('data-zoom', '2');
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect(train.map).toHaveAttribute('data-zoom', '1');
  });

  test('predict, then reveal: the marked rows against the rows the next step moved', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', tieOutputEmbeddings: false });
    const first = await train.step(1);
    await expect(train.stepCount).toHaveText('1');
    await page.getByTestId('train.predict').check();
    const predicted = [0, 1, 3];
    await train.markRows(predicted);
    await expect(page.getByTestId('train.prediction')).toHaveAttribute('data-count', '3');
    // Marked rows are outlined: each cell becomes OUTLINE_SCALE² canvas pixels.
    const columns = Math.ceil(Math.sqrt(vocabSize(first)));
    await expect
      .poll(() => train.map.evaluate((c) => (c as HTMLCanvasElement).width))
      .toBe(OUTLINE_SCALE * columns);

    const s = await train.step(1);
    const moved = s.report!.updateRowNorm;
    const hits = predicted.filter((r) => moved[r]! > 0).length;
    const reveal = page.getByTestId('train.reveal');
    await expect(reveal).toHaveAttribute('data-step', '2');
    await expect(reveal).toHaveAttribute('data-hits', String(hits));
    await expect(reveal).toHaveAttribute('data-misses', String(predicted.length - hits));
    await expect(reveal).toHaveAttribute('data-surprises', String(moved.filter((n) => n > 0).length - hits));
    // The outlines stay after the reveal, until a new mark starts the next round.
    expect(await train.map.evaluate((c) => (c as HTMLCanvasElement).width)).toBe(OUTLINE_SCALE * columns);
    await train.map.click({ position: { x: 1, y: 1 } });
    await expect(page.getByTestId('train.prediction')).toHaveAttribute('data-count', '1');
    await expect(reveal).toBeHidden();
  });

  test('Adam against LazyAdam on the same batches: only Adam moves rows absent from the batch', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'adam', tieOutputEmbeddings: false });
    // After a step: Adam makes its m and v when it first needs them (an update, or the session's
    // first save, whichever comes first), so a count taken before one would depend on timing.
    const alone = (await train.step(1)).numTensors;
    await train.openSettings();
    await page.getByTestId('train.compare-optimizer').selectOption('lazyadam');
    await page.getByTestId('train.start').click();
    await page.waitForFunction(() => window.bertLab!.snapshot().settings.compareOptimizer === 'lazyadam');

    const s = await train.step(2);
    await expect(train.stepCount).toHaveText('2');
    const compare = page.getByTestId('train.compare');
    await expect(compare).toHaveAttribute('data-step', '2');
    await expect(compare).toHaveAttribute('data-other-drifting', '0');
    const looked = new Set(s.report!.lookupRows);
    const drifting = s.report!.updateRowNorm.filter((n, id) => n > 0 && !looked.has(id)).length;
    expect(drifting).toBeGreaterThan(0);
    await expect(compare).toHaveAttribute('data-main-drifting', String(drifting));

    // Both runs' tensors stay flat across steps, and the second run is freed on restart.
    expect((await train.step(2)).numTensors).toBe(s.numTensors);
    await page.evaluate(() => window.bertLab!.start({ compareOptimizer: 'off' }));
    expect((await train.step(1)).numTensors).toBe(alone);
    await expect(compare).toBeHidden();
  });

  test('bad settings are refused with a message and the running model keeps its steps', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'sgd', learningRate: 0.01 });
    await train.step(2);
    await expect(train.stepCount).toHaveText('2');

    await train.submit({ lr: '1e3' });
    await expect(train.error).toContainText('Learning rate');
    await expect(train.stepCount).toHaveText('2');
    await train.submit({ lr: '0.01', batch: '0' });
    await expect(train.error).toContainText('Batch size');
    await expect(train.stepCount).toHaveText('2');
    await train.submit({ batch: '8', seq: '1' });
    await expect(train.error).toContainText('Sequence length');
    await expect(train.stepCount).toHaveText('2');

    // The previous model is still there and still trains.
    await page.getByTestId('train.step').click();
    await expect(train.stepCount).toHaveText('3');
    await expect(page.getByTestId('train.rows-lookup')).toBeVisible();

    // A refused start does not even pause a model that is playing.
    await page.getByTestId('train.play').click();
    await train.submit({ lr: '1e3', seq: '32' });
    await expect(train.error).toContainText('Learning rate');
    const refusedAt = Number(await train.stepCount.textContent());
    await expect.poll(async () => Number(await train.stepCount.textContent())).toBeGreaterThan(refusedAt + 2);
    await page.getByTestId('train.pause').click();
  });
});

test.describe('the current batch and the schedule', () => {
  test('shows each pair IsNext or NotNext with the model’s guess, and the masked slots by their 80/10/10 outcome', async ({
    page,
  }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() =>
      window.bertLab!.start({ preset: 'micro', backend: 'wasm', batchSize: 4, seqLength: 32 }),
    );
    const s = await page.evaluate(() => window.bertLab!.step(1));
    await page.getByTestId('nav.train').click();
    const pairs = page.getByTestId('train.pair');
    await expect(pairs).toHaveCount(4);
    const shown = await pairs.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-is-next'))));
    expect(shown).toEqual(s.report!.batch.isNext);
    const masked = page.getByTestId('train.masked');
    await expect(masked).toHaveCount(s.report!.batch.maskedPositions.length);
    const outcomes = await masked.evaluateAll((els) => els.map((el) => el.getAttribute('data-outcome')));
    expect(outcomes).toEqual(s.report!.batch.maskedOutcomes);
    const labels = await masked.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-label'))));
    expect(labels).toEqual(s.report!.batch.maskedLabels);
    await expect(page.getByTestId('train.schedule')).toContainText('warm-up over 10 steps');
  });
});
