/**
 * Registers the service worker that the offline plugin writes (scripts/vite-plugin-offline.ts),
 * and keeps what the page says about it: ready for offline use, a new version waiting, an install
 * prompt on offer. Only the full app calls `registerServiceWorker`, and only in production builds:
 * the web component must not put a worker on its host page, and `npm run dev` has no sw.js.
 */

/** Chromium's deferred install prompt (not in TypeScript's DOM types). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface OfflineState {
  /** A service worker controls this page: the app shell, vocabulary and corpus are cached. */
  readonly ready: boolean;
  /** This visit installed the first worker: the next visit is the first that works offline. */
  readonly firstVisit: boolean;
  /** A new version is installed and waits for the page's go-ahead. */
  readonly updateWaiting: boolean;
  /** The browser offers to install the lab as an app (Chromium only). */
  readonly installPrompt: InstallPromptEvent | null;
}

let state: OfflineState = { ready: false, firstVisit: false, updateWaiting: false, installPrompt: null };
let waiting: ServiceWorker | null = null;
const listeners = new Set<() => void>();

function set(patch: Partial<OfflineState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export const offlineState = {
  get: (): OfflineState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

function offerUpdate(worker: ServiceWorker): void {
  waiting = worker;
  set({ updateWaiting: true });
}

/** A new worker that installs while an old one controls the page waits; say so. */
function watchForUpdates(registration: ServiceWorkerRegistration): void {
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(installing);
    });
  });
}

/** Lets the waiting version take over, and reloads once it controls the page. */
export function applyUpdate(): void {
  if (!waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
    once: true,
  });
  waiting.postMessage({ type: 'skip-waiting' });
}

/** Shows the browser's install dialog; the event can be used once, whatever the answer. */
export async function promptInstall(): Promise<void> {
  const prompt = state.installPrompt;
  if (!prompt) return;
  set({ installPrompt: null });
  await prompt.prompt();
}

export function registerServiceWorker(scriptUrl = new URL('sw.js', document.baseURI)): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('beforeinstallprompt', (event) => {
    // Keep Chromium's mini-infobar away; the page offers the install in its own words.
    event.preventDefault();
    set({ installPrompt: event as InstallPromptEvent });
  });
  window.addEventListener('appinstalled', () => set({ installPrompt: null }));
  const start = async () => {
    const firstVisit = navigator.serviceWorker.controller === null;
    try {
      watchForUpdates(await navigator.serviceWorker.register(scriptUrl));
      await navigator.serviceWorker.ready;
      // The worker claims open pages on activation; until it does, nothing is served from the cache.
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
      set({ ready: true, firstVisit });
    } catch (error) {
      // file://, a private window or a blocked worker: the lab still works online.
      console.warn('The lab cannot work offline here:', error);
    }
  };
  // After the page's own downloads: the worker fetches the same files again to cache them.
  if (document.readyState === 'complete') void start();
  else window.addEventListener('load', () => void start(), { once: true });
}
