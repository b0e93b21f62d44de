import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { TrainPage, unfold } from './pages/TrainPage';

/** Saved sessions: IndexedDB persistence, reload, export and import, and two tabs. */

const sessions = (page: Page) => page.evaluate(() => window.bertLab!.sessions());
const history = (page: Page) => page.evaluate(() => window.bertLab!.trainingHistory());
const savedStep = (page: Page) => page.getByTestId('sessions.status');

/** The default model, bert-base-uncased's 30,522 rows, with a batch small enough for a quick step. */
const LAB = { preset: 'lab', optimizer: 'adam', batchSize: 4, seqLength: 16 } as const;

/** Trains `steps` steps (of micro, unless told) on wasm and waits for the autosave to write them. */
async function trainAndSave(
  page: Page,
  steps: number,
  settings: Parameters<TrainPage['start']>[0] = { optimizer: 'adam' },
): Promise<void> {
  const train = new TrainPage(page);
  await train.start(settings);
  await train.step(steps);
  await expect(train.stepCount).toHaveText(String(steps));
  // Autosave, not a forced save: within the 2 s interval, without a click.
  await expect(savedStep(page)).toHaveAttribute('data-saved-step', String(steps));
}

/** Exports the current session through the Export button and returns the file's bytes. */
async function exportCurrent(page: Page): Promise<Buffer> {
  await unfold(page, 'sessions.details');
  const item = page.locator('[data-testid="sessions.item"][data-current="true"]');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.getByTestId('sessions.export').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.bertlab$/);
  return readFileSync((await download.path())!);
}

