import { expect, type Locator, type Page } from '@playwright/test';
import type { EngineSettings } from '../../src/core/domain/settings';

export type Cause = 'lookup' | 'output' | 'momentum' | 'unchanged' | 'stalled';

/** The groups of the move-size table: rows by the path that gave them a gradient. */
export type MoveSizeCause = 'lookup' | 'output' | 'momentum';

/** One row of the move-size table as shown; the medians are absent for an empty group. */
export interface MoveSizeRow {
  readonly rows: number;
  readonly medianUpdate: number | null;
  readonly medianGrad: number | null;
  /** The lower and upper quartiles, from the row's data attributes; null for an empty group. */
  readonly updateQuartiles: readonly [number, number] | null;
  readonly gradQuartiles: readonly [number, number] | null;
  /** The quartiles as the cells write them, ‖Δrow‖'s then ‖g‖'s ('' for one row or none). */
  readonly quartileText: readonly [string, string];
}

/** The Training view's folded panels, by the test id of their <details>. */
export type Fold = 'train.settings' | 'sessions.details';

/** Opens a folded panel of the Training view (the settings, the saved sessions) unless it is open. */
export async function unfold(page: Page, fold: Fold): Promise<void> {
  const details = page.getByTestId(fold);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
}

/** Page object for the Training view, driven through window.bertLab and the view's test ids. */
export class TrainPage {
  readonly stepCount: Locator;
  readonly error: Locator;
  readonly map: Locator;
  readonly row: Locator;

  /** The row sentences: caption, "Last step" facts, the map's explanation, the move sizes' why. */
  readonly caption: Locator;
  readonly rowFacts: Locator;
  readonly explain: Locator;
  readonly moveSizeWhy: Locator;
  readonly frequencyMoved: Locator;

  constructor(readonly page: Page) {
    this.caption = page.getByTestId('train.caption');
    this.rowFacts = page.getByTestId('train.row-facts');
    this.explain = page.getByTestId('train.explain');
    this.moveSizeWhy = page.getByTestId('train.move-size-why');
    this.frequencyMoved = page.getByTestId('train.frequency-moved');
    this.stepCount = page.getByTestId('train.step-count');
    this.error = page.getByTestId('train.error');
    this.map = page.getByTestId('train.map');
    this.row = page.getByTestId('train.row');
  }

  /** Opens the lab, starts the engine with these settings (micro on wasm by default), opens the tab. */
  async start(settings: Partial<EngineSettings>): Promise<void> {
    await this.page.goto('./');
    await this.page.waitForFunction(() => window.bertLab !== undefined);
    await this.page.evaluate(
      (s) => window.bertLab!.start({ preset: 'micro', backend: 'wasm', ...s }),
      settings as Record<string, unknown>,
    );
    await this.page.getByTestId('nav.train').click();
  }

  /** Restarts the engine on the page already open with these settings (micro on wasm by default). */
  async restart(settings: Partial<EngineSettings>): Promise<void> {
    await this.page.evaluate(
      (s) => window.bertLab!.start({ preset: 'micro', backend: 'wasm', ...s }),
      settings as Record<string, unknown>,
    );
  }

  step(steps = 1) {
    return this.page.evaluate((n) => window.bertLab!.step(n), steps);
  }

  /** The last step's count of rows for a cause, as shown (text and data-count must agree). */
  async count(cause: Cause): Promise<number> {
    const cell = this.page.getByTestId(`train.rows-${cause}`);
    const text = Number((await cell.textContent())?.replace(/,/g, ''));
    const attribute = Number(await cell.getAttribute('data-count'));
    if (text !== attribute) throw new Error(`train.rows-${cause}: text ${text} but data-count ${attribute}`);
    return attribute;
  }

  async counts(): Promise<Record<Cause, number>> {
    return {
      lookup: await this.count('lookup'),
      output: await this.count('output'),
      momentum: await this.count('momentum'),
      unchanged: await this.count('unchanged'),
      stalled: await this.count('stalled'),
    };
  }

  /**
   * Marks rows for "predict, then reveal" with the keyboard cursor: focus puts it on row 0, the
   * arrow keys move it along the id order, Enter marks. Rows must be ascending.
   */
  async markRows(rows: readonly number[]): Promise<void> {
    await this.map.focus();
    let at = Number(await this.row.getAttribute('data-row'));
    for (const row of rows) {
      for (; at < row; at++) await this.page.keyboard.press('ArrowRight');
      await this.page.keyboard.press('Enter');
    }
  }

  /** The move-size table's row for one group, read from its data attributes. */
  async moveSize(cause: MoveSizeCause): Promise<MoveSizeRow> {
    const row = this.page.locator(`[data-testid="train.move-size"][data-cause="${cause}"]`);
    const attr = async (name: string) => {
      const v = await row.getAttribute(name);
      return v === null ? null : Number(v);
    };
    const pair = async (name: string) => {
      const v = await row.getAttribute(name);
      return v === null ? null : (v.split(' ').map(Number) as [number, number]);
    };
    const cells = row.locator('td');
    const quartiles = async (i: number) =>
      (await cells.nth(i).locator('.quartiles').allTextContents())[0] ?? '';
    return {
      rows: Number(await row.getAttribute('data-rows')),
      medianUpdate: await attr('data-median-update'),
      medianGrad: await attr('data-median-grad'),
      updateQuartiles: await pair('data-update-quartiles'),
      gradQuartiles: await pair('data-grad-quartiles'),
      quartileText: [await quartiles(0), await quartiles(1)],
    };
  }

  /** Waits until the caption and the move-size table show this step. */
  async showsStep(step: number): Promise<void> {
    await expect(this.caption).toHaveAttribute('data-step', String(step));
    await expect(this.page.getByTestId('train.move-sizes').locator('h3')).toHaveText(
      `How far rows moved, step ${step}`,
    );
  }

  /** Opens the folded settings panel. */
  openSettings(): Promise<void> {
    return unfold(this.page, 'train.settings');
  }

  /** Opens the folded Saved sessions panel. */
  openSessions(): Promise<void> {
    return unfold(this.page, 'sessions.details');
  }

  /** Fills the settings form and presses "Restart with these settings". */
  async submit(fields: { lr?: string; batch?: string; seq?: string }): Promise<void> {
    await this.openSettings();
    if (fields.lr !== undefined) await this.page.getByTestId('train.lr').fill(fields.lr);
    if (fields.batch !== undefined) await this.page.getByTestId('train.batch').fill(fields.batch);
    if (fields.seq !== undefined) await this.page.getByTestId('train.seq').fill(fields.seq);
    await this.page.getByTestId('train.start').click();
  }
}
