import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { unfold } from './pages/TrainPage';

/**
 * Axe on every view, in the light and the dark colour scheme: no serious or critical violation.
 * Each view is brought into a state with its data drawn (a vocabulary being trained, a training
 * step taken, the model started for the sum), since an empty view hides most of its controls.
 */

type View = 'pack' | 'vocab' | 'train' | 'sum' | 'learned';

/** While playing, the step caption speaks at most once this often (StepCaption's PLAYING_CAPTION_MS). */
const PLAYING_CAPTION_MS = 2000;

async function openView(page: Page, view: View): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  if (view === 'train' || view === 'sum' || view === 'learned') {
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
  }
  if (view === 'train' || view === 'learned') await page.evaluate(() => window.bertLab!.step(2));
  await page.getByTestId(`nav.${view}`).click();
  if (view === 'vocab') {
    await expect(page.getByTestId('vocab.corpus')).toContainText('built in');
    await page.getByTestId('vocab.run-10').click();
    await expect(page.getByTestId('vocab.step')).toHaveText('10', { timeout: 30_000 });
  }
  if (view === 'train') await expect(page.getByTestId('train.rows-lookup')).toBeVisible();
  if (view === 'sum') await expect(page.getByTestId('sum.layernorm')).toBeVisible();
  if (view === 'learned') await expect(page.getByTestId('learned.view')).toHaveAttribute('data-step', '2');
}

const VIEWS: readonly View[] = ['pack', 'vocab', 'train', 'sum', 'learned'];

/** Clicks a control if this build has it; true when it did. */
const openIfPresent = async (page: Page, testId: string): Promise<boolean> => {
  const control = page.getByTestId(testId).first();
  if ((await control.count()) === 0 || !(await control.isVisible())) return false;
  await control.click();
  return true;
};

test.describe('accessibility', () => {
  for (const view of VIEWS) {
    test(`axe finds no serious or critical violation in the ${view} view, light and dark`, async ({
      page,
    }) => {
      // Two axe runs over the whole view and two over its pop-ups: about 15 s on a quiet machine.
      test.setTimeout(120_000);
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
      await openView(page, view);
      // The Training view's folded panels are checked open: their forms and lists are in the run.
      if (view === 'train') {
        await unfold(page, 'train.settings');
        await unfold(page, 'sessions.details');
      }
      expect(await seriousViolations(page), 'light').toEqual([]);
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
      expect(await seriousViolations(page), 'dark').toEqual([]);
      // The view's pop-up parts, one at a time, where this build has them: the embed panel, then
      // the export menu. The rest of the page is as the runs above saw it, so axe looks only at
      // the part that opened (a whole-view run costs ~5 s here).
      // The panels load lazily: axe runs once the part it is pointed at is there.
      if (await openIfPresent(page, 'embed.button')) {
        await expect(page.getByTestId('embed.panel')).toBeVisible();
        expect(
          await seriousViolations(page, '[data-testid="embed.panel"]'),
          'dark, embed panel open',
        ).toEqual([]);
      }
      await openIfPresent(page, 'embed.button');
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
      if (await openIfPresent(page, `export.${view}.toggle`)) {
        await expect(page.locator(`[data-testid="export.menu"][data-view="${view}"]`)).toBeVisible();
        expect(
          await seriousViolations(page, `[data-testid="export.menu"][data-view="${view}"]`),
          'light, export menu open',
        ).toEqual([]);
      }
    });
  }
});

/** The controls that Tab must reach in each view, by test id. */
const MAIN_CONTROLS: Readonly<Record<View, readonly string[]>> = {
  pack: ['pack.input-a', 'pack.input-b', 'pack.max-length'],
  vocab: ['vocab.run-10', 'vocab.preview-input'],
  train: ['train.step', 'train.map', 'train.settings-toggle', 'sessions.toggle'],
  sum: ['sum.chip', 'sum.play', 'sum.step'],
  learned: ['learned.step', 'learned.positions', 'learned.piece-input', 'learned.k', 'learned.pick'],
};

interface Focused {
  testId: string | null;
  tag: string;
  outline: boolean;
}

