import { expect, test } from '@playwright/test';
import { PackPage } from './pages/PackPage';
import { VocabPage } from './pages/VocabPage';

test.describe('Vocabulary: training WordPiece', () => {
  test('starts from the alphabet and grows one merge at a time', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await expect(vocab.step).toHaveText('0');
    const alphabet = await vocab.number(vocab.size);
    expect(alphabet).toBeGreaterThan(40);
    // Before any merge every piece is one character, or a ## and one character.
    for (const token of await vocab.previewTokens()) expect(token.replace(/^##/, '').length).toBe(1);

    await vocab.run('1');
    await expect(vocab.step).toHaveText('1');
    await expect(vocab.size).toHaveText(String(alphabet + 1));
    // The likelihood gain (the default) merges t + ##h first: 840 pairs. BPE would take ##h + ##e
    // (920), which the view names as the runner-up.
    await expect(vocab.lastMerge).toHaveAttribute('data-token', 'th');
    await expect(vocab.lastMerge).toContainText('Δ log L');
    const scores = page.getByTestId('vocab.last-merge.scores');
    await expect(scores.locator('tr')).toHaveCount(3);
    await expect(scores.locator('tr.chosen')).toHaveAttribute('data-score', 'likelihood');
    await expect(page.getByTestId('vocab.last-merge.counts')).toContainText('c(ab) = 840');
    await expect(page.getByTestId('vocab.last-merge.runner-up')).toHaveAttribute('data-token', '##he');

    await vocab.run('10');
    await expect(vocab.step).toHaveText('11');
    await vocab.run('100');
    await expect(vocab.step).toHaveText('111');
  });

  test('trains a 2,000-token vocabulary on the built-in corpus, and words fuse in the preview', async ({
    page,
  }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    const before = (await vocab.previewTokens()).length;
    await vocab.run('all');
    await expect(vocab.size).toHaveText('2,000');
    await expect(vocab.stopped).toContainText('Reached the target of 2,000 tokens');
    const after = await vocab.previewTokens();
    expect(after.length).toBeLessThan(before);
    expect(after.some((t) => t.replace(/^##/, '').length > 3)).toBe(true);
  });

  test('the same run is deterministic: reset and train again gives the same merges', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await vocab.run('100');
    const first = await vocab.lastMerge.getAttribute('data-token');
    await page.getByTestId('vocab.reset').click();
    await expect(vocab.step).toHaveText('0');
    await vocab.run('100');
    await expect(vocab.lastMerge).toHaveAttribute('data-token', first!);
  });

  test('the course formula merges a rare pair first, and the view says why', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await page.getByTestId('vocab.score-wordpiece').check();
    await expect(vocab.step).toHaveText('0');
    await vocab.run('1');
    // "£1" occurs once, and "##1" nowhere else: 1 / (5 · 1) beats every frequent pair.
    await expect(vocab.lastMerge).toHaveAttribute('data-token', '£1');
    await expect(vocab.lastMerge).toContainText('score = count(ab) / (count(a) · count(b)) = 1 / (5 · 1)');
    await expect(page.getByTestId('vocab.last-merge.why')).toContainText('100% of the 1');
    await expect(page.getByTestId('vocab.last-merge.scores').locator('tr.chosen')).toHaveAttribute(
      'data-score',
      'pmi',
    );
  });

  test('BPE scoring merges differently from WordPiece scoring', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await vocab.run('10');
    const wordpiece = await vocab.lastMerge.getAttribute('data-token');
    await page.getByTestId('vocab.score-bpe').check();
    await expect(vocab.step).toHaveText('0');
    await vocab.run('10');
    await expect(vocab.lastMerge).toContainText('score = count(ab) =');
    expect(await vocab.lastMerge.getAttribute('data-token')).not.toBe(wordpiece);
  });

  test('the learned vocabulary can be exported and used in Tokenize & Pack', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await vocab.run('100');
    const size = await vocab.number(vocab.size);

    const download = page.waitForEvent('download');
    await page.getByTestId('vocab.export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('vocab.txt');
    const lines = (await (await file.createReadStream()).toArray()).join('').split('\n');
    expect(lines.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(lines.filter(Boolean)).toHaveLength(size);

    await page.getByTestId('vocab.use').click();
    const pack = new PackPage(page);
    await expect(page.getByTestId('pack.vocab')).toHaveValue('learned');
    await pack.setPair('the baker', '');
    const chips = await pack.chipFacts();
    expect(chips[0]).toMatchObject({ token: '[CLS]', id: 2 });
    expect(chips.length).toBeGreaterThan(4); // a 100-merge vocabulary still splits these words
    await page.getByTestId('pack.vocab').selectOption('bert');
    await pack.setPair('the baker', '');
    expect((await pack.chipFacts()).map((c) => c.id)).toEqual([101, 1996, 6243, 102]);
  });
});

test.describe('Vocabulary with bad corpora', () => {
  test('an empty corpus gets a clear message and the built-in corpus stays loaded', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await vocab.pasteCorpus('   \n  ');
    await expect(vocab.error).toContainText('The corpus is empty');
    await expect(vocab.corpus).toContainText('built in');
    await vocab.run('1');
    await expect(vocab.step).toHaveText('1');
  });

  test('a one-word corpus trains until the word is whole, then says nothing is left to merge', async ({
    page,
  }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await vocab.pasteCorpus('tokenization');
    await expect(vocab.corpus).toContainText('your pasted text');
    await vocab.run('all');
    await expect(vocab.stopped).toContainText('Nothing left to merge');
    await page.getByTestId('vocab.preview-input').fill('tokenization');
    expect(await vocab.previewTokens()).toEqual(['tokenization']);
  });

  test('a corpus whose characters are all below the minimum frequency says there is nothing to train on', async ({
    page,
  }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await page.getByTestId('vocab.min-frequency').fill('3');
    await page.getByTestId('vocab.min-frequency').blur();
    await vocab.pasteCorpus('zebra');
    await expect(vocab.stopped).toContainText('Nothing to train on');
    await page.getByTestId('vocab.preview-input').fill('zebra');
    expect(await vocab.previewTokens()).toEqual(['[UNK]']);
  });

  test('binary junk is refused as not text', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    let seed = 7;
    const junk = Buffer.from(
      Array.from({ length: 64 * 1024 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24),
    );
    await page
      .getByTestId('vocab.file')
      .setInputFiles({ name: 'junk.bin', mimeType: 'application/octet-stream', buffer: junk });
    await expect(vocab.error).toContainText('does not look like text');
    await expect(vocab.corpus).toContainText('built in');
  });

  test('a 50 MB file is refused before it is read', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    // The file is made in the page: sending 50 MB through setInputFiles costs ~25 s here, and the
    // app sees the same File either way.
    await page.getByTestId('vocab.file').evaluate((input: HTMLInputElement) => {
      const text = new Uint8Array(50_000_000).fill(0x61); // 'a'
      const files = new DataTransfer();
      files.items.add(new File([text], 'big.txt', { type: 'text/plain' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect(vocab.error).toContainText('The corpus is 50.0 MB; the lab trains on up to 5.0 MB');
    await vocab.run('1');
    await expect(vocab.step).toHaveText('1');
  });
});
