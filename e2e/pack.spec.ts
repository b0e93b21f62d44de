import { expect, test } from '@playwright/test';
import { loadGolden } from '../src/core/tokenizer/test/golden';
import { PackPage } from './pages/PackPage';

const golden = loadGolden();

/**
 * Fixtures the page can reproduce: it always has a max length (512 at most), pads only to that
 * max length, and treats an empty B box as "no sentence B".
 */
const pagePairs = golden.pairs.filter(
  (f) =>
    f.b !== '' && (f.maxLength ?? f.ids.length) <= 512 && (f.padTo === undefined || f.padTo === f.maxLength),
);

test.describe('Tokenize & Pack', () => {
  test('shows the default pair packed as [CLS] A [SEP] B [SEP]', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    const chips = await pack.chipFacts();
    expect(chips[0]).toMatchObject({ token: '[CLS]', id: 101, segment: 0, position: 0 });
    expect(chips.at(-1)).toMatchObject({ token: '[SEP]', id: 102, segment: 1 });
    const firstSep = chips.findIndex((c) => c.token === '[SEP]');
    expect(chips.slice(0, firstSep + 1).every((c) => c.segment === 0)).toBe(true);
    expect(chips.slice(firstSep + 1).every((c) => c.segment === 1)).toBe(true);
    expect(chips.map((c) => c.position)).toEqual(chips.map((_, i) => i));
  });

  test('updates the chips as you type a real pair', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.inputA.fill('');
    await pack.inputA.pressSequentially('Unaffable!');
    await pack.inputB.fill('');
    await pack.inputB.pressSequentially('Café time');
    await expect(pack.chips).toHaveCount(9);
    const chips = await pack.chipFacts();
    expect(chips.map((c) => c.token)).toEqual([
      '[CLS]',
      'una',
      '##ffa',
      '##ble',
      '!',
      '[SEP]',
      'cafe',
      'time',
      '[SEP]',
    ]);
    expect(chips.map((c) => c.id)).toEqual([101, 14477, 20961, 3468, 999, 102, 7668, 2051, 102]);
    expect(chips.map((c) => c.segment)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  test('agrees with the golden fixtures chip for chip', async ({ page }) => {
    test.setTimeout(120_000);
    expect(pagePairs.length).toBeGreaterThanOrEqual(15);
    const pack = new PackPage(page);
    await pack.open();
    for (const fixture of pagePairs) {
      await pack.pad.setChecked(fixture.padTo !== undefined);
      await pack.setPair(fixture.a, fixture.b ?? '', fixture.maxLength ?? 512);
      const chips = await pack.chipFacts();
      expect(
        chips.map((c) => c.token),
        fixture.name,
      ).toEqual(fixture.tokens);
      expect(
        chips.map((c) => c.id),
        fixture.name,
      ).toEqual(fixture.ids);
      expect(
        chips.map((c) => c.segment),
        fixture.name,
      ).toEqual(fixture.typeIds);
      expect(
        chips.map((c) => c.attention),
        fixture.name,
      ).toEqual(fixture.attentionMask);
      if (fixture.truncated.a + (fixture.truncated.b ?? 0) > 0) {
        await expect(pack.truncation, fixture.name).toHaveAttribute(
          'data-truncated-a',
          String(fixture.truncated.a),
        );
        await expect(pack.truncation, fixture.name).toHaveAttribute(
          'data-truncated-b',
          String(fixture.truncated.b ?? 0),
        );
      } else {
        await expect(pack.truncation, fixture.name).toHaveCount(0);
      }
    }
  });

  test('chips agree with every single-text golden fixture', async ({ page }) => {
    test.setTimeout(120_000);
    const sample = golden.single.filter((f) => f.ids.length <= 510);
    expect(sample.length).toBeGreaterThanOrEqual(400);
    // BERT's normalizer and pre-tokenizer act within a word, so texts joined by a space give their
    // pieces one after the other: each page shows a group of fixtures up to 510 pieces, and each
    // fixture is checked against its own slice of the chips (~40 pages instead of ~400).
    const groups: (typeof sample)[] = [[]];
    let pieces = 0;
    for (const fixture of sample) {
      if (pieces + fixture.ids.length > 510) {
        groups.push([]);
        pieces = 0;
      }
      groups.at(-1)!.push(fixture);
      pieces += fixture.ids.length;
    }
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('', '', 512);
    for (const group of groups) {
      await pack.setA(group.map((f) => f.text).join(' '));
      const chips = (await pack.chipFacts()).slice(1, -1);
      expect(chips.length, group.map((f) => f.name).join(', ')).toBe(
        group.reduce((n, f) => n + f.ids.length, 0),
      );
      let at = 0;
      for (const fixture of group) {
        const mine = chips.slice(at, at + fixture.ids.length);
        at += fixture.ids.length;
        expect(
          mine.map((c) => c.token),
          fixture.name,
        ).toEqual(fixture.tokens);
        expect(
          mine.map((c) => c.id),
          fixture.name,
        ).toEqual(fixture.ids);
      }
    }
  });

  test('explains which side truncation cut and why', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('one two three four five six seven eight', 'nine ten', 9);
    await expect(pack.truncation).toContainText('sentence A lost 4 pieces');
    await expect(pack.truncation).toContainText('only A is cut, from 8 to 4, and B keeps all 2');
    await expect(pack.chips).toHaveCount(9);
  });

  test("cuts issue 12's pair longest first, B first on a tie, and says so with the numbers shown", async ({
    page,
  }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair(
      'Dun tell em i go out early to buy stuff again ah.',
      "This might be Tokyo's most enduring dance party ever",
      8,
    );
    const chips = await pack.chipFacts();
    expect(chips.map((c) => c.token)).toEqual([
      '[CLS]',
      'dun',
      'tell',
      'em',
      '[SEP]',
      'this',
      'might',
      '[SEP]',
    ]);
    await expect(pack.truncation).toHaveAttribute('data-truncated-a', '10');
    await expect(pack.truncation).toHaveAttribute('data-truncated-b', '9');
    await expect(pack.truncation).toContainText('A has 13 pieces and B has 11: 19 too many.');
    await expect(pack.truncation).toContainText("so A keeps 3, one more than B's 2.");
  });

  test('packs one sentence as [CLS] A [SEP] when B is empty, and pads with attention mask 0', async ({
    page,
  }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Hello world', '', 8);
    await pack.pad.check();
    await expect(pack.chips).toHaveCount(8);
    const chips = await pack.chipFacts();
    expect(chips.map((c) => c.token)).toEqual([
      '[CLS]',
      'hello',
      'world',
      '[SEP]',
      '[PAD]',
      '[PAD]',
      '[PAD]',
      '[PAD]',
    ]);
    expect(chips.map((c) => c.attention)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  test('shows the stages: normalized text, basic tokens and word pieces with ids', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Ünaffable CAFÉ, [MASK]!', '');
    await expect(page.getByTestId('pack.normalized-a')).toHaveText('unaffable cafe, [MASK]!');
    const words = page.getByTestId('pack.stages-a').getByTestId('pack.word');
    await expect(words).toHaveText(['unaffable', 'cafe', ',', '[MASK]', '!']);
    const pieces = page.getByTestId('pack.stages-a').getByTestId('pack.piece');
    await expect(pieces).toHaveText(['una', '##ffa', '##ble', 'cafe', ',', '[MASK]', '!']);
    await expect(pieces.nth(1)).toHaveAttribute('data-token-id', '20961');
  });

  test('the inspector shows the id and source characters of a focused piece, by keyboard', async ({
    page,
  }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Ünaffable', '');
    await pack.chips.nth(1).focus();
    const inspector = page.getByTestId('pack.inspector');
    await expect(inspector).toContainText('una');
    await expect(inspector).toContainText('14477');
    await expect(inspector.locator('mark')).toHaveText('Üna');
    await page.keyboard.press('ArrowRight');
    await expect(pack.chips.nth(2)).toBeFocused();
    await expect(inspector).toContainText('20961');
    await expect(inspector.locator('mark')).toHaveText('ffa');
  });

  test('the packed sequence is one Tab stop, walked with the arrow keys, Home and End', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Hi there', 'Yo');
    await pack.pad.focus();
    await page.keyboard.press('Tab');
    await expect(pack.chips.first()).toBeFocused();
    await page.keyboard.press('End');
    await expect(pack.chips.last()).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(pack.chips.nth(4)).toBeFocused();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe(
      'pack.token',
    );
  });

  test('chips have labels a screen reader can read', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Hi', 'Yo');
    await expect(pack.chips.nth(0)).toHaveAccessibleName(
      /Position 0: special token \[CLS\], id 101, segment A/,
    );
    await expect(pack.chips.nth(3)).toHaveAccessibleName(
      /Position 3: token yo, id \d+, segment B, attention mask 1/,
    );
  });

  test('makes no request outside its own origin', async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.origin !== origin) foreign.push(request.url());
    });
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('Does typing send anything anywhere?', 'It must not.');
    await page.waitForLoadState('networkidle');
    expect(foreign).toEqual([]);
  });
});
