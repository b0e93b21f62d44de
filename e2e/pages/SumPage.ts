import { expect, type Locator, type Page } from '@playwright/test';

/** One position's vectors as the view's `data-*` attributes give them (see sum.spec.ts). */
export interface SumVectors {
  token: number[];
  segment: number[];
  position: number[];
  total: number[];
  output: number[];
  gamma: number[];
  beta: number[];
}

/** Page object for the Embedding sum view: the position chips, the stepper and its rows. */
export class SumPage {
  readonly view: Locator;
  readonly chips: Locator;
  readonly position: Locator;
  readonly stage: Locator;
  readonly layerNorm: Locator;
  readonly truncated: Locator;
  readonly sparkline: Locator;
  /** Shown while the engine loads, and while the numbers are the seed's rather than the engine's. */
  readonly loading: Locator;
  readonly fromSeed: Locator;
  /** The sentences on E_token's common drift, with its numbers as data attributes. */
  readonly drift: Locator;
  readonly tokenTable: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('sum.view');
    this.chips = page.getByTestId('sum.chip');
    this.position = page.getByTestId('sum.position');
    this.stage = page.getByTestId('sum.stage');
    this.layerNorm = page.getByTestId('sum.layernorm');
    this.truncated = page.getByTestId('sum.truncated');
    this.sparkline = page.getByTestId('sum.sparkline');
    this.loading = page.getByTestId('sum.loading');
    this.fromSeed = page.getByTestId('sum.from-seed');
    this.drift = page.getByTestId('sum.drift');
    this.tokenTable = page.getByTestId('sum.token-table');
  }

  /** Opens the lab with this pair typed into Tokenize & Pack, and waits for window.bertLab. */
  private async openLab(a: string, b: string): Promise<void> {
    await this.page.goto('./');
    await this.page.waitForFunction(() => window.bertLab !== undefined);
    await this.page.getByTestId('pack.input-a').fill(a);
    await this.page.getByTestId('pack.input-b').fill(b);
  }

  /** The pair typed, the micro model started on wasm (quick to start), the Embedding sum tab open. */
  async open(a: string, b: string): Promise<void> {
    await this.openLab(a, b);
    await this.page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await this.openTab();
  }

  openTab(): Promise<void> {
    return this.page.getByTestId('nav.sum').click();
  }

  /** The chip of one position. */
  chip(position: number): Locator {
    return this.page.locator(`[data-testid="sum.chip"][data-position="${position}"]`);
  }

  /** Clicks a position's chip and waits until the stepper shows that position. */
  async select(position: number): Promise<void> {
    await this.chip(position).click();
    await expect(this.position).toHaveAttribute('data-position', String(position));
  }

  /** The chips' tokens, in position order. */
  chipTokens(): Promise<string[]> {
    return this.chips.evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.token!));
  }

  /** A vector the view writes as JSON into an attribute of the element with this test id. */
  private async values(testId: string, attribute = 'data-values'): Promise<number[]> {
    return JSON.parse((await this.page.getByTestId(testId).getAttribute(attribute)) ?? 'null') as number[];
  }

  /** The selected position's rows: the three lookups, their sum, γ, β and the LayerNorm output. */
  async vectors(): Promise<SumVectors> {
    const [token, segment, position, total, output, gamma, beta] = await Promise.all([
      this.values('sum.token-row'),
      this.values('sum.segment-row'),
      this.values('sum.position-row'),
      this.values('sum.total'),
      this.values('sum.layernorm'),
      this.values('sum.layernorm', 'data-gamma'),
      this.values('sum.layernorm', 'data-beta'),
    ]);
    return { token, segment, position, total, output, gamma, beta };
  }

  /** Shows E_token's weights, its change since step 0, or that change with the common drift removed. */
  async tokenMode(mode: 'weights' | 'change' | 'centred'): Promise<void> {
    await this.page.getByTestId(`sum.token-mode-${mode}`).check();
    await expect(this.tokenTable).toHaveAttribute('data-mode', mode);
  }

  /** The drift numbers the page shows, from the note's data attributes. */
  async driftNumbers(): Promise<{
    step: number;
    meanNorm: number;
    medianChange: number;
    medianCentred: number;
    commonShare: number;
  }> {
    const read = async (name: string) => Number(await this.drift.getAttribute(`data-${name}`));
    return {
      step: await read('step'),
      meanNorm: await read('mean-norm'),
      medianChange: await read('median-change'),
      medianCentred: await read('median-centred'),
      commonShare: await read('common-share'),
    };
  }
}
