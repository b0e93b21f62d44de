/**
 * The <bert-embedding-lab> web component: public/embed-demo.html puts two of them on one page
 * (Tokenize & Pack and Embedding sum), each with its own shadow root and its own store.
 */
import { expect, test } from '@playwright/test';
import { expectShippedFontsLoaded } from './fonts';
import { shownTokens, watchHostPage } from './pages/EmbedPage';

test('two web components on one page render different views with independent state', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = await watchHostPage(page);
  await page.goto('./embed-demo.html');
  const first = page.locator('#first-lab');
  const second = page.locator('#second-lab');

  await expect
    .poll(() => shownTokens(first))
    .toEqual([
      '[CLS]',
      'the',
      'student',
      'embedded',
      'a',
      'lab',
      '.',
      '[SEP]',
      'it',
      'runs',
      'in',
      'the',
      'browser',
      '.',
      '[SEP]',
    ]);
  await expect(second.getByTestId('sum.view')).toBeVisible();
  // The sum instance starts a model of its own ('auto' races the backends first, which takes a while here).
  await expect(second.getByTestId('sum.chip').first()).toBeVisible({ timeout: 120_000 });
  const secondText = await second.getByTestId('sum.view').locator('.sum-chips').innerText();
  // Its own pair, tokenized with the default model's bert-base-uncased vocabulary: two segments, and
  // not the first's.
  expect(secondText).toContain('[CLS]');
  expect(secondText).toContain('segment B');
  expect(secondText).not.toContain('student');

  // Each instance hides its own controls, inside its own shadow root.
  await expect(first.locator('section[aria-labelledby="stages-title"]')).toBeHidden();
  await expect(first.getByTestId('pack.input-a')).toBeVisible();
  await expect(second.locator('section.sum-matrix')).toBeHidden();
  await expect(second.locator('section.sum-tables')).toBeVisible();
  expect(
    await page.evaluate(() => ({
      shadowRoots: ['first-lab', 'second-lab'].map((id) => document.getElementById(id)?.shadowRoot != null),
      lightDomLab: document.querySelectorAll('.embed, .pack-view').length,
      facade: 'bertLab' in window,
    })),
  ).toEqual({ shadowRoots: [true, true], lightDomLab: 0, facade: false });

  // Changing the first instance's attribute, then typing in it, leaves the second as it was.
  await page.locator('#first-sentence').fill('Course pages can embed the tokenizer.');
  await page.getByTestId('demo.set-first').click();
  await expect.poll(() => shownTokens(first)).toContain('course');
  await first.getByTestId('pack.input-b').fill('Only this one changes.');
  await expect.poll(() => shownTokens(first)).toContain('only');
  const secondNow = await second.getByTestId('sum.view').locator('.sum-chips').innerText();
  expect(secondNow).toBe(secondText);
  expect(secondNow).not.toContain('course');

  expect(await page.evaluate(() => window.cspViolations ?? [])).toEqual([]);
  expect(errors).toEqual([]);
});

test('the web component finds its files next to its module, not next to the host page', async ({
  page,
  baseURL,
}) => {
  const errors = await watchHostPage(page);
  const failed: string[] = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(r.url()));
  // A course page deep under another path of the same site, loading the module by absolute path.
  const coursePage = new URL('courses/week-1/lesson.html', baseURL).href;
  await page.route(coursePage, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Lesson</title>
<script type="module" src="${new URL('bert-embedding-lab.js', baseURL).pathname}"></script></head>
<body><main><bert-embedding-lab id="lab" view="pack" sentence-a="Hello world" sentence-b="" max-length="x"
hide="inputs,nonsense"></bert-embedding-lab></main></body></html>`,
    }),
  );
  await page.goto(coursePage);
  const lab = page.locator('#lab');
  await expect.poll(() => shownTokens(lab)).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
  await expect(lab.getByTestId('pack.input-a')).toBeHidden();
  // Its fonts too: they load from the module's folder, and the shadow root draws with them.
  await expectShippedFontsLoaded(page);
  // Bad attributes become notices in the element, never a crash.
  const notices = await lab.getByTestId('embed.notice').allTextContents();
  expect(notices.join('\n')).toContain('"nonsense" is not a control name');
  expect(notices.join('\n')).toContain('max-length');
  // "Open in the lab" opens the full lab where the module lives, with this state.
  await expect(lab.getByTestId('embed.open')).toHaveAttribute('href', new RegExp(`^${baseURL}\\?.*a=Hello`));

  // Switching the view attribute: the Vocabulary view loads the built-in corpus from the lab's folder too.
  await page.evaluate(() => document.getElementById('lab')!.setAttribute('view', 'vocab'));
  await expect(lab.getByTestId('vocab.corpus')).toContainText('built in', { timeout: 30_000 });
  // And the Learned rows view: its model's Worker and tables come from the lab's folder as well.
  await page.evaluate(() => document.getElementById('lab')!.setAttribute('view', 'learned'));
  await expect(lab.getByTestId('learned.neighbours')).toHaveAttribute('data-focus', 'the', {
    timeout: 60_000,
  });
  await expect(lab.getByTestId('learned.positions')).toBeVisible();
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});
