import { expect, type Locator, type Page } from '@playwright/test';

export interface ChipFacts {
  token: string;
  id: number;
  segment: number;
  position: number;
  attention: number;
}

/** Page object for the Tokenize & Pack view; it reads the data-testid contract, not pixels. */
export class PackPage {
  readonly inputA: Locator;
  readonly inputB: Locator;
  readonly maxLength: Locator;
  readonly pad: Locator;
  readonly chips: Locator;
  readonly truncation: Locator;
  readonly packedError: Locator;

  constructor(readonly page: Page) {
    this.inputA = page.getByTestId('pack.input-a');
    this.inputB = page.getByTestId('pack.input-b');
    this.maxLength = page.getByTestId('pack.max-length');
    this.pad = page.getByTestId('pack.pad');
    this.chips = page.getByTestId('pack.token');
    this.truncation = page.getByTestId('pack.truncation');
    this.packedError = page.getByTestId('pack.packed-error');
  }

  async open(): Promise<void> {
    await this.page.goto('./');
    await expect(this.chips.first()).toBeVisible();
  }

  /** Sets the inputs and waits until the chips show the deferred result for exactly these inputs. */
  async setPair(a: string, b: string, maxLength?: number): Promise<void> {
    await this.inputA.fill(a);
    await this.inputB.fill(b);
    if (maxLength !== undefined) await this.maxLength.fill(String(maxLength));
    await expect(this.page.getByTestId('pack.view')).toHaveAttribute('aria-busy', 'false');
  }

  /** Replaces sentence A only, keeping B and the maximum length as they are. */
  async setA(a: string): Promise<void> {
    await this.inputA.fill(a);
    await expect(this.page.getByTestId('pack.view')).toHaveAttribute('aria-busy', 'false');
  }

  async chipFacts(): Promise<ChipFacts[]> {
    return this.chips.evaluateAll((elements) =>
      elements.map((el) => ({
        token: el.getAttribute('data-token') ?? '',
        id: Number(el.getAttribute('data-token-id')),
        segment: Number(el.getAttribute('data-segment')),
        position: Number(el.getAttribute('data-position')),
        attention: Number(el.getAttribute('data-attention')),
      })),
    );
  }
}
