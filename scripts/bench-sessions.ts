/**
 * Saved-sessions benchmark (npm run bench:sessions; needs npm run build). Drives headless Chromium
 * through window.bertLab with the Training tab (and its Sessions panel) open, for micro and
 * bert-tiny with Adam on wasm:
 *
 * - save: `bertLab.saveSession()` as the page waits for it (the Worker reads and writes the state,
 *   then the page re-reads the list), each after one more step and with no autosave running; and
 *   the requestAnimationFrame intervals that overlap a save, to show the page is not blocked;
 * - size: the session's payload bytes in the list, and the exported `.bertlab` file's bytes;
 * - resume: a reload, from navigation start until the step and the loss history are back;
 * - export: the Sessions panel's Export button until Playwright's download event (it saves first).
 *
 * Each cell runs in a fresh browser context, so IndexedDB starts empty. Writes
 * bench-results/sessions.json and prints a markdown table. One run; medians.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { launchChromium, startPreview } from './lib/browser';
import { median } from './lib/stats';

interface Cell {
  preset: 'micro' | 'bert-tiny';
  batch: [number, number];
  saves: number;
  resumes: number;
  /** Left after each step before the save, so the step's redraw is not counted as the save's. */
  settleMs: number;
}

const CELLS: Cell[] = [
  { preset: 'micro', batch: [8, 32], saves: 5, resumes: 3, settleMs: 300 },
  { preset: 'bert-tiny', batch: [8, 64], saves: 5, resumes: 3, settleMs: 500 },
];
const WARM_STEPS = 3;

const root = join(import.meta.dirname, '..');
const round = (x: number) => Math.round(x * 10) / 10;

interface Save {
  start: number;
  end: number;
  step: number;
  savedStep: number | null;
  bytes: number | null;
}

/**
 * A page script (a string: tsx would wrap an inline function in a helper the page lacks). Steps
 * once, waits for the step's redraw and for any autosave to end, then times one forced save;
 * `count` times, recording every rAF timestamp meanwhile.
 */
const saveLoop = (count: number, settleMs: number) => `(async () => {
  const lab = window.bertLab;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const saving = () =>
    document.querySelector('[data-testid="sessions.status"]')?.getAttribute('data-saving') === 'true';
  const times = [];
  let recording = true;
  const tick = (t) => {
    times.push(t);
    if (recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const saves = [];
  for (let i = 0; i < ${count}; i++) {
    await lab.step(1);
    await sleep(${settleMs});
    while (saving()) await sleep(20);
    const start = performance.now();
    const s = await lab.saveSession();
    const end = performance.now();
    const meta = s.list.find((m) => m.id === s.current?.id);
    saves.push({ start, end, step: lab.snapshot().step, savedStep: s.current?.savedStep ?? null, bytes: meta?.bytes ?? null });
  }
  await sleep(100);
  recording = false;
  return { saves, times };
})()`;

/** The intervals between rAF timestamps, ascending: those that overlap a save, and the rest. */
function splitFrames(times: readonly number[], saves: readonly Save[]) {
  const during: number[] = [];
  const outside: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const [a, b] = [times[i - 1]!, times[i]!];
    (saves.some((s) => b > s.start && a < s.end) ? during : outside).push(b - a);
  }
  const up = (xs: number[]) => xs.sort((x, y) => x - y);
  return { during: up(during), outside: up(outside) };
}

