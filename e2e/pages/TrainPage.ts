import { expect, type Locator, type Page } from '@playwright/test';
import type { EngineSettings } from '../../src/core/domain/settings';

export type Cause = 'lookup' | 'output' | 'momentum' | 'unchanged' | 'stalled';

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

  constructor(readonly page: Page) {
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
