import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLabStore } from '../store/labStore';
import type { LabState } from '../store/types';
import {
  COALESCE_MS,
  createHeightReporter,
  GROW_PACE_MS,
  hasEmbedContent,
  POLL_MS,
  SETTLE_MS,
} from './heightReport';
import { trainingBusy } from '../components/useKeptHeight';

/** A page whose height, content and training state the test sets, and the heights it posted. */
function fakeEmbed() {
  const page = { height: 71, content: false, busy: false };
  const sent: { height: number; again: boolean }[] = [];
  const reporter = createHeightReporter({
    measure: () => page.height,
    hasContent: () => page.content,
    busy: () => page.busy,
    send: (height, again) => sent.push({ height, again }),
  });
  return { page, sent, reporter, heights: () => sent.map((s) => s.height) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createHeightReporter', () => {
  it('reports nothing while the view shows its loading placeholder', () => {
    const { page, reporter, heights } = fakeEmbed();
    reporter.schedule();
    vi.advanceTimersByTime(5 * POLL_MS);
    expect(heights()).toEqual([]);
    page.height = 2148.3;
    page.content = true;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(heights()).toEqual([2149]);
    reporter.stop();
  });

  it('measures on its own timer, so a frame whose observers are paused still reports', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 1000;
    // No schedule(): no store event, no ResizeObserver callback.
    vi.advanceTimersByTime(POLL_MS + COALESCE_MS);
    expect(heights()).toEqual([1000]);
    page.height = 1200;
    vi.advanceTimersByTime(POLL_MS + COALESCE_MS);
    expect(heights()).toEqual([1000, 1200]);
    reporter.stop();
  });

  it('grows at once, and shrinks only after the smaller height has held, training paused', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 1000;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    page.height = 1100;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(heights()).toEqual([1000, 1100]);

    page.height = 900;
    reporter.schedule();
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(heights()).toEqual([1000, 1100]);
    vi.advanceTimersByTime(COALESCE_MS + 1);
    expect(heights()).toEqual([1000, 1100, 900]);
    reporter.stop();
  });

  it('never shrinks while training starts or plays, and sends the last height once it pauses', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 4105;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    page.busy = true;
    // A restart empties the charts; Play's steps move a caption by a line: none of it is sent.
    for (const h of [1746, 3926, 4105, 3926, 4000]) {
      page.height = h;
      reporter.schedule();
      vi.advanceTimersByTime(200);
    }
    vi.advanceTimersByTime(10 * POLL_MS);
    expect(heights()).toEqual([4105]);
    // Growth is not held back.
    page.height = 4200;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(heights()).toEqual([4105, 4200]);
    page.busy = false;
    page.height = 4000;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS + SETTLE_MS + COALESCE_MS);
    expect(heights()).toEqual([4105, 4200, 4000]);
    reporter.stop();
  });

  it('does not shrink to a height that did not hold', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 1000;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    page.height = 800;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS + SETTLE_MS / 2);
    page.height = 1000;
    vi.advanceTimersByTime(SETTLE_MS);
    expect(heights()).toEqual([1000]);
    reporter.stop();
  });

  it('sends the last height again when asked (the frame is back in view), never before a first report', () => {
    const { page, reporter, sent } = fakeEmbed();
    reporter.again();
    expect(sent).toEqual([]);
    page.content = true;
    page.height = 640;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    reporter.again();
    expect(sent).toEqual([
      { height: 640, again: false },
      { height: 640, again: true },
    ]);
    expect(reporter.reported()).toBe(640);
    reporter.stop();
  });

  it('stops measuring when stopped', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 500;
    reporter.stop();
    vi.advanceTimersByTime(5 * POLL_MS);
    expect(heights()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

/** A root that holds exactly the elements `selectors` match. */
function rootWith(...present: string[]): ParentNode {
  return {
    querySelector: (selector: string) =>
      selector.split(',').some((s) => present.includes(s.trim())) ? ({} as Element) : null,
  } as unknown as ParentNode;
}

describe('hasEmbedContent', () => {
  const state = (status: LabState['training']['status']): LabState => {
    const s = createLabStore().getState();
    return { ...s, training: { ...s.training, status } };
  };

  it('is false for the Suspense placeholder and the vocabulary loading state', () => {
    expect(hasEmbedContent(rootWith('[data-testid="view.loading"]'), 'pack', state('idle'))).toBe(false);
    expect(hasEmbedContent(rootWith('[data-testid="vocab.loading"]'), 'pack', state('idle'))).toBe(false);
    expect(hasEmbedContent(rootWith('[data-testid="pack.token"]'), 'pack', state('idle'))).toBe(true);
    expect(hasEmbedContent(rootWith('[data-testid="vocab.error"]'), 'pack', state('idle'))).toBe(true);
  });

  it('waits for the Training view engine, and counts its error as content', () => {
    const root = rootWith('[data-testid="train.view"]');
    expect(hasEmbedContent(root, 'train', state('starting'))).toBe(false);
    expect(hasEmbedContent(root, 'train', state('ready'))).toBe(true);
    expect(hasEmbedContent(root, 'train', state('error'))).toBe(true);
  });

  it('waits for a real trace in the Embedding sum, from the engine rather than the seed', () => {
    const trace = rootWith('[data-testid="sum.view"][data-step]');
    expect(hasEmbedContent(rootWith('[data-testid="sum.loading"]'), 'sum', state('ready'))).toBe(false);
    expect(hasEmbedContent(trace, 'sum', state('starting'))).toBe(false);
    expect(hasEmbedContent(trace, 'sum', state('ready'))).toBe(true);
  });

  it('calls training busy while it starts or plays', () => {
    expect(trainingBusy(state('starting'))).toBe(true);
    expect(trainingBusy(state('ready'))).toBe(false);
  });
});

describe("createHeightReporter while Play shows a run's first panels", () => {
  it('sends growth at most once per GROW_PACE_MS, the tallest height when the pace allows', () => {
    const { page, reporter, heights } = fakeEmbed();
    page.content = true;
    page.height = 1976;
    reporter.schedule();
    vi.advanceTimersByTime(COALESCE_MS);
    page.busy = true;
    // Steps 1 to 4 at 10 steps/s: the curves, the move sizes, the facts and the batch appear.
    for (const h of [2285, 2400, 3274, 3386]) {
      page.height = h;
      reporter.schedule();
      vi.advanceTimersByTime(100);
    }
    expect(heights()).toEqual([1976, 2285]);
    vi.advanceTimersByTime(GROW_PACE_MS);
    expect(heights()).toEqual([1976, 2285, 3386]);
    vi.advanceTimersByTime(10 * GROW_PACE_MS);
    expect(heights()).toEqual([1976, 2285, 3386]);
    reporter.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
