/**
 * The full page's URL: the state in the link it was opened with is applied once, and afterwards
 * the address bar follows what is on show.
 *
 * The address bar carries the view fields only (view, sentences, max length, vocabulary, selected
 * position), written with history.replaceState after a pause in typing, never pushState, so the
 * Back button is not flooded and a reload keeps what the learner was looking at. The training
 * recipe (preset, seed, optimizer ... step) goes into the link only when the learner asks for one
 * ("Copy link"): the step moves many times a second while training plays, and a reload should
 * resume the saved session rather than retrain from the seed. The recipe of a link that was opened
 * stays in the address bar until the first change to what is on show.
 */
import { errorMessage } from '../core/errorMessage';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { LabState, LabStore } from '../store/types';
import {
  applyShareState,
  decodeShareQuery,
  DEFAULT_SHARE_STATE,
  encodeShareQuery,
  RESERVED_KEYS,
  shareStateFrom,
  shareStateOf,
  withViewDefaults,
  type ShareState,
} from '../store/share/state';

export interface ShareUi {
  /** What was wrong with the link, or could not be honoured here. */
  readonly notices: readonly string[];
  /** Training towards the link's step: where it is. null when not training for a link. */
  readonly progress: { readonly step: number; readonly target: number } | null;
}

/** The full page has one lab store and one address bar, so it has one of these. */
export const shareUi = createStore<ShareUi>()(() => ({ notices: [], progress: null }));

export function useShareUi<T>(selector: (state: ShareUi) => T): T {
  return useStore(shareUi, selector);
}

export function dismissShareNotices(): void {
  shareUi.setState({ notices: [] });
}

/** Aborts the page's training towards its link's step. */
let linkTraining: AbortController | null = null;

export function stopLinkTraining(): void {
  linkTraining?.abort();
}

const addNotices = (notices: readonly string[]) =>
  notices.length > 0 && shareUi.setState((s) => ({ notices: [...s.notices, ...notices] }));

/** A pause in typing this long writes the address bar. */
export const SYNC_DELAY_MS = 400;

/** What is on show, with the training recipe at its defaults so the codec leaves it out. */
export function viewStateOf(state: LabState): ShareState {
  const share = shareStateOf(state);
  return shareStateFrom((name, field) => (field.group === 'view' ? share[name] : DEFAULT_SHARE_STATE[name]));
}

/** The page's URL with `query` for the state, keeping the parameters other parts of the lab own. */
export function urlWithQuery(href: string, query: string): URL {
  const url = new URL(href);
  const kept = new URLSearchParams();
  for (const key of RESERVED_KEYS) for (const value of url.searchParams.getAll(key)) kept.append(key, value);
  const search = [kept.toString(), query].filter((part) => part !== '').join('&');
  url.search = search === '' ? '' : `?${search}`;
  return url;
}

function syncAddressBar(store: LabStore, win: Window): () => void {
  let shown = JSON.stringify(viewStateOf(store.getState()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const write = async (state: ShareState) => {
    const ticket = ++latest;
    let encoded = await encodeShareQuery(state);
    // Text too long for a link leaves the address bar without it; "Copy link" says so in words.
    if ('error' in encoded)
      encoded = await encodeShareQuery({
        ...state,
        sentenceA: DEFAULT_SHARE_STATE.sentenceA,
        sentenceB: DEFAULT_SHARE_STATE.sentenceB,
      });
    // Compression is asynchronous: a slower, older write must not overwrite a newer one.
    if (ticket !== latest || 'error' in encoded) return;
    const url = urlWithQuery(win.location.href, encoded.query);
    if (url.href !== win.location.href) win.history.replaceState(win.history.state, '', url);
  };
  const unsubscribe = store.subscribe((s) => {
    const state = viewStateOf(s);
    const signature = JSON.stringify(state);
    if (signature === shown) return;
    shown = signature;
    clearTimeout(timer);
    timer = setTimeout(() => void write(state), SYNC_DELAY_MS);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

export interface ShareUrlHandle {
  /** The link's state as read, for parts of the page that must know what it asks for (saved sessions). */
  readonly decoded: ReturnType<typeof decodeShareQuery>;
  /** Settles when the link's state is in and, if it asked for a step, the engine has trained to it. */
  readonly applied: Promise<void>;
  stop(): void;
}

/** Applies the page's link to the store once, then keeps the address bar in step with the store. */
export function startShareUrl(store: LabStore, win: Window = window): ShareUrlHandle {
  let stopSync: (() => void) | null = null;
  let stopped = false;
  const decoded = decodeShareQuery(win.location.search);
  const applied = decoded.then(async ({ state, notices, backend }) => {
    addNotices(notices);
    const linked = Object.keys(state).length > 0;
    // The view fields are written before applyShareState's first await; only then does the sync
    // start, so the link's own values are what the address bar compares against.
    linkTraining = new AbortController();
    const applying = linked
      ? applyShareState(store, withViewDefaults(state), {
          backend,
          signal: linkTraining.signal,
          onNotice: (notice) => addNotices([notice]),
          onProgress: (step, target) =>
            shareUi.setState({ progress: step < target ? { step, target } : null }),
        })
      : Promise.resolve();
    if (!stopped) stopSync = syncAddressBar(store, win);
    try {
      await applying;
    } catch (error) {
      addNotices([`The link could not be applied: ${errorMessage(error)}`]);
    } finally {
      linkTraining = null;
      shareUi.setState({ progress: null });
    }
  });
  return {
    decoded,
    applied,
    stop: () => {
      stopped = true;
      stopSync?.();
    },
  };
}
