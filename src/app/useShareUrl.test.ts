import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLabStore } from '../store/labStore';
import type * as shareState from '../store/share/state';
import { DEFAULT_SHARE_STATE, encodeShareQuery } from '../store/share/state';
import { shareUi, startShareUrl, SYNC_DELAY_MS, urlWithQuery, viewStateOf } from './useShareUrl';

// Every write of the address bar starts by encoding the state, synchronously inside the timer's
// callback; counting the calls shows whether a write started without waiting for compression.
vi.mock('../store/share/state', async (importOriginal) => {
  const actual = await importOriginal<typeof shareState>();
  return { ...actual, encodeShareQuery: vi.fn(actual.encodeShareQuery) };
});
const writes = () => vi.mocked(encodeShareQuery).mock.calls.length;

/** Just enough of a window for the address bar: its URL and replaceState, which is recorded. */
function fakeWindow(href: string) {
  const url = new URL(href);
  const replaced: string[] = [];
  let onReplace = () => {};
  const win = {
    location: {
      get href() {
        return url.href;
      },
      get search() {
        return url.search;
      },
    },
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, next: URL) => {
        url.href = String(next);
        replaced.push(url.href);
        onReplace();
      },
    },
  };
  /** Settles at the next replaceState: compression is asynchronous, so a write ends later than its timer. */
  const nextReplace = () => new Promise<void>((resolve) => (onReplace = resolve));
  return { win: win as unknown as Window, replaced, nextReplace };
}

/** Long past the pause in typing: any write it would start has started. */
const pause = () => vi.advanceTimersByTime(10 * SYNC_DELAY_MS);

describe('the page URL', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps the embed flags and replaces everything else', () => {
    const url = urlWithQuery('https://lab.test/x/?embed=pack&seed=3&hide=inputs&foo=1#h', 'view=sum');
    expect(url.href).toBe('https://lab.test/x/?embed=pack&hide=inputs&view=sum#h');
    expect(urlWithQuery('https://lab.test/?seed=3', '').href).toBe('https://lab.test/');
  });

  it('carries what is on show, never the training recipe', () => {
    const store = createLabStore();
    store.getState().setView('train');
    const state = viewStateOf(store.getState());
    expect(state.view).toBe('train');
    expect(hasRecipe(state)).toBe(false);
  });

  it('applies the link, then writes the address bar once after a pause in typing', async () => {
    vi.useFakeTimers();
    const store = createLabStore();
    const { win, replaced, nextReplace } = fakeWindow('https://lab.test/?view=sum&a=Hi&seed=abc&embed=sum');
    // The link asks for no training, so nothing starts an engine (there is no Worker in Node).
    const handle = startShareUrl(store, win);
    await handle.applied;
    expect(store.getState().view).toBe('sum');
    expect(store.getState().sentenceA).toBe('Hi');
    expect(shareUi.getState().notices).toEqual([
      'seed: "abc" is not a whole number from 0 to 4,294,967,295; the default was kept.',
    ]);
    // Nothing changed yet: the link stays as it was opened.
    pause();
    expect(writes()).toBe(0);
    expect(replaced).toEqual([]);

    for (const text of ['H', 'He', 'Hel', 'Hello']) store.getState().setSentenceA(text);
    vi.advanceTimersByTime(SYNC_DELAY_MS - 1);
    expect(writes()).toBe(0);
    const written = nextReplace();
    vi.advanceTimersByTime(1);
    expect(writes()).toBe(1);
    await written;
    expect(replaced).toEqual(['https://lab.test/?embed=sum&view=sum&a=Hello']);
    pause();
    expect(writes()).toBe(1);
    expect(replaced).toHaveLength(1);
    handle.stop();
    store.getState().setSentenceA('After stop');
    pause();
    expect(writes()).toBe(1);
    expect(replaced).toHaveLength(1);
  });
});

function hasRecipe(state: ReturnType<typeof viewStateOf>): boolean {
  return state.step !== 0 || state.seed !== 42 || state.optimizer !== DEFAULT_SHARE_STATE.optimizer;
}
