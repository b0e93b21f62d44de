import { expect, test } from '@playwright/test';

/**
 * The "What the rows learned" API of window.bertLab (issue 20): neighbours(piece, k) and
 * positionCosines(), computed in the training Worker, checked against the engine's own rows read
 * through tokenTables() and trace(), with the cosines computed here by the test's own code.
 */

test.describe('window.bertLab: what the rows learned', () => {
  test.setTimeout(180_000);

  test.beforeEach(async ({ page }) => {
    await page.goto('./');
    await page.waitForFunction(() => window.bertLab !== undefined);
    // The default model (lab preset: bert-base-uncased's 30,522 rows) on wasm, a few steps in.
    await page.evaluate(() => window.bertLab!.start({ backend: 'wasm' }));
    await page.evaluate(() => window.bertLab!.step(12));
  });

  test("neighbours('the', 5) are the five rows of highest centred cosine, by E_token's own numbers", async ({
    page,
  }) => {
    const result = await page.evaluate(async () => {
      const lab = window.bertLab!;
      const listed = await lab.neighbours('the', 5);
      const { step, vocabSize: V, hidden: H, token } = await lab.tokenTables();
      const the = (await lab.trace('the')).inputIds as number[];
      const q = the[1]!;
      // Centred: every row minus the mean row of all V rows.
      const mean = new Float64Array(H);
      for (let i = 0; i < V * H; i++) mean[i % H]! += token[i]! / V;
      const centred = (r: number) => Array.from({ length: H }, (_, c) => token[r * H + c]! - mean[c]!);
      const x = centred(q);
      const nx = Math.hypot(...x);
      const all: { id: number; cosine: number }[] = [];
      for (let r = 0; r < V; r++) {
        if (r === q) continue;
        const y = centred(r);
        const ny = Math.hypot(...y);
        const dot = x.reduce((s, v, c) => s + v * y[c]!, 0);
        all.push({ id: r, cosine: nx > 0 && ny > 0 ? dot / (nx * ny) : 0 });
      }
      all.sort((a, b) => b.cosine - a.cosine || a.id - b.id);
      return { step, listed, top: all.slice(0, 5) };
    });
    expect(result.step).toBe(12);
    expect(result.listed).toHaveLength(5);
    expect(result.listed.map((n) => n.id)).toEqual(result.top.map((n) => n.id));
    result.listed.forEach((n, i) => expect(Math.abs(n.cosine - result.top[i]!.cosine)).toBeLessThan(1e-5));
    expect(result.listed.every((n) => typeof n.piece === 'string' && n.piece !== 'the')).toBe(true);
  });

  test("positionCosines() are the cosines of the trace's position rows", async ({ page }) => {
    const result = await page.evaluate(async () => {
      const lab = window.bertLab!;
      const cosines = await lab.positionCosines();
      const t = await lab.trace(
        'the baker sold warm bread to the people of the town',
        'it was a cold morning.',
      );
      const H = t.hidden as number;
      const rows = t.positionEmbedding as number[];
      const T = rows.length / H;
      const row = (i: number) => rows.slice(i * H, (i + 1) * H);
      const worst = { diff: 0, pairs: 0 };
      for (let i = 0; i < T; i++)
        for (let j = 0; j < T; j++) {
          const [a, b] = [row(i), row(j)];
          const dot = a.reduce((s, v, c) => s + v * b[c]!, 0);
          const cosine = dot / (Math.hypot(...a) * Math.hypot(...b));
          worst.diff = Math.max(worst.diff, Math.abs(cosine - cosines[i]![j]!));
          worst.pairs++;
        }
      const P = (lab.snapshot().config as { maxPositions: number }).maxPositions;
      return { worst, T, P, shape: [cosines.length, cosines[0]!.length] };
    });
    expect(result.T).toBeGreaterThan(16);
    expect(result.shape).toEqual([result.P, result.P]);
    expect(result.worst.pairs).toBe(result.T * result.T);
    expect(result.worst.diff).toBeLessThan(1e-5);
  });

  test('a piece not in the vocabulary, or k out of bounds, is refused with a clear message', async ({
    page,
  }) => {
    const errors = await page.evaluate(async () => {
      const lab = window.bertLab!;
      const failure = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: Error) => e.message,
        );
      return [await failure(lab.neighbours('Zzqx-not-a-piece', 5)), await failure(lab.neighbours('the', 0))];
    });
    expect(errors[0]).toMatch(/is not a piece of this model's vocabulary/);
    expect(errors[1]).toMatch(/whole number from 1 to 50, not 0/);
  });
});
