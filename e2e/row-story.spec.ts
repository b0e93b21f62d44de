import { expect, test } from '@playwright/test';
import type { EngineSettings, OptimizerChoice } from '../src/core/domain/settings';
import { formatNorm, formatRange, formatRatio } from '../src/components/train/moveSizeText';
import { TrainPage, type MoveSizeCause } from './pages/TrainPage';

/**
 * Every sentence the Training view writes about E_token's rows, checked against the engine's own
 * numbers (window.bertLab's report) under each setting the issue names: the caption, the "Last
 * step" facts, the map's explanation, the move-size table and its explanation, and the frequency
 * chart's "looked up" and "moved" counts. The expected numbers are computed here from the report's
 * raw per-row norms, independently of the page's code.
 */

type Snapshot = Awaited<ReturnType<TrainPage['step']>>;
type Report = NonNullable<Snapshot['report']>;

const n = (x: number) => x.toLocaleString('en-US');
const rows = (x: number) => `${n(x)} ${x === 1 ? 'row' : 'rows'}`;

/** The p-quantile by sorting (d3's type 7), the definition the table's medians follow. */
function quantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const a = s[lo]!;
  return lo + 1 < s.length ? a + (h - lo) * (s[lo + 1]! - a) : a;
}

interface Group {
  readonly update: number[];
  readonly grad: number[];
}

/** Rows by the path that gave them a gradient: the lookup, the output softmax only, none (moved). */
function groupsOf(r: Report): Record<MoveSizeCause, Group> {
  const g: Record<MoveSizeCause, { update: number[]; grad: number[] }> = {
    lookup: { update: [], grad: [] },
    output: { update: [], grad: [] },
    momentum: { update: [], grad: [] },
  };
  r.updateRowNorm.forEach((u, id) => {
    const lg = r.lookupGradRowNorm[id]!;
    const og = r.outputGradRowNorm[id]!;
    const cause = lg > 0 ? 'lookup' : og > 0 ? 'output' : u > 0 ? 'momentum' : null;
    if (!cause) return;
    g[cause].update.push(u);
    g[cause].grad.push(cause === 'lookup' ? lg : cause === 'output' ? og : 0);
  });
  return g;
}

const median = (xs: number[]) => quantile(xs, 0.5);

/** Counters over the steps so far, kept by the test from each step's report. */
class RunCounters {
  steps = 0;
  lookupMoved: number[] = [];
  moved: number[] = [];
  add(r: Report) {
    if (this.steps === 0) {
      this.lookupMoved = r.updateRowNorm.map(() => 0);
      this.moved = r.updateRowNorm.map(() => 0);
    }
    this.steps++;
    r.updateRowNorm.forEach((u, id) => {
      if (u > 0) this.moved[id]!++;
      if (u > 0 && r.lookupGradRowNorm[id]! > 0) this.lookupMoved[id]!++;
    });
  }
  every = (xs: number[]) => xs.filter((x) => x === this.steps).length;
}