/** The focused element, and whether it wears a visible focus indicator (a solid outline ≥ 2 px). */
const focusedNow = (page: Page) =>
  page.evaluate((): Focused => {
    const el = document.activeElement;
    if (!el || el === document.body) return { testId: null, tag: 'body', outline: true };
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    const color = style.outlineColor;
    const transparent = color === 'transparent' || /rgba\(.*, 0\)$/.test(color);
    return {
      testId: el.getAttribute('data-testid'),
      tag: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`,
      outline: style.outlineStyle !== 'none' && width >= 2 && !transparent,
    };
  });

test.describe('keyboard', () => {
  for (const view of VIEWS) {
    test(`Tab reaches the main controls of the ${view} view, each with a visible focus outline`, async ({
      page,
    }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await openView(page, view);
      await page.getByTestId(`nav.${view}`).focus();
      const wanted = new Set(MAIN_CONTROLS[view]);
      const invisible: string[] = [];
      for (let i = 0; i < 150 && wanted.size > 0; i++) {
        await page.keyboard.press('Tab');
        const focused = await focusedNow(page);
        if (!focused.outline) invisible.push(focused.testId ?? focused.tag);
        if (focused.testId) wanted.delete(focused.testId);
      }
      expect([...wanted], 'controls Tab never reached').toEqual([]);
      expect(invisible, 'focused without a visible outline').toEqual([]);
    });
  }

  test('the focus outline has at least 3:1 contrast with the page in both colour schemes', async ({
    page,
  }) => {
    await page.goto('./');
    await expect(page.getByTestId('pack.token').first()).toBeVisible();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.getByTestId('nav.pack').focus();
      await page.keyboard.press('Tab');
      const ratio = await page.evaluate(() => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (css: string) => {
          const [r = 0, g = 0, b = 0] = rgb(css).map((c) => {
            const s = c / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const outline = luminance(getComputedStyle(document.activeElement!).outlineColor);
        const page = luminance(getComputedStyle(document.documentElement).backgroundColor);
        return (Math.max(outline, page) + 0.05) / (Math.min(outline, page) + 0.05);
      });
      expect(ratio, colorScheme).toBeGreaterThanOrEqual(3);
    }
  });
});

test.describe('text alternatives', () => {
  test('the Training view narrates each step in a polite live region, throttled while playing', async ({
    page,
  }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await page.getByTestId('nav.train').click();
    await page.getByTestId('train.step').click();
    const caption = page.getByTestId('train.caption');
    await expect(caption).toHaveAttribute('aria-live', 'polite');
    await expect(caption).toHaveAttribute('data-step', '1');
    // The sentence carries the same counts as the counters beside the map.
    const lookup = await page.getByTestId('train.rows-lookup').getAttribute('data-count');
    const output = Number(await page.getByTestId('train.rows-output').getAttribute('data-count'));
    await expect(caption).toContainText(`Step 1: ${lookup} rows moved through the lookup`);
    await expect(caption).toContainText(`${output.toLocaleString('en-US')} through the output softmax only`);

    // Stepping by hand: every step is read.
    await page.getByTestId('train.step').click();
    await expect(caption).toHaveAttribute('data-step', '2');

    // Playing at 20 steps a second until 40 more steps are taken: the caption changes at most once
    // every PLAYING_CAPTION_MS (2 s), not every step, however fast this machine steps.
    await caption.evaluate((el) => {
      const w = window as unknown as { captionChanges: number };
      w.captionChanges = 0;
      new MutationObserver(() => w.captionChanges++).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByLabel('steps/s').fill('20');
    const stepCount = page.getByTestId('train.step-count');
    const playedFrom = Date.now();
    await page.getByTestId('train.play').click();
    await expect
      .poll(async () => Number(await stepCount.textContent()), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(42);
    await page.getByTestId('train.pause').click();
    const changes = await page.evaluate(
      () => (window as unknown as { captionChanges: number }).captionChanges,
    );
    const playedMs = Date.now() - playedFrom;
    // After the pause (and the step that was in flight) the caption catches up with the last step.
    await expect
      .poll(async () => (await caption.getAttribute('data-step')) === (await stepCount.textContent()))
      .toBe(true);
    const steps = Number(await stepCount.textContent());
    expect(steps - 2, 'steps taken while playing').toBeGreaterThanOrEqual(40);
    // One change when play starts, then at most one per 2 s of playing.
    expect(changes).toBeLessThanOrEqual(1 + Math.floor(playedMs / PLAYING_CAPTION_MS));
    expect(changes, 'not one change per step').toBeLessThan((steps - 2) / 2);
  });

  test('figures have an accessible name', async ({ page }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await page.evaluate(() => window.bertLab!.step(2));
    for (const view of ['pack', 'train', 'sum', 'learned'] as const) {
      await page.getByTestId(`nav.${view}`).click();
      if (view === 'sum') await expect(page.getByTestId('sum.layernorm')).toBeVisible();
      if (view === 'learned')
        await expect(page.getByTestId('learned.view')).toHaveAttribute('data-step', '2');
      const unnamed = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            '[role="tabpanel"]:not([hidden]) svg, [role="tabpanel"]:not([hidden]) canvas',
          ),
        ]
          .filter((el) => !el.closest('[aria-hidden="true"]') && el.getAttribute('aria-hidden') !== 'true')
          .filter(
            (el) =>
              !(
                el.getAttribute('aria-label') ||
                el.getAttribute('aria-labelledby') ||
                el.closest('figure')?.querySelector('figcaption')
              ),
          )
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unnamed, view).toEqual([]);
    }
  });
});

test.describe('reduced motion', () => {
  /** Elements of the page whose computed style animates or transitions for longer than 0 s. */
  const moving = (page: Page) =>
    page.evaluate(() => {
      const seconds = (list: string) => Math.max(...list.split(',').map((d) => parseFloat(d) || 0));
      return [...document.querySelectorAll('*')]
        .filter((el) => {
          const style = getComputedStyle(el);
          const animated = style.animationName !== 'none' && seconds(style.animationDuration) > 0;
          return animated || seconds(style.transitionDuration) > 0;
        })
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
    });

  test('with prefers-reduced-motion nothing in the app animates or transitions', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await openView(page, 'sum');
    // Without the preference the sum view does animate, so the check below can fail.
    expect((await moving(page)).length).toBeGreaterThan(0);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    for (const view of VIEWS) {
      await page.getByTestId(`nav.${view}`).click();
      expect(await moving(page), view).toEqual([]);
    }
  });
});

test.describe('accessibility of the sharing, export, session and embed UI', () => {
  test('axe passes with a saved session listed', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openView(page, 'train');
    await unfold(page, 'sessions.details');
    await page.getByTestId('sessions.save').click();
    await expect(page.getByTestId('sessions.item').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('axe passes on the web-component demo page, shadow roots included', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const response = await page.goto('./embed-demo.html');
    expect(response?.status()).toBe(200);
    // Both elements render their view inside their shadow roots; axe walks into open shadow roots.
    await expect(page.locator('bert-embedding-lab').first().getByTestId('pack.token').first()).toBeVisible();
    expect(await seriousViolations(page), 'light').toEqual([]);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
    expect(await seriousViolations(page), 'dark').toEqual([]);
  });

  // An embed is a view (checked whole above, in both schemes) inside the embed's own chrome (the
  // notices, the "Open in the lab" link, hidden controls): two views, one with a model and one
  // without, cover that chrome; each further one cost ~20 s of CI for no new markup.
  for (const view of ['pack', 'learned'] as const) {
    test(`axe passes on the embedded ${view} view`, async ({ page }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(`./?embed=${view}`);
      await expect(page.getByTestId('embed.root')).toBeVisible();
      if (view === 'pack') await expect(page.getByTestId('pack.token').first()).toBeVisible();
      if (view === 'learned')
        await expect(page.getByTestId('learned.neighbours')).toBeVisible({ timeout: 60_000 });
      expect(await seriousViolations(page), 'light').toEqual([]);
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
      expect(await seriousViolations(page), 'dark').toEqual([]);
    });
  }
});
