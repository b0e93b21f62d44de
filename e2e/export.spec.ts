import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PackPage } from './pages/PackPage';
import { TrainPage } from './pages/TrainPage';
import { VocabPage } from './pages/VocabPage';

type View = 'pack' | 'vocab' | 'train' | 'sum';

interface Downloaded {
  readonly name: string;
  readonly bytes: Buffer;
  readonly text: string;
}

/** Opens the view's export menu, picks one action and reads the file it downloads. */
async function exportFile(page: Page, view: View, action: string): Promise<Downloaded> {
  const toggle = page.getByTestId(`export.${view}.toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const item = page.getByTestId(`export.${action}`);
  await expect(item).not.toHaveAttribute('aria-disabled', 'true');
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  const bytes = await readFile((await download.path())!);
  await expect(page.getByTestId(`export.${view}.status`)).toContainText(
    `Saved ${download.suggestedFilename()}`,
  );
  // For looking at: E2E_EXPORT_SAMPLES=/tmp/dir keeps a copy of every exported file.
  const samples = process.env.E2E_EXPORT_SAMPLES;
  if (samples) {
    await mkdir(samples, { recursive: true });
    await writeFile(join(samples, download.suggestedFilename()), bytes);
  }
  return { name: download.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the PNG's IHDR chunk, after checking the signature. */
function pngSize(file: Downloaded): { width: number; height: number } {
  expect([...file.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(file.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(file.bytes.length).toBeGreaterThan(1000);
  return { width: file.bytes.readUInt32BE(16), height: file.bytes.readUInt32BE(20) };
}

interface SvgFacts {
  readonly ok: boolean;
  readonly width: number;
  readonly height: number;
  readonly viewBox: string | null;
  readonly texts: string[];
  readonly tokenIds: number[];
  readonly rects: number;
  readonly styled: number;
}

/** Parses the SVG as an XML document in the page, as another program would read the file. */
async function svgFacts(page: Page, file: Downloaded): Promise<SvgFacts> {
  expect(file.text.startsWith('<?xml')).toBe(true);
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    return {
      ok: svg.nodeName === 'svg' && !doc.querySelector('parsererror'),
      width: Number(svg.getAttribute('width')),
      height: Number(svg.getAttribute('height')),
      viewBox: svg.getAttribute('viewBox'),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      tokenIds: [...doc.querySelectorAll('g[data-token-id]')].map((g) =>
        Number(g.getAttribute('data-token-id')),
      ),
      rects: doc.querySelectorAll('rect').length,
      styled: doc.querySelectorAll('[style]').length,
    };
  }, file.text);
}

/** The element that says why an action is disabled (its aria-describedby). */
function reasonOf(page: Page, testId: string) {
  return page.locator(`xpath=//*[@id=//*[@data-testid="${testId}"]/@aria-describedby]`);
}

/** Data lines of a CSV without line breaks inside cells; the header first. */
const csvLines = (file: Downloaded) => file.text.trimEnd().split('\r\n');

test.describe('export: every view, every format', () => {
  test.describe.configure({ timeout: 120_000 });

  test('Tokenize & Pack: PNG, SVG, JSON and CSV of the packed sequence', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    await pack.setPair('The lab, “naïveté” and =SUM(A1).', 'Rare words split into pieces.', 24);
    const chips = await pack.chipFacts();

    const json = await exportFile(page, 'pack', 'pack.json');
    expect(json.name).toBe('bert-lab-pack-sequence.json');
    const data = JSON.parse(json.text);
    expect(data).toMatchObject({ format: 'bert-embedding-lab/pack-sequence', version: 1, view: 'pack' });
    expect(data.maxLength).toBe(24);
    expect(data.sentenceA).toBe('The lab, “naïveté” and =SUM(A1).');
    expect(data.inputIds).toEqual(chips.map((c) => c.id));
    expect(data.tokenTypeIds).toEqual(chips.map((c) => c.segment));
    expect(data.attentionMask).toEqual(chips.map((c) => c.attention));

    const csv = await exportFile(page, 'pack', 'pack.csv');
    const lines = csvLines(csv);
    expect(lines[0]).toBe('position,token,input_id,token_type_id,attention_mask,kind,sentence');
    expect(lines).toHaveLength(chips.length + 1);
    expect(lines).toContain(`${chips.findIndex((c) => c.token === ',')},",",1010,0,1,piece,A`);
    // The formula-looking "=" piece is defused with a leading apostrophe.
    expect(lines.some((l) => /,'=,/.test(l))).toBe(true);

    const svgFile = await exportFile(page, 'pack', 'pack.svg');
    const svg = await svgFacts(page, svgFile);
    expect(svg.ok).toBe(true);
    expect(svg.viewBox).toBe(`0 0 ${svg.width} ${svg.height}`);
    expect(svg.tokenIds).toEqual(chips.map((c) => c.id));
    expect(svg.texts).toContain('naive');
    expect(svg.texts.some((t) => t.includes(`${chips.length} slots`))).toBe(true);

    const png = pngSize(await exportFile(page, 'pack', 'pack.png'));
    expect(png).toEqual({ width: svg.width * 2, height: svg.height * 2 });
  });

  test('Vocabulary: the growth chart, the vocabulary and the merges', async ({ page }) => {
    const vocab = new VocabPage(page);
    await vocab.open();
    await expect(page.getByTestId('export.vocab.merges.csv')).toHaveAttribute('aria-disabled', 'true');
    await vocab.run('10');
    const size = await vocab.number(vocab.size);

    const json = JSON.parse((await exportFile(page, 'vocab', 'vocab.json')).text);
    expect(json.format).toBe('bert-embedding-lab/vocabulary');
    expect(json.vocabulary).toHaveLength(size);
    expect(json.merges).toHaveLength(10);
    expect(json.corpus.name).toContain('built in');

    const tokens = await exportFile(page, 'vocab', 'vocab.csv');
    expect(tokens.name).toBe('bert-lab-vocab-tokens.csv');
    expect(csvLines(tokens)).toHaveLength(size + 1);
    expect(csvLines(tokens)[1]).toBe('0,[PAD],special,,,,,');
    const merges = csvLines(await exportFile(page, 'vocab', 'vocab.merges.csv'));
    expect(merges).toHaveLength(11);
    expect(merges[10]!.split(',')[3]).toBe(json.merges[9].token);

    const svg = await svgFacts(page, await exportFile(page, 'vocab', 'vocab.svg'));
    expect(svg.ok).toBe(true);
    expect(svg.texts).toContain('pieces per word');
    expect(svg.texts).toContain('vocabulary size');
    expect(svg.styled).toBeGreaterThan(5);
    const png = pngSize(await exportFile(page, 'vocab', 'vocab.png'));
    expect(png).toEqual({ width: svg.width * 2, height: svg.height * 2 });
  });

  test('Training and Embedding sum: map, curves, reports, counters and the model’s own trace', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'adam' });
    await expect(page.getByTestId('export.train.json')).toHaveAttribute('aria-disabled', 'true');
    await page.getByTestId('export.train.toggle').click();
    await expect(reasonOf(page, 'export.train.json')).toHaveText(/train at least one step/);
    await page.keyboard.press('Escape');

    const snapshot = await train.step(2);
    await expect(train.stepCount).toHaveText('2');
    const V = (snapshot.config as { vocabSize: number }).vocabSize;

    const json = JSON.parse((await exportFile(page, 'train', 'train.json')).text);
    expect(json).toMatchObject({ format: 'bert-embedding-lab/training-run', step: 2, backend: 'wasm' });
    expect(json.settings).toMatchObject({ preset: 'micro', seed: 42, optimizer: 'adam' });
    expect(json.lossHistory.map((p: { step: number }) => p.step)).toEqual([1, 2]);
    expect(json.lastReport.loss.mlm).toBe(snapshot.report!.loss.mlm);
    expect(json.lastReport.lookupRows).toEqual(snapshot.report!.lookupRows);
    expect(json.rowCounters.byCause.lookup).toHaveLength(V);
    expect(json.stepCounts.at(-1).lookup).toBe(
      Number(await page.getByTestId('train.rows-lookup').getAttribute('data-count')),
    );

    const loss = csvLines(await exportFile(page, 'train', 'train.csv'));
    expect(loss).toHaveLength(3);
    expect(Number(loss[2]!.split(',')[1])).toBe(snapshot.report!.loss.mlm);
    const rows = csvLines(await exportFile(page, 'train', 'train.rows.csv'));
    expect(rows).toHaveLength(V + 1);

    const map = await exportFile(page, 'train', 'train.png');
    expect(map.name).toBe('bert-lab-train-row-map.png');
    // One canvas pixel per row, enlarged by a whole factor to at least twice its size on screen,
    // under a caption band.
    const canvas = await train.map.evaluate((c: HTMLCanvasElement) => ({
      width: c.width,
      height: c.height,
      css: c.clientWidth,
    }));
    const mapSize = pngSize(map);
    const k = mapSize.width / canvas.width;
    expect(Number.isInteger(k)).toBe(true);
    expect(mapSize.width).toBeGreaterThanOrEqual(Math.min(canvas.css, 640) * 2);
    expect(mapSize.height).toBeGreaterThan(canvas.height * k);

    const curves = await exportFile(page, 'train', 'train.svg');
    const svg = await svgFacts(page, curves);
    expect(svg.ok).toBe(true);
    expect(svg.texts.some((t) => t.startsWith('Loss and accuracy, steps 1–2'))).toBe(true);
    // The stylesheet's stroke for the MLM curve travels inside the file.
    expect(curves.text).toMatch(/class="series"[^>]*style="[^"]*stroke:rgb\(/);
    expect(pngSize(await exportFile(page, 'train', 'train.loss.png'))).toEqual({
      width: svg.width * 2,
      height: svg.height * 2,
    });
    const frequency = await svgFacts(page, await exportFile(page, 'train', 'train.frequency.svg'));
    expect(frequency.ok).toBe(true);
    pngSize(await exportFile(page, 'train', 'train.frequency.png'));

    // The Embedding sum view reads the same model, at step 2.
    await page.getByTestId('nav.sum').click();
    await expect(page.getByTestId('sum.view')).toHaveAttribute('data-step', '2');
    const T = await page.getByTestId('sum.chip').count();
    const sum = JSON.parse((await exportFile(page, 'sum', 'sum.json')).text);
    expect(sum).toMatchObject({ format: 'bert-embedding-lab/embedding-sum', step: 2, backend: 'wasm' });
    expect(sum.positions).toHaveLength(T);
    const H = sum.hidden as number;
    const position = Number(await page.getByTestId('sum.position').getAttribute('data-position'));
    const shown = JSON.parse((await page.getByTestId('sum.total').getAttribute('data-values'))!) as number[];
    const exported = sum.positions[position];
    shown.forEach((x, j) => expect(exported.sum[j]).toBeCloseTo(x, 5));
    exported.sum.forEach((x: number, j: number) =>
      expect(x).toBeCloseTo(
        exported.tokenEmbedding[j] + exported.segmentEmbedding[j] + exported.positionEmbedding[j],
        5,
      ),
    );
    expect(exported.layerNormOutput).toHaveLength(H);

    const table = csvLines(await exportFile(page, 'sum', 'sum.csv'));
    expect(table).toHaveLength(T * H + 1);
    expect(table[0]).toMatch(/^position,token,token_id,token_type_id,column,token_embedding/);

    const matrix = await exportFile(page, 'sum', 'sum.png');
    const matrixCanvas = await page
      .getByTestId('sum.matrix')
      .evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
    const matrixSize = pngSize(matrix);
    expect(matrixSize.width).toBe(matrixCanvas.width);
    expect(matrixSize.height).toBeGreaterThan(matrixCanvas.height);

    const positionSvg = await svgFacts(page, await exportFile(page, 'sum', 'sum.svg'));
    expect(positionSvg.ok).toBe(true);
    expect(positionSvg.texts.some((t) => t.startsWith(`Position ${position}:`))).toBe(true);
    expect(positionSvg.texts).toContain('= LayerNorm output');
    // Eight strips of H cells and two scale keys of 41, plus the backgrounds.
    expect(positionSvg.rects).toBeGreaterThanOrEqual(8 * H + 2 * 41);
    expect(pngSize(await exportFile(page, 'sum', 'sum.position.png'))).toEqual({
      width: positionSvg.width * 2,
      height: positionSvg.height * 2,
    });
  });

  test('the menu is a keyboard-operable disclosure', async ({ page }) => {
    const pack = new PackPage(page);
    await pack.open();
    const toggle = page.getByTestId('export.pack.toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('export.pack.png')).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.getByTestId('export.pack.csv')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('export.pack.png')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(toggle).toBeFocused();

    // Enter on a focused action downloads its file.
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('export.pack.png')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('bert-lab-pack-sequence.json');

    // An input the packer refuses leaves nothing to export, and says why.
    await pack.maxLength.fill('1');
    await toggle.click();
    await expect(page.getByTestId('export.pack.json')).toHaveAttribute('aria-disabled', 'true');
    await expect(reasonOf(page, 'export.pack.json')).toHaveText(/fix the input/);
    // Pressing it starts nothing: an export that ran would say "Making JSON…" at once, then close
    // the menu. Escape, handled after Enter, closing the menu shows that Enter was handled.
    let downloads = 0;
    page.on('download', () => downloads++);
    const status = page.getByTestId('export.pack.status');
    const before = await status.textContent();
    await page.getByTestId('export.pack.json').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('export.pack.json')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export.pack.json')).toBeHidden();
    await expect(status).toHaveText(before ?? '');
    expect(downloads).toBe(0);
  });
});