async function measure(browser: Browser, url: string, cell: Cell) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction('window.bertLab !== undefined');
    // bert-tiny trains on bert-base-uncased's vocabulary, which the first tab loads.
    await page.getByTestId('pack.token').first().waitFor();
    const [batchSize, seqLength] = cell.batch;
    await page.evaluate(
      `window.bertLab.start(${JSON.stringify({ preset: cell.preset, optimizer: 'adam', backend: 'wasm', batchSize, seqLength })})`,
    );
    await page.getByTestId('nav.train').click();
    await page.getByTestId('sessions.panel').waitFor();
    await page.evaluate(`window.bertLab.step(${WARM_STEPS})`);

    const { saves, times } = (await page.evaluate(saveLoop(cell.saves, cell.settleMs))) as {
      saves: Save[];
      times: number[];
    };
    const last = saves.at(-1)!;
    if (saves.some((s) => s.savedStep !== s.step))
      console.error(`${cell.preset}: a save did not write the step it followed`, saves);
    const frames = splitFrames(times, saves);
    const historyLength = (await page.evaluate('window.bertLab.trainingHistory().length')) as number;

    const resumes: number[] = [];
    let readOnly = false;
    for (let i = 0; i < cell.resumes; i++) {
      await page.reload({ waitUntil: 'commit' });
      // A function, not a string: the page's CSP forbids the eval a string predicate needs.
      // performance.now() counts from the navigation's start.
      const handle = await page.waitForFunction(
        ([step, points]) =>
          window.bertLab !== undefined &&
          window.bertLab.snapshot().step === step &&
          window.bertLab.trainingHistory().length === points &&
          performance.now(),
        [last.step, historyLength] as const,
        { polling: 'raf', timeout: 60_000 },
      );
      resumes.push((await handle.jsonValue()) as number);
      const current = (await page.evaluate('window.bertLab.sessions()')) as {
        current: { readOnly: boolean };
      };
      readOnly ||= current.current.readOnly;
    }

    // The Sessions panel's own Export: it saves the current session first, then builds the file.
    // The list is folded under the panel's save status.
    if ((await page.getByTestId('sessions.details').getAttribute('open')) === null)
      await page.getByTestId('sessions.toggle').click();
    const item = page.locator('[data-testid="sessions.item"][data-current="true"]');
    await item.waitFor();
    const t0 = performance.now();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByTestId('sessions.export').click(),
    ]);
    const exportMs = performance.now() - t0;
    const exportBytes = statSync((await download.path())!).size;

    const row = {
      preset: cell.preset,
      optimizer: 'adam',
      backend: 'wasm',
      batch: `${batchSize}×${seqLength}`,
      savedStep: last.step,
      saves: saves.length,
      saveMedianMs: round(median(saves.map((s) => s.end - s.start))),
      saveMs: saves.map((s) => round(s.end - s.start)),
      framesDuringSaves: frames.during.length,
      frameMedianMs: round(median(frames.during)),
      frameWorstMs: round(frames.during.at(-1) ?? 0),
      // The same loop's frames between saves (steps, redraws): what the machine does anyway.
      frameWorstOutsideSavesMs: round(frames.outside.at(-1) ?? 0),
      listedBytes: last.bytes,
      resumes: resumes.length,
      resumeMedianMs: Math.round(median(resumes)),
      resumeMs: resumes.map(Math.round),
      resumedReadOnly: readOnly,
      exportMs: Math.round(exportMs),
      exportBytes,
    };
    console.error(JSON.stringify(row));
    return row;
  } finally {
    await context.close();
  }
}

const server = await startPreview(4195);
const browser = await launchChromium();
const rows: Awaited<ReturnType<typeof measure>>[] = [];
try {
  for (const cell of CELLS) rows.push(await measure(browser, server.url, cell));
} finally {
  await browser.close();
  server.stop();
}

mkdirSync(join(root, 'bench-results'), { recursive: true });
const machine = `${process.platform} ${process.arch}, node ${process.version}, headless Debian Chromium (software rendering)`;
writeFileSync(
  join(root, 'bench-results', 'sessions.json'),
  `${JSON.stringify({ machine, rows }, null, 2)}\n`,
);
const mb = (bytes: number | null) =>
  bytes === null ? '?' : bytes < 1e6 ? `${Math.round(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`
Measured on ${machine}; Adam on wasm, the Training tab open.

| preset | batch | saved size | .bertlab file | save (page waits) | frames during saves: median, worst | worst frame between saves | resume after reload | export (saves first) |
| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |
${rows
  .map(
    (r) =>
      `| ${r.preset} | ${r.batch} | ${mb(r.listedBytes)} | ${mb(r.exportBytes)} | ${r.saveMedianMs} ms (median of ${r.saves}) | ${r.frameMedianMs} ms, ${r.frameWorstMs} ms (${r.framesDuringSaves} frames) | ${r.frameWorstOutsideSavesMs} ms | ${r.resumeMedianMs} ms (median of ${r.resumes}) | ${r.exportMs} ms |`,
  )
  .join('\n')}
`);