async function checkMoveSizes(train: TrainPage, s: Snapshot, groups: Record<MoveSizeCause, Group>) {
  const r = s.report!;
  for (const cause of ['lookup', 'output', 'momentum'] as const) {
    const g = groups[cause];
    const shown = await train.moveSize(cause);
    expect(shown.rows, cause).toBe(g.update.length);
    // window.bertLab gives course pages the same numbers as the table.
    expect(s.moveSizes![cause].rows).toBe(g.update.length);
    expect(s.moveSizes![cause].update?.median ?? null).toBe(shown.medianUpdate);
    expect(shown.medianUpdate, cause).toBe(g.update.length ? median(g.update) : null);
    expect(shown.medianGrad, cause).toBe(g.grad.length ? median(g.grad) : null);
    // The quartiles, as data and as written in the cells (none written for a single row).
    const quartiles = (xs: number[]) => (xs.length ? [quantile(xs, 0.25), quantile(xs, 0.75)] : null);
    expect(shown.updateQuartiles, cause).toEqual(quartiles(g.update));
    expect(shown.gradQuartiles, cause).toEqual(quartiles(g.grad));
    const written = (xs: number[]) =>
      xs.length > 1 ? formatRange(quantile(xs, 0.25), quantile(xs, 0.75)) : '';
    expect(shown.quartileText, cause).toEqual([written(g.update), written(g.grad)]);
  }
  // The box plot draws a box per group and norm whose median is above 0 (a log axis has no 0).
  const boxes = Object.values(groups).reduce(
    (k, g) =>
      k + (g.update.length && median(g.update) > 0 ? 1 : 0) + (g.grad.length && median(g.grad) > 0 ? 1 : 0),
    0,
  );
  await expect(train.page.locator('svg.move-size-boxes')).toHaveAttribute('data-boxes', String(boxes));
  const why = (await train.moveSizeWhy.textContent()) ?? '';
  const moved = r.updateRowNorm.some((u) => u > 0);
  if (!moved) {
    expect(r.learningRate).toBe(0);
    expect(why).toMatch(/^The learning rate is 0, so every ‖Δrow‖ is 0/);
    return;
  }
  const ratio = why.match(/median ‖g‖ is (\S+) the output-only rows’, and their median ‖Δrow‖ (\S+) theirs/);
  const { lookup, output } = groups;
  if (ratio) {
    expect(ratio[1]).toBe(formatRatio(median(lookup.grad) / median(output.grad)));
    expect(ratio[2]).toBe(formatRatio(median(lookup.update) / median(output.update)));
  }
  const spread = why.match(/‖g‖ spans (\S+) from its lower to its upper quartile, their ‖Δrow‖ (\S+)\./);
  if (spread) {
    const span = (xs: number[]) => formatRatio(quantile(xs, 0.75) / quantile(xs, 0.25));
    expect(spread[1]).toBe(span(lookup.grad));
    expect(spread[2]).toBe(span(lookup.update));
  }
  expect(ratio ?? spread, 'the explanation gives the step’s own ratios').not.toBeNull();
}

/** The optimizer's rule, as the explanation states it, held against the step's numbers. */
function checkRule(optimizer: OptimizerChoice, why: string, r: Report, groups: Record<MoveSizeCause, Group>) {
  const { lookup, output } = groups;
  if (optimizer === 'sgd') {
    expect(why).toMatch(/^Plain SGD moves a row by the learning rate times its \(clipped\) gradient/);
    // Δ = −η·c·g: for rows whose only gradient is one path the medians scale by η·c. Measured, not
    // exactly: ‖Δrow‖ is new minus old in float32, and steps of ~1e-7 per coordinate on weights of
    // ~0.02 carry a few percent of rounding (which only adds to the norm).
    const only = output.update.length ? output : lookup;
    const rel = median(only.update) / median(only.grad) / (r.learningRate * r.clipScale);
    expect(rel).toBeGreaterThan(0.9);
    expect(rel).toBeLessThan(1.1);
  } else {
    expect(why).toContain('divides each coordinate’s step by');
    expect(why).toContain(
      'a row with a small but steady gradient moves about as far as one with a large gradient',
    );
    if (output.update.length && lookup.update.length) {
      // "About as far": the medians of the two groups are within a factor of 3 (whichever group's
      // gradients are the larger: on micro's small vocabulary it is the softmax's).
      const steps = median(lookup.update) / median(output.update);
      expect(steps).toBeGreaterThan(1 / 3);
      expect(steps).toBeLessThan(3);
    }
  }
}

