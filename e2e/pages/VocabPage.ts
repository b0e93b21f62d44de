import { expect, type Locator, type Page } from '@playwright/test';

/** Page object for the Vocabulary view (the WordPiece trainer). */
export class VocabPage {
  readonly step: Locator;
  readonly size: Locator;
  readonly lastMerge: Locator;
  readonly preview: Locator;
  readonly pieces: Locator;
  readonly corpus: Locator;
  readonly error: Locator;
  readonly stopped: Locator;

  constructor(readonly page: Page) {
    this.step = page.getByTestId('vocab.step');
    this.size = page.getByTestId('vocab.size');
    this.lastMerge = page.getByTestId('vocab.last-merge');
    this.preview = page.getByTestId('vocab.preview');
    this.pieces = this.preview.getByTestId('vocab.piece');
    this.corpus = page.getByTestId('vocab.corpus');
    this.error = page.getByTestId('vocab.error');
    this.stopped = page.getByTestId('vocab.stopped');
  }

  /** Opens the lab on the Vocabulary tab and waits for the built-in corpus to be counted. */
  async open(): Promise<void> {
    await this.page.goto('./');
    await this.page.getByTestId('nav.vocab').click();
    await expect(this.corpus).toContainText('built in');
  }

  async number(locator: Locator): Promise<number> {
    return Number((await locator.textContent())!.replace(/,/g, ''));
  }

  /** Clicks a run button and waits until training has stopped running. */
  async run(which: '1' | '10' | '100' | 'all'): Promise<void> {
    await this.page.getByTestId(`vocab.run-${which}`).click();
    await expect(this.page.getByTestId('vocab.pause')).toBeDisabled({ timeout: 60_000 });
  }

  async pasteCorpus(text: string): Promise<void> {
    await this.page.getByTestId('vocab.paste').fill(text);
    await this.page.getByTestId('vocab.load-pasted').click();
  }

  async previewTokens(): Promise<string[]> {
    return this.pieces.evaluateAll((els) => els.map((el) => el.getAttribute('data-token') ?? ''));
  }
}
