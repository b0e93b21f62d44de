import { describe, expect, it, vi } from 'vitest';
import { createLabStore } from '../store/labStore';
import { DEFAULT_SHARE_STATE } from '../store/shareState';
import { shareUi, startShareUrl, SYNC_DELAY_MS, urlWithQuery, viewStateOf } from './useShareUrl';

/** Just enough of a window for the address bar: its URL and replaceState, which is recorded. */
function fakeWindow(href: string) {
  const url = new URL(href);
  const replaced: string[] = [];
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
      },
    },
  };
  return { win: win as unknown as Window, replaced };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SYNC_DELAY_MS + 100));

describe('the page URL', () => {
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
    const store = createLabStore();
    const { win, replaced } = fakeWindow('https://lab.test/?view=sum&a=Hi&seed=abc&embed=sum');
    // The link asks for no training, so nothing starts an engine (there is no Worker in Node).
    const handle = startShareUrl(store, win);
    await handle.applied;
    expect(store.getState().view).toBe('sum');
    expect(store.getState().sentenceA).toBe('Hi');
    expect(shareUi.getState().notices).toEqual([
      'seed: "abc" is not a whole number from 0 to 4,294,967,295; the default was kept.',
    ]);
    // Nothing changed yet: the link stays as it was opened.
    await settle();
    expect(replaced).toEqual([]);

    for (const text of ['H', 'He', 'Hel', 'Hello']) store.getState().setSentenceA(text);
    // Compression is asynchronous, and slow on a busy machine: wait for the write, then for any other.
    await vi.waitFor(() => expect(replaced).toEqual(['https://lab.test/?embed=sum&view=sum&a=Hello']), {
      timeout: 5_000,
    });
    await settle();
    expect(replaced).toHaveLength(1);
    handle.stop();
    store.getState().setSentenceA('After stop');
    await settle();
    expect(replaced).toHaveLength(1);
  });
});

function hasRecipe(state: ReturnType<typeof viewStateOf>): boolean {
  return state.step !== 0 || state.seed !== 42 || state.optimizer !== DEFAULT_SHARE_STATE.optimizer;
}