/** The caption: counts by cause, the optimizer's rows with no gradient, each group's median ‖Δrow‖ and ‖g‖. */
function checkCaption(caption: string, r: Report, s: Snapshot, groups: Record<MoveSizeCause, Group>) {
  const c = s.rows!.counts;
  const settings = s.settings;
  expect(caption.startsWith(`Step ${n(r.step)}: `)).toBe(true);
  if (s.rows!.moved === 0) {
    expect(caption).toContain('learning rate 0 — ');
    expect(caption).toContain(`${rows(groups.lookup.update.length)} got a gradient through the lookup`);
    expect(caption).toContain('but none moved');
    return;
  }
  expect(caption).toContain(`${rows(c.lookup)} moved through the lookup`);
  if (settings.tieOutputEmbeddings)
    expect(caption).toContain(`${c.output === 0 ? 'none' : n(c.output)} through the output softmax only`);
  else {
    expect(c.output).toBe(0);
    expect(caption).toContain('none through the output softmax (the output layer is untied)');
  }
  if (c.momentum > 0) expect(caption).toContain(`moved ${rows(c.momentum)} with no gradient`);
  else
    expect(caption).toMatch(/moved no row without a gradient|left every row without a gradient where it was/);
  const places = {
    lookup: 'through the lookup',
    output: 'through the output softmax only',
    momentum: 'with no gradient',
  };
  for (const g of ['lookup', 'output', 'momentum'] as const) {
    if (!(groups[g].update.length && median(groups[g].update) > 0)) continue;
    const grad = median(groups[g].grad);
    const gradText = grad > 0 ? ` (${formatNorm(grad)})` : '';
    expect(caption).toContain(`${formatNorm(median(groups[g].update))}${gradText} ${places[g]}`);
  }
}

const FACTS =
  /^Last step: ([\d,]+) of ([\d,]+) token rows got a gradient through the lookup; (none|[\d,]+) through the output softmax[^;]*; (?:none moved, as the learning rate is 0|([\d,]+) moved, ([\d,]+) of them with no gradient at all \((.+)\))\.$/;
const num = (x: string | undefined) => Number(x?.replace(/,/g, ''));

/** The "Last step" sentence: every count from the report, and what moved rows with no gradient. */
function checkFacts(text: string, r: Report, s: Snapshot) {
  const m = text.match(FACTS);
  expect(m, text).not.toBeNull();
  const positive = (xs: number[]) => xs.filter((x) => x > 0).length;
  expect(num(m![1])).toBe(positive(r.lookupGradRowNorm));
  expect(num(m![2])).toBe(r.updateRowNorm.length);
  expect(m![3] === 'none' ? 0 : num(m![3])).toBe(positive(r.outputGradRowNorm));
  if (m![4] === undefined) {
    expect(r.learningRate).toBe(0);
    expect(positive(r.updateRowNorm)).toBe(0);
    return;
  }
  expect(num(m![4])).toBe(positive(r.updateRowNorm));
  expect(num(m![5])).toBe(r.movedWithoutGradient.length);
  const noGradientMoved = r.updateRowNorm.filter(
    (u, id) => u > 0 && !(r.lookupGradRowNorm[id]! > 0) && !(r.outputGradRowNorm[id]! > 0),
  ).length;
  expect(num(m![5])).toBe(noGradientMoved);
  // Optimizers that keep no state for such rows must have moved none.
  if (['sgd', 'lazyadam'].includes(s.settings.optimizer)) expect(noGradientMoved).toBe(0);
  if (s.settings.optimizer !== 'adamw') expect(m![6]).not.toContain('weight decay');
}