test.describe('saved sessions', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a reload continues where training was (the default model): step, loss history, and the same next step', async ({
    page,
  }) => {
    const train = new TrainPage(page);
    // The uninterrupted run, for reference.
    await train.start(LAB);
    const reference = await train.step(4);
    expect((reference.config as { vocabSize: number }).vocabSize).toBe(30_522);
    const expectedHistory = await history(page);
    expect(expectedHistory).toHaveLength(4);

    // The same run again, interrupted by a reload after step 3.
    await trainAndSave(page, 3, LAB);
    const before = await sessions(page);
    await page.reload();
    await page.getByTestId('nav.train').click();
    await expect(page.getByTestId('sessions.resumed')).toContainText(
      `Resumed “${before.current!.name}” at step 3`,
    );
    await expect(train.stepCount).toHaveText('3');
    expect((await sessions(page)).current).toMatchObject({ id: before.current!.id, readOnly: false });
    const restored = await history(page);
    expect(restored.map((p) => p.step)).toEqual([1, 2, 3]);
    restored.forEach((p, i) => expect(p.total).toBe(expectedHistory[i]!.total));
    // The last step's report is back too: the view's loss and row counts show it.
    await expect(page.getByTestId('train.mlm-loss')).toHaveText(expectedHistory[2]!.mlm.toFixed(3));

    const next = await train.step(1);
    await expect(train.stepCount).toHaveText('4');
    expect(Math.abs(next.report!.loss.total - reference.report!.loss.total)).toBeLessThan(1e-5);
    expect(next.report!.batch.inputIds).toEqual(reference.report!.batch.inputIds);
    // The restored model holds exactly the tensors of the uninterrupted one: nothing leaked.
    expect(next.numTensors).toBe(reference.numTensors);
    expect(await history(page)).toHaveLength(4);
    await expect(savedStep(page)).toHaveAttribute('data-saved-step', '4');

    // "Start fresh" trains a new session from the seed; the resumed one stays saved.
    await page.getByTestId('sessions.fresh').click();
    await expect(train.stepCount).toHaveText('0');
    const after = await sessions(page);
    expect(after.current!.id).not.toBe(before.current!.id);
    expect(after.list.find((m) => m.id === before.current!.id)?.step).toBe(4);
  });

  test('a link that carries a training recipe trains that, not the saved session', async ({ page }) => {
    await trainAndSave(page, 3);
    const saved = (await sessions(page)).current!;
    await page.goto('./?view=train&preset=micro&seed=7&opt=sgd&step=2');
    await expect(page.getByTestId('train.step-count')).toHaveText('2', { timeout: 60_000 });
    await expect(page.getByTestId('sessions.resumed')).toHaveCount(0);
    expect((await page.evaluate(() => window.bertLab!.snapshot())).settings).toMatchObject({
      seed: 7,
      optimizer: 'sgd',
    });
    const after = await sessions(page);
    expect(after.current!.id).not.toBe(saved.id);
    expect(after.list.find((m) => m.id === saved.id)?.step).toBe(3);
  });

  test('old automatically named sessions are pruned to the last 5; named ones are kept', async ({ page }) => {
    await trainAndSave(page, 1);
    await page.evaluate(() => window.bertLab!.saveSession('Keep me'));
    const ids: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      await page.evaluate((s) => window.bertLab!.start({ preset: 'micro', backend: 'wasm', seed: s }), seed);
      await page.evaluate(() => window.bertLab!.step(1));
      ids.push((await page.evaluate(() => window.bertLab!.saveSession())).current!.id);
    }
    const list = await sessions(page);
    expect(list.list.map((m) => m.name)).toContain('Keep me');
    // The first automatic one went; the 5 latest stay.
    expect(list.list.map((m) => m.id).sort()).toEqual(
      [...ids.slice(1), list.list.find((m) => m.name === 'Keep me')!.id].sort(),
    );
  });

  test('playing saves as it goes, and pausing saves the last step at once', async ({ page }) => {
    const train = new TrainPage(page);
    await train.start({ optimizer: 'adam' });
    await page.getByLabel('steps/s').fill('20');
    await page.getByTestId('train.play').click();
    // Saved while playing, without a pause: the autosave runs between steps.
    await expect
      .poll(async () => Number(await savedStep(page).getAttribute('data-saved-step')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect.poll(async () => Number(await train.stepCount.textContent())).toBeGreaterThan(40);
    await page.getByTestId('train.pause').click();
    await expect(page.getByTestId('train.play')).toBeVisible();
    const step = await train.stepCount.textContent();
    await expect(savedStep(page)).toHaveAttribute('data-saved-step', step!);
    expect((await sessions(page)).list[0]!.step).toBe(Number(step));
  });

  test('export to a file, import it back as a new session, load it; delete asks first', async ({ page }) => {
    await trainAndSave(page, 2);
    const bytes = await exportCurrent(page);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x42, 0x4c, 0x53, 0x0d, 0x0a, 0x1a, 0x0a]);
    const original = (await sessions(page)).current!;

    await page.getByTestId('sessions.import').setInputFiles({
      name: 'exported.bertlab',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    await expect(page.getByTestId('sessions.notice')).toContainText('as a new session');
    const list = (await sessions(page)).list;
    expect(list).toHaveLength(2);
    const imported = list.find((m) => m.id !== original.id)!;
    expect(imported).toMatchObject({ name: `${original.name} (imported)`, step: 2, preset: 'micro' });

    const item = page.locator(`[data-testid="sessions.item"][data-id="${imported.id}"]`);
    await item.getByTestId('sessions.load').click();
    await expect(page.getByTestId('sessions.resumed')).toContainText('at step 2');
    await expect(page.locator('[data-testid="sessions.item"][data-current="true"]')).toHaveAttribute(
      'data-id',
      imported.id,
    );
    expect((await history(page)).map((p) => p.step)).toEqual([1, 2]);

    // Rename with the keyboard alone: the field takes focus, Enter renames.
    await item.getByTestId('sessions.rename').focus();
    await page.keyboard.press('Enter');
    await expect(item.getByTestId('sessions.rename-input')).toBeFocused();
    await page.keyboard.type('Imported and renamed');
    await page.keyboard.press('Enter');
    await expect(item.getByTestId('sessions.item-name')).toHaveText('Imported and renamed');
    expect((await sessions(page)).current!.name).toBe('Imported and renamed');

    // Delete the original: an in-page question, no dialog; "Keep it" keeps it.
    page.on('dialog', () => {
      throw new Error('Deleting must not open a browser dialog.');
    });
    const originalItem = page.locator(`[data-testid="sessions.item"][data-id="${original.id}"]`);
    await originalItem.getByTestId('sessions.delete').click();
    await expect(originalItem.getByTestId('sessions.cancel-delete')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(originalItem).toBeVisible();
    await originalItem.getByTestId('sessions.delete').click();
    await originalItem.getByTestId('sessions.confirm-delete').click();
    await expect(originalItem).toHaveCount(0);
    expect((await sessions(page)).list.map((m) => m.id)).toEqual([imported.id]);
  });

  test('a corrupted, foreign or newer file gets a clear error, and nothing is lost', async ({ page }) => {
    await trainAndSave(page, 2);
    const good = await exportCurrent(page);
    const before = await sessions(page);
    const historyBefore = await history(page);

    const newer = Buffer.from(good);
    newer.writeUInt32LE(99, 8);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 200] = flipped[flipped.length - 200]! ^ 0xff;
    const cases: { name: string; buffer: Buffer; error: RegExp }[] = [
      {
        name: 'truncated.bertlab',
        buffer: good.subarray(0, Math.floor(good.length / 2)),
        error: /cut short/,
      },
      {
        name: 'garbage.bertlab',
        buffer: Buffer.from('not a session at all, just text'),
        error: /not a BERT Embedding Lab session file/,
      },
      {
        name: 'picture.png',
        buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
        error: /not a BERT Embedding Lab session file/,
      },
      { name: 'newer.bertlab', buffer: newer, error: /format version 99, made by a newer version/ },
      { name: 'damaged.bertlab', buffer: flipped, error: /checksum does not match/ },
      { name: 'empty.bertlab', buffer: Buffer.alloc(0), error: /empty/ },
    ];
    for (const { name, buffer, error } of cases) {
      await page
        .getByTestId('sessions.import')
        .setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      const shown = page.getByTestId('sessions.error');
      await expect(shown, name).toContainText(`Could not import “${name}”`);
      await expect(shown, name).toContainText(error);
      await expect(shown, name).toContainText('Nothing was changed.');
      await shown.getByRole('button', { name: 'Dismiss' }).click();
      await expect(shown).toHaveCount(0);
    }

    // Nothing was overwritten: the same sessions, the same training, which still steps and saves.
    const after = await sessions(page);
    expect(after.list).toEqual(before.list);
    expect(after.current).toEqual(before.current);
    expect(await history(page)).toEqual(historyBefore);
    await expect(page.getByTestId('train.step-count')).toHaveText('2');
    await page.evaluate(() => window.bertLab!.step(1));
    await expect(savedStep(page)).toHaveAttribute('data-saved-step', '3');
  });

  test('two tabs on one session: the second is read-only and cannot overwrite it', async ({
    page,
    context,
  }) => {
    await trainAndSave(page, 3);
    const first = (await sessions(page)).current!;

    const second = await context.newPage();
    await second.goto('./');
    await second.getByTestId('nav.train').click();
    const warning = second.getByTestId('sessions.readonly');
    await expect(warning).toContainText('open in another tab');
    await expect(second.getByTestId('train.step-count')).toHaveText('3');
    expect((await sessions(second)).current).toMatchObject({ id: first.id, readOnly: true });
    // The other tab's session cannot be deleted or renamed from here.
    const shared = second.locator(`[data-testid="sessions.item"][data-id="${first.id}"]`);
    await expect(shared.getByTestId('sessions.delete')).toBeDisabled();

    // The second tab trains on, but saves nothing over the first tab's session: not when asked,
    // and not when its autosave runs. Leaving the page (pagehide) runs the autosave at once,
    // instead of within its interval; a save would show as data-saving="true", which is recorded.
    await second.getByTestId('sessions.status').evaluate((status) => {
      const w = window as unknown as { savingSeen: boolean };
      w.savingSeen = false;
      new MutationObserver(() => {
        if (status.dataset.saving === 'true') w.savingSeen = true;
      }).observe(status, { attributes: true });
    });
    await second.evaluate(() => window.bertLab!.step(2));
    await expect(second.getByTestId('train.step-count')).toHaveText('5');
    await second.evaluate(() => window.bertLab!.saveSession());
    await expect(second.getByTestId('sessions.error')).toContainText('continue as a copy');
    await second.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    // sessions() reads the store afresh, after anything the autosave could have begun.
    expect((await sessions(second)).list.find((m) => m.id === first.id)?.step).toBe(3);
    expect(await second.evaluate(() => (window as unknown as { savingSeen: boolean }).savingSeen)).toBe(
      false,
    );
    expect((await sessions(page)).list.find((m) => m.id === first.id)?.step).toBe(3);

    // The first tab is still the writer.
    await page.evaluate(() => window.bertLab!.step(1));
    await expect(savedStep(page)).toHaveAttribute('data-saved-step', '4');

    // "Continue as a copy": the second tab saves its own session, the first one is untouched.
    await second.getByTestId('sessions.copy').click();
    await expect(warning).toHaveCount(0);
    await expect(savedStep(second)).toHaveAttribute('data-saved-step', '5');
    const copy = (await sessions(second)).current!;
    expect(copy.id).not.toBe(first.id);
    expect(copy.name).toBe(`${first.name} (copy)`);
    const list = (await sessions(page)).list;
    expect(list.find((m) => m.id === first.id)?.step).toBe(4);
    expect(list.find((m) => m.id === copy.id)?.step).toBe(5);
    await second.close();
  });
});
