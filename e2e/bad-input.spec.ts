import { expect, test } from '@playwright/test';
import { PackPage } from './pages/PackPage';

test.describe('Tokenize & Pack with bad input', () => {
  test('a 1 MB paste gets a clear message, keeps the text, and the page stays usable', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    const huge = 'All work and no play makes a dull tokenizer. '.repeat(23_302).slice(0, 1 << 20); // 1 MiB
    await pack.inputA.fill(huge);
    await expect(page.getByTestId('pack.error-a')).toContainText('1,048,576 characters long');
    await expect(page.getByTestId('pack.error-a')).toContainText('up to 100,000 characters');
    await expect(pack.packedError).toBeVisible();
    expect(await pack.inputA.inputValue()).toHaveLength(huge.length);
    // Still responsive: a short A brings the chips back.
    await pack.setPair('Back to normal.', 'Yes.');
    expect((await pack.chipFacts()).map((c) => c.token)).toEqual([
      '[CLS]',
      'back',
      'to',
      'normal',
      '.',
      '[SEP]',
      'yes',
      '.',
      '[SEP]',
    ]);
  });

  test('100,000 characters tokenize, with the stages capped and the sequence truncated to max length', async ({
    page,
  }) => {
    const pack = new PackPage(page);
    await pack.open();
    const big = 'Tokenizers split unaffable words. '.repeat(2941); // 99,994 characters
    await pack.setPair(big, 'Short B.', 128);
    await expect(pack.chips).toHaveCount(128);
    await expect(pack.truncation).toContainText('sentence A lost');
    await expect(page.getByTestId('pack.stages-a')).toContainText('Showing the first 600 of');
  });

  test('only punctuation becomes one piece per mark', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('?!...', '');
    const chips = await pack.chipFacts();
    expect(chips.map((c) => c.token)).toEqual(['[CLS]', '?', '!', '.', '.', '.', '[SEP]']);
  });

  test('only emoji: unknown words are marked [UNK]', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('🦄🦄 👩‍👩‍👧', '');
    const chips = await pack.chipFacts();
    expect(chips.map((c) => c.token)).toEqual(['[CLS]', '[UNK]', '[UNK]', '[SEP]']);
    await expect(page.getByTestId('pack.stages-a').locator('.piece.unk')).toHaveCount(2);
  });

  test('control characters are removed and reported', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('a\u0000b\u0007c\u200bd\u0085e\u000bf', '');
    await expect(page.getByTestId('pack.normalized-a')).toHaveText('abcdef');
    await expect(page.getByTestId('pack.stages-a')).toContainText('Removed 5 control or format characters');
  });

  test('whitespace-only and empty sentences still pack the special tokens', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('   \n\t ', '');
    expect((await pack.chipFacts()).map((c) => c.token)).toEqual(['[CLS]', '[SEP]']);
    await expect(page.getByTestId('pack.stages-a')).toContainText('No words');
  });

  for (const [input, message] of [
    ['2', 'Max length 2 is too small'],
    ['0', 'Max length 0 is too small'],
    ['-5', 'Max length -5 is too small'],
    ['1000', 'BERT has 512 position embeddings'],
    ['', 'Enter a max length'],
    ['7.5', 'whole number'],
  ] as const) {
    test(`max length "${input}" gets a message instead of a sequence`, async ({ page }) => {
      const pack = new PackPage(page);
      await pack.open();
      await pack.maxLength.fill(input);
      await expect(page.getByTestId('pack.max-length-error')).toContainText(message);
      await expect(pack.packedError).toContainText(message);
      await expect(pack.chips).toHaveCount(0);
      await pack.maxLength.fill('16');
      await expect(pack.chips.first()).toBeVisible();
    });
  }
});