/** The map's explanation: each claim of explain.ts held against the step. */
function checkExplain(text: string, r: Report, s: Snapshot) {
  const { optimizer, tieOutputEmbeddings: tied } = s.settings;
  const hasGradient = (id: number) => r.lookupGradRowNorm[id]! > 0 || r.outputGradRowNorm[id]! > 0;
  if (s.settings.learningRate === 0) {
    expect(text).toContain('no row moves');
    expect(r.updateRowNorm.every((u) => u === 0)).toBe(true);
    return;
  }
  if (tied) {
    expect(text).toContain('softmax sends a gradient to every row');
    // Every row but those the lookup reaches gets an output gradient ([PAD] included).
    expect(r.outputGradRowNorm.every((g) => g > 0)).toBe(true);
  } else {
    expect(text).toContain('only the rows of the batch’s ids get a gradient');
    expect(r.outputGradRowNorm.every((g) => g === 0)).toBe(true);
  }
  if (optimizer === 'sgd')
    r.updateRowNorm.forEach((u, id) => expect(u > 0, `row ${id}`).toBe(hasGradient(id)));
  if (optimizer === 'lazyadam') expect(r.movedWithoutGradient).toEqual([]);
  if (optimizer === 'adamw') expect(r.updateRowNorm.every((u) => u > 0)).toBe(true);
  if (optimizer === 'adam' && !tied && r.step >= 2) expect(r.movedWithoutGradient.length).toBeGreaterThan(0);
  expect(text.includes('about as far')).toBe(tied && optimizer !== 'sgd' && optimizer !== 'momentum');
}

async function checkRun(train: TrainPage, steps: number) {
  const counters = new RunCounters();
  for (let i = 1; i <= steps; i++) {
    const s = await train.step(1);
    const r = s.report!;
    counters.add(r);
    await train.showsStep(r.step);
    const groups = groupsOf(r);
    await checkMoveSizes(train, s, groups);
    if (r.updateRowNorm.some((u) => u > 0))
      checkRule(s.settings.optimizer, (await train.moveSizeWhy.textContent())!, r, groups);
    checkCaption((await train.caption.textContent()) ?? '', r, s, groups);
    checkFacts((await train.rowFacts.textContent()) ?? '', r, s);
    checkExplain((await train.explain.textContent()) ?? '', r, s);
    await expect(train.frequencyMoved).toHaveAttribute(
      'data-looked-up-every-step',
      String(counters.every(counters.lookupMoved)),
    );
    await expect(train.frequencyMoved).toHaveAttribute(
      'data-moved-every-step',
      String(counters.every(counters.moved)),
    );
    await expect(train.frequencyMoved).toContainText(
      `${n(counters.every(counters.lookupMoved))} of ${n(r.updateRowNorm.length)} rows moved through the lookup in every step, and ${n(counters.every(counters.moved))} moved`,
    );
  }
}

const SETTINGS: [string, Partial<EngineSettings>, number][] = [
  ['untied SGD', { optimizer: 'sgd', tieOutputEmbeddings: false }, 2],
  ['tied SGD', { optimizer: 'sgd', tieOutputEmbeddings: true }, 2],
  ['untied Adam', { optimizer: 'adam', tieOutputEmbeddings: false }, 3],
  ['tied Adam', { optimizer: 'adam', tieOutputEmbeddings: true }, 2],
  ['tied AdamW', { optimizer: 'adamw', tieOutputEmbeddings: true }, 2],
  ['untied LazyAdam', { optimizer: 'lazyadam', tieOutputEmbeddings: false }, 2],
  ['learning rate 0', { optimizer: 'adamw', tieOutputEmbeddings: true, learningRate: 0 }, 1],
];

test.describe('the row story is true under every setting', () => {
  test('the default model (lab preset, AdamW, tied, wasm)', async ({ page }) => {
    test.setTimeout(120_000);
    const train = new TrainPage(page);
    await train.start({ preset: 'lab' });
    await expect(train.caption).toContainText(
      'colours each row by the path that gave it a gradient (the lookup, the output softmax, or none) and whether it moved',
    );
    await checkRun(train, 2);
  });

  // One page for all of micro's settings: each start rebuilds the model in the same Worker, which
  // is much cheaper than loading the page and the engine again.
  test('micro, under SGD (untied and tied), Adam, AdamW, LazyAdam and a learning rate of 0', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const train = new TrainPage(page);
    await train.start({});
    for (const [name, settings, steps] of SETTINGS)
      await test.step(name, async () => {
        await train.restart(settings);
        await checkRun(train, steps);
      });
  });
});
