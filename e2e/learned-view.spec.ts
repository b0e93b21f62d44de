import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

/**
 * The "What the rows learned" view (issue 20) on the default model (lab preset, bert-base-uncased's
 * 30,522 rows) on wasm: what it lists and reads out equals cosines this test computes itself from
 * the engine's rows (tokenTables() and trace()); bad pieces get a message; links and embeds carry it.
 */

/** The view's own number format: 3 decimals, a real minus sign. */
const num = (x: number) => {
  const s = Math.abs(x).toFixed(3);
  return x < 0 && Number(s) !== 0 ? `−${s}` : s;
};

async function openTrained(page: Page, steps: number): Promise<void> {
  await page.goto('./');
  await page.waitForFunction(() => window.bertLab !== undefined);
  await expect(page.getByTestId('pack.token').first()).toBeVisible();
  await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
  await page.evaluate((n) => window.bertLab!.step(n), steps);
  await page.getByTestId('nav.learned').click();
  await expect(page.getByTestId('learned.view')).toHaveAttribute('data-step', String(steps), {
    timeout: 60_000,
  });
}

test.describe('Learned rows view', () => {
  test.setTimeout(180_000);

  test("each listed neighbour's cosine is the centred cosine of E_token's rows, and the heatmap reads the trace's position rows", async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openTrained(page, 12);
    // One step by hand: the map's dots glide (a d3 transition) to the new step's places.
    await page.getByTestId('learned.step').click();
    await expect(page.getByTestId('learned.view')).toHaveAttribute('data-step', '13');
    const list = page.getByTestId('learned.neighbours');
    await expect(list).toHaveAttribute('data-focus', 'the');
    await expect(list).toHaveAttribute('data-step', '13');
    const listed = await list.locator('button[data-cosine]').evaluateAll((els) =>
      els.map((el) => ({
        id: Number(el.getAttribute('data-id')),
        cosine: Number(el.getAttribute('data-cosine')),
      })),
    );
    expect(listed).toHaveLength(10);
    const computed = await page.evaluate(
      async (ids) => {
        const lab = window.bertLab!;
        const { vocabSize: V, hidden: H, token } = await lab.tokenTables();
        const q = ((await lab.trace('the')).inputIds as number[])[1]!;
        // Centred: the column means of E_token subtracted from both rows.
        const mean = new Float64Array(H);
        for (let i = 0; i < V * H; i++) mean[i % H]! += token[i]! / V;
        const row = (r: number) => Array.from({ length: H }, (_, c) => token[r * H + c]! - mean[c]!);
        const x = row(q);
        return ids.map((id) => {
          const y = row(id);
          const dot = x.reduce((s, v, c) => s + v * y[c]!, 0);
          return dot / (Math.hypot(...x) * Math.hypot(...y));
        });
      },
      listed.map((n) => n.id),
    );
    listed.forEach((n, i) => expect(Math.abs(n.cosine - computed[i]!)).toBeLessThan(1e-3));
    // Highest first, as the view says.
    for (let i = 1; i < listed.length; i++)
      expect(listed[i]!.cosine).toBeLessThanOrEqual(listed[i - 1]!.cosine);

    // The counts sentence is the listed rows' own corpus counts, and "All 10 occur in the corpus"
    // only when each of them does.
    const counts = await list
      .locator('button[data-count]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
    const sorted = [...counts].sort((a, b) => a - b);
    const median = (sorted[4]! + sorted[5]!) / 2;
    const said = page.getByTestId('learned.neighbour-counts');
    await expect(said).toContainText(`a median of ${median.toLocaleString('en-US')} times`);
    if (((await said.textContent()) ?? '').includes('All 10 occur in the corpus'))
      expect(counts.every((c) => c > 0)).toBe(true);

    // The read cell moves with the arrow keys: from (1, 2) to (3, 5).
    const heat = page.getByTestId('learned.positions');
    await heat.focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowRight'])
      await heat.press(key);
    await expect(heat).toHaveAttribute('data-i', '3');
    await expect(heat).toHaveAttribute('data-j', '5');
    const shown = Number(await heat.getAttribute('data-cosine'));
    const fromTrace = await page.evaluate(async () => {
      const t = await window.bertLab!.trace('the baker sold warm bread', 'it was cold.');
      const H = t.hidden as number;
      const rows = t.positionEmbedding as number[];
      const [a, b] = [rows.slice(3 * H, 4 * H), rows.slice(5 * H, 6 * H)];
      const dot = a.reduce((s, v, c) => s + v * b[c]!, 0);
      return dot / (Math.hypot(...a) * Math.hypot(...b));
    });
    expect(Math.abs(shown - fromTrace)).toBeLessThan(1e-3);
    await expect(page.getByTestId('learned.positions.readout')).toContainText(num(fromTrace));

    // The band sentence gives the mean cosine of neighbouring looked-up rows 1..T−1.
    const adjacent = await page.evaluate(async () => {
      const c = await window.bertLab!.positionCosines();
      const T = window.bertLab!.snapshot().settings.seqLength;
      let sum = 0;
      for (let i = 1; i + 1 < T; i++) sum += c[i]![i + 1]!;
      return sum / (T - 2);
    });
    await expect(page.getByTestId('learned.band')).toContainText(`mean cosine of ${num(adjacent)}`);
    expect(errors).toEqual([]);
  });

  test('the JSON export is the report on show; the heatmap exports as a PNG', async ({ page }) => {
    await openTrained(page, 3);
    const download = async (action: string) => {
      await page.getByTestId('export.learned.toggle').click();
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`export.${action}`).click(),
      ]);
      return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
    };
    const json = await download('learned.json');
    expect(json.name).toBe('bert-lab-learned-report.json');
    const data = JSON.parse(json.bytes.toString('utf8')) as {
      step: number;
      positions: { count: number; cosines: number[][] };
      neighbours: { pieces: { piece: string; neighbours: { id: number; cosine: number }[] }[] };
      vocabMap: { points: { pc1: number }[] };
    };
    expect(data.step).toBe(3);
    // The map's frequency sentence: the rank correlation of the 300 most frequent pieces' PC1 with
    // their frequency order (the report lists them most frequent first), shown when |ρ| ≥ 0.5.
    const pc1 = data.vocabMap.points.slice(0, 300).map((p) => p.pc1);
    const order = pc1.map((_, i) => i).sort((a, b) => pc1[a]! - pc1[b]! || a - b);
    const d2 = order.reduce((sum, i, rank) => sum + (rank - i) ** 2, 0);
    const rho = 1 - (6 * d2) / (pc1.length * (pc1.length ** 2 - 1));
    const note = page.getByTestId('learned.map-frequency');
    if (Math.abs(rho) >= 0.5) await expect(note).toContainText(`is ${Math.abs(rho).toFixed(2)}`);
    else await expect(note).toHaveCount(0);
    expect(data.positions.cosines).toHaveLength(data.positions.count);
    const shown = await page
      .getByTestId('learned.neighbours')
      .locator('button[data-cosine]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))));
    expect(data.neighbours.pieces[0]!.neighbours.map((n) => n.id)).toEqual(shown);
    const png = await download('learned.positions.png');
    expect(png.name).toBe('bert-lab-learned-positions-step-3.png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  test('the micro preset drops picks its own vocabulary lacks, and says so', async ({ page }) => {
    await page.goto('./?view=learned');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await expect(page.getByTestId('pack.token').first()).toBeAttached();
    // A piece of bert-base-uncased that micro's own 1,000-odd pieces, learned from the corpus, lack.
    await page.getByTestId('learned.piece-input').fill('[unused5]');
    await page.getByTestId('learned.piece-add').click();
    await expect(page.locator('[data-testid="learned.pick"][data-piece="[unused5]"]')).toBeVisible();
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await expect(page.getByTestId('learned.dropped')).toContainText('“[unused5]” is not in this model');
    await expect(page.locator('[data-testid="learned.pick"][data-piece="[unused5]"]')).toHaveCount(0);
    await expect(page.getByTestId('learned.view')).toHaveAttribute('data-step', '0', { timeout: 60_000 });
  });

  test('a piece not in the vocabulary gets a message; a real one becomes the focus', async ({ page }) => {
    await page.goto('./?view=learned');
    // Pieces are checked against bert-base-uncased once it has loaded (Tokenize & Pack shows it).
    await expect(page.getByTestId('pack.token').first()).toBeAttached();
    const input = page.getByTestId('learned.piece-input');
    await input.fill('Xyzzyplugh');
    await page.getByTestId('learned.piece-add').click();
    await expect(page.getByTestId('learned.piece-error')).toHaveAttribute('role', 'alert');
    await expect(page.getByTestId('learned.piece-error')).toContainText('is not a piece of this model');
    await input.fill('Three');
    await input.press('Enter');
    await expect(page.getByTestId('learned.piece-error')).toContainText('Try “three”');
    await input.fill('three');
    await input.press('Enter');
    await expect(page.getByTestId('learned.piece-error')).toHaveCount(0);
    await expect(page.locator('[data-testid="learned.pick"][data-piece="three"]')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  test('the share link carries the picks, focus, k and raw cosine, and a reload restores them', async ({
    page,
  }) => {
    await page.goto('./?view=learned');
    const input = page.getByTestId('learned.piece-input');
    await input.fill('##ing');
    await input.press('Enter');
    await page.locator('[data-testid="learned.unpick"]').first().click(); // drops "the"
    await page.getByTestId('learned.k').fill('7');
    await page.getByTestId('learned.raw').check();
    await expect(page).toHaveURL(/view=learned/);
    await expect(page).toHaveURL(/picks=he\+two\+%23%23s\+%23%23ing/);
    await expect(page).toHaveURL(/focus=%23%23ing/);
    // The address follows the page a moment later: reload only once all four are in it.
    await expect(page).toHaveURL(/[?&]k=7(&|$)/);
    await expect(page).toHaveURL(/[?&]centred=0(&|$)/);
    await page.reload();
    const picks = page.getByTestId('learned.pick');
    await expect(picks).toHaveCount(4);
    expect(await picks.evaluateAll((els) => els.map((el) => el.getAttribute('data-piece')))).toEqual([
      'he',
      'two',
      '##s',
      '##ing',
    ]);
    await expect(page.locator('[data-testid="learned.pick"][data-piece="##ing"]')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.getByTestId('learned.k')).toHaveValue('7');
    await expect(page.getByTestId('learned.raw')).toBeChecked();
  });

  test('"Nearest rows" in the Pack inspector picks the piece and opens the view', async ({ page }) => {
    await page.goto('./');
    const token = page.getByTestId('pack.token').nth(1);
    await token.focus();
    const piece = await page.getByTestId('pack.nearest-rows').getAttribute('data-piece');
    expect(piece).toBeTruthy();
    await page.getByTestId('pack.nearest-rows').click();
    await expect(page.getByTestId('nav.learned')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-testid="learned.pick"][data-piece="${piece}"]`)).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  test('a chip of the Training batch and the Embedding sum\'s "Nearest rows" open the view on that piece', async ({
    page,
  }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    await expect(page.getByTestId('pack.token').first()).toBeVisible();
    await page.evaluate(() => window.bertLab!.start({ preset: 'micro', backend: 'wasm' }));
    await page.evaluate(() => window.bertLab!.step(1));
    await page.getByTestId('nav.train').click();
    const chip = page.locator('[data-testid="train.current-batch"] .bchip[data-piece]').nth(3);
    const piece = await chip.getAttribute('data-piece');
    await chip.click();
    await expect(page.getByTestId('nav.learned')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-testid="learned.pick"][data-piece="${piece}"]`)).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await page.getByTestId('nav.sum').click();
    const nearest = page.getByTestId('sum.nearest-rows');
    const summed = await nearest.getAttribute('data-piece');
    await nearest.click();
    await expect(page.getByTestId('nav.learned')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-testid="learned.pick"][data-piece="${summed}"]`)).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  test('at 320 px the view, its lists and maps drawn, never scrolls sideways', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    await openTrained(page, 2);
    await expect(page.getByTestId('learned.neighbours')).toBeVisible();
    await expect(page.getByTestId('learned.vocab-map').locator('circle').first()).toBeAttached();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  });

  test('?embed=learned shows the view, started on its own; hide=picks hides the piece box', async ({
    page,
  }) => {
    await page.goto('./?embed=learned&hide=picks');
    await expect(page.getByTestId('embed.view-learned')).toBeVisible();
    await expect(page.getByTestId('embed.view-name')).toHaveText('Learned rows');
    await expect(page.getByTestId('learned.neighbours')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('learned.positions')).toHaveAttribute('data-count', '128');
    await expect(page.getByTestId('learned.piece-input')).toBeHidden();
    await expect(page.getByTestId('learned.k')).toBeVisible();
  });
});
