/**
 * The Lesson view: each chapter's stated claim checked against the numbers of the lesson's own
 * engine (window.bertLab.snapshot().lesson), the Training view's run left alone, links, embeds, bad
 * input, the keyboard, axe and a 320 px screen.
 */
import { expect, test, type Page } from '@playwright/test';
import type { BertLabReport } from '../src/app/bertLab';
import { seriousViolations } from './axe';
import { LessonPage } from './pages/LessonPage';

/** [PAD] is id 0 in bert-base-uncased. */
const PAD = 0;
const V = 30_522;

/** The sorted distinct ids of the batch's real tokens, as the report's batch gives them. */
const batchIds = (r: BertLabReport) =>
  [...new Set(r.batch.inputIds.filter((id) => id !== PAD))].sort((a, b) => a - b);
const movedIds = (r: BertLabReport) => r.updateRowNorm.flatMap((n, id) => (n > 0 ? [id] : []));

/** No uncaught error in the page for the whole test. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function runChapter(page: Page, chapter: string, choice: string): Promise<LessonPage> {
  const lesson = new LessonPage(page);
  await lesson.open(chapter);
  await expect(lesson.chapter).toHaveAttribute('data-chapter', chapter);
  await lesson.choose(choice);
  await lesson.runAndWait();
  // On failure, name which part of the claim did not hold.
  const claim = await lesson.claim<Record<string, { holds?: boolean }>>();
  const parts = Object.entries(claim).flatMap(([k, v]) =>
    typeof v === 'object' && v && 'holds' in v ? [`${k}: ${v.holds}`] : [],
  );
  await expect(lesson.result, parts.join(', ')).toHaveAttribute('data-holds', 'true');
  await expect(lesson.result).toHaveAttribute('data-answer', choice);
  await expect(page.getByTestId('lesson.verdict')).toHaveAttribute('data-right', 'true');
  return lesson;
}

test.describe('lesson chapters against the engine', () => {
  test.setTimeout(180_000);

  test('only-batch-rows: the moved rows are the batch’s non-[PAD] ids, and the Training run stays put', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const lesson = new LessonPage(page);
    await lesson.open('only-batch-rows');
    // The learner's own run: two steps of the default model.
    await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
    await page.evaluate(() => window.bertLab!.step(2));
    const before = await page.evaluate(() => window.bertLab!.snapshot());
    await lesson.choose('batch');
    await lesson.runAndWait();
    await expect(lesson.result).toHaveAttribute('data-holds', 'true');

    const { chapter, step, report } = await lesson.lesson();
    expect(chapter).toBe('only-batch-rows');
    expect(step).toBe(1);
    const claim = await lesson.claim<{ moved: number[]; batchIds: number[]; vocabSize: number }>();
    expect(claim.vocabSize).toBe(V);
    expect(claim.moved).toEqual(movedIds(report!));
    expect(claim.batchIds).toEqual(batchIds(report!));
    expect(movedIds(report!)).toEqual(batchIds(report!));
    await expect(lesson.result).toContainText(`${claim.moved.length} of the 30,522 rows`);

    const after = await page.evaluate(() => window.bertLab!.snapshot());
    expect(after.step).toBe(2);
    expect(after.report!.step).toBe(2);
    expect(after.report!.updateRowNorm).toEqual(before.report!.updateRowNorm);
    expect(after.settings).toEqual(before.settings);
    expect(errors).toEqual([]);
  });

  test('tied-output: all 30,522 rows get an output gradient and move under SGD', async ({ page }) => {
    const lesson = await runChapter(page, 'tied-output', 'all');
    const { report } = await lesson.lesson();
    const withGradient = report!.outputGradRowNorm.filter((g) => g > 0).length;
    expect(withGradient).toBe(V);
    expect(report!.updateRowNorm.filter((n) => n > 0).length).toBe(V);
    const claim = await lesson.claim<{ withOutputGradient: number; moved: number }>();
    expect(claim).toMatchObject({ withOutputGradient: V, moved: V });
  });

  test('adam: LazyAdam’s last step moves exactly the batch’s rows; Adam moved rows without gradient', async ({
    page,
  }) => {
    const lesson = await runChapter(page, 'adam', 'yes');
    const { report, step } = await lesson.lesson();
    // The last run is untied LazyAdam, two steps.
    expect(step).toBe(2);
    const claim = await lesson.claim<{
      momentum: { movedWithoutGradient: number[] };
      lazy: { moved: number[]; batchIds: number[] };
    }>();
    expect(claim.lazy.moved).toEqual(movedIds(report!));
    expect(claim.lazy.batchIds).toEqual(batchIds(report!));
    expect(claim.momentum.movedWithoutGradient.length).toBeGreaterThan(0);
    await expect(page.getByTestId('lesson.rowmap')).toHaveCount(3);
  });

  test('joint-training: ten steps, the watched rows drift while the loss is the engine’s', async ({
    page,
  }) => {
    const lesson = await runChapter(page, 'joint-training', 'jointly');
    const { report, step } = await lesson.lesson();
    expect(step).toBe(10);
    const claim = await lesson.claim<{ steps: number; loss: number[]; rows: { drift: number[] }[] }>();
    expect(claim.steps).toBe(10);
    expect(claim.loss.at(-1)).toBeCloseTo(report!.loss.total, 5);
    for (const row of claim.rows) expect(row.drift.at(-1)!).toBeGreaterThan(row.drift[1]!);
  });

  test('random-start and wordpiece: step 0 of the lesson engine, and the trainer’s first whole words', async ({
    page,
  }) => {
    const lesson = await runChapter(page, 'random-start', 'random');
    const start = await lesson.lesson();
    expect(start.step).toBe(0);
    const claim = await lesson.claim<{ step: number; cosine: number; token: { entries: number } }>();
    expect(claim.step).toBe(0);
    expect(claim.token.entries).toBe(V * 32);
    expect(Math.abs(claim.cosine)).toBeLessThan(0.5);

    await runChapter(page, 'wordpiece', 'frequent');
    const words = await lesson.claim<{ firstWhole: { rank: number }[] }>();
    expect(words.firstWhole.length).toBeGreaterThan(0);
    for (const w of words.firstWhole) expect(w.rank).toBeLessThanOrEqual(50);
  });

  test('learned: the position band forms, and the rows training never looks up keep their cosines', async ({
    page,
  }) => {
    const lesson = await runChapter(page, 'learned', 'band');
    const { step, report } = await lesson.lesson();
    expect(step).toBe(120);
    const claim = await lesson.claim<{
      steps: number;
      positions: number;
      lookedUp: number;
      beyondMaxCosineChange: number;
      beyondLastUpdate: { min: number; max: number };
      band: { step: number; adjacent: number; tenApart: number }[];
    }>();
    // The engine's own batch: sequences of lookedUp slots, so rows lookedUp..P−1 had no lookup.
    const T = report!.batch.inputIds.length / (report!.batch.isNext.length || 1);
    expect(claim.lookedUp).toBe(T);
    expect(claim.steps).toBe(report!.step);
    expect(report!.positionUpdateRowNorm).toHaveLength(claim.positions);
    const beyond = report!.positionUpdateRowNorm.slice(T);
    expect(Math.min(...beyond)).toBeCloseTo(claim.beyondLastUpdate.min, 12);
    expect(Math.max(...beyond)).toBeCloseTo(claim.beyondLastUpdate.max, 12);
    expect(claim.beyondMaxCosineChange).toBeLessThan(1e-5);
    const [first, last] = [claim.band[0]!, claim.band.at(-1)!];
    expect(last.adjacent - first.adjacent).toBeGreaterThan(0.05);
    await expect(lesson.result).toContainText(`never looked up: every training sequence is ${T} tokens long`);
    await expect(page.getByTestId('lesson.band')).toBeVisible();
  });

  test('vocab-size: lookups over the engine’s 20 steps, and the larger vocabulary’s rarer rows', async ({
    page,
  }) => {
    const lesson = await runChapter(page, 'vocab-size', 'starve');
    const { step } = await lesson.lesson();
    expect(step).toBe(20);
    const claim = await lesson.claim<{
      lookups: { steps: number; vocabSize: number };
      comparison: { small: { rare: number; rows: number }; large: { rare: number; rows: number } };
    }>();
    expect(claim.lookups).toMatchObject({ steps: 20, vocabSize: V });
    const { small, large } = claim.comparison;
    expect(large.rare / large.rows).toBeGreaterThan(small.rare / small.rows);
  });
});

test.describe('lesson view', () => {
  test('a link to a chapter that does not exist says so and offers the chapter list', async ({ page }) => {
    const lesson = new LessonPage(page);
    await lesson.open('nonsense');
    await expect(lesson.unknown).toContainText('no chapter called');
    await expect(lesson.unknown).toContainText('nonsense');
    const items = page.getByTestId('lesson.toc-item');
    await expect(items).toHaveCount(8);
    await items.nth(3).click();
    await expect(lesson.chapter).toHaveAttribute('data-chapter', 'only-batch-rows');
    await expect(lesson.unknown).toHaveCount(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('chapter')).toBe('only-batch-rows');
  });

  test('“New here?” leads from the first view into chapter 1', async ({ page }) => {
    await page.goto('./');
    await page.getByTestId('lesson.invite').click();
    const lesson = new LessonPage(page);
    await expect(lesson.chapter).toHaveAttribute('data-chapter', 'wordpiece');
    await expect(page.getByTestId('nav.lesson')).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('lesson');
  });

  test('Run twice, then leave mid-run and come back: no crash, the run button comes back', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    const lesson = new LessonPage(page);
    await lesson.open('adam');
    await lesson.run.click();
    await expect(lesson.run).toBeDisabled();
    // A second click on a disabled button does nothing; the store refuses a second run as well.
    await page.evaluate(() => window.bertLab!.snapshot().lesson.running);
    await expect(lesson.progress).toBeVisible();
    await page.getByTestId('nav.train').click();
    await expect.poll(async () => (await lesson.lesson()).running, { timeout: 60_000 }).toBeNull();
    await page.getByTestId('nav.lesson').click();
    await expect(lesson.run).toBeEnabled();
    await expect(lesson.result).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('keyboard: pick a choice with the arrows, run with Enter, read the verdict', async ({ page }) => {
    test.setTimeout(120_000);
    const lesson = new LessonPage(page);
    await lesson.open('wordpiece');
    await lesson.predict.locator('input').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(lesson.predict.locator('input:checked')).toHaveValue('long');
    await page.keyboard.press('ArrowUp');
    await expect(lesson.predict.locator('input:checked')).toHaveValue('frequent');
    await page.keyboard.press('Tab');
    await expect(lesson.run).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(lesson.result).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('lesson.verdict')).toHaveAttribute('data-right', 'true');
  });

  test('axe finds no serious violation in a chapter with its result, light and dark', async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    const lesson = await runChapter(page, 'wordpiece', 'frequent');
    await expect(lesson.result).toBeVisible();
    expect(await seriousViolations(page), 'light').toEqual([]);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
    expect(await seriousViolations(page), 'dark').toEqual([]);
  });

  test('320 px: a chapter and its result fit without sideways scrolling', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 320, height: 800 });
    await runChapter(page, 'wordpiece', 'frequent');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('?embed=lesson&chapter= shows that chapter alone, and hide=chapters hides the list', async ({
    page,
  }) => {
    await page.goto('./?embed=lesson&chapter=tied-output&hide=chapters');
    const lesson = new LessonPage(page);
    await expect(page.getByTestId('embed.view-name')).toHaveText('Lesson');
    await expect(lesson.chapter).toHaveAttribute('data-chapter', 'tied-output');
    await expect(lesson.toc).toBeHidden();
    await expect(page.getByTestId('nav.lesson')).toHaveCount(0);
    await expect(lesson.run).toBeEnabled();
    await expect(page.getByTestId('embed.notice')).toHaveCount(0);
  });
});

test('the web component shows a chapter by its attribute and runs it in its own shadow root', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const coursePage = new URL('courses/lesson.html', baseURL).href;
  await page.route(coursePage, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Lesson</title>
<script type="module" src="${new URL('bert-embedding-lab.js', baseURL).pathname}"></script></head>
<body><main><bert-embedding-lab id="lab" view="lesson" chapter="only-batch-rows"></bert-embedding-lab></main></body></html>`,
    }),
  );
  await page.goto(coursePage);
  const lab = page.locator('#lab');
  const chapter = lab.getByTestId('lesson.chapter');
  await expect(chapter).toHaveAttribute('data-chapter', 'only-batch-rows');
  await lab.getByTestId('lesson.run').click();
  const result = lab.getByTestId('lesson.result');
  await expect(result).toHaveAttribute('data-holds', 'true', { timeout: 90_000 });
  const claim = JSON.parse((await result.getAttribute('data-claim'))!) as {
    moved: number[];
    batchIds: number[];
  };
  expect(claim.moved).toEqual(claim.batchIds);
  // Another chapter by attribute; then the element leaves the page mid-run without an error.
  await page.evaluate(() => document.getElementById('lab')!.setAttribute('chapter', 'adam'));
  await expect(chapter).toHaveAttribute('data-chapter', 'adam');
  await lab.getByTestId('lesson.run').click();
  await expect(lab.getByTestId('lesson.progress')).toBeVisible();
  await page.evaluate(() => document.getElementById('lab')!.remove());
  await expect(lab).toHaveCount(0);
  expect(errors).toEqual([]);
});
