/**
 * Starts the lab's Workers, from whichever page the lab runs in.
 *
 * A browser starts a Worker only from a script of the page's own origin. The full lab and its
 * iframe are on the lab's origin; the web component may be on a course site's page while its
 * files stay on the lab's site. Then the Worker is a same-origin Blob module whose one line,
 * `import "<the worker's absolute URL>"`, loads the real one: that import is a CORS request, so it
 * works where the lab's host sends `Access-Control-Allow-Origin` (it must already, or the module
 * of the component itself would not have loaded), and the worker's own files (the wasm binaries)
 * are found from its module URL, not from `self.location`, which is the blob's. Two things can
 * still stop it, and each is announced to `onWorkerBlocked` listeners (the web component shows the
 * reason and the iframe snippet instead of a view that cannot run):
 * - the page's Content-Security-Policy forbids `blob:` workers: the page gets a
 *   `securitypolicyviolation` event for a blob: URL and the Worker an error (Chromium), or the
 *   constructor throws;
 * - the import fails (no CORS header after all, or the site is unreachable): the Worker reports an
 *   error before its first message, and no CSP violation came with it.
 */

/** The subset of Worker the lab's clients use, so a Worker that could not start can stand in. */
export interface LabWorker {
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
}

export type WorkerPlan =
  | { readonly kind: 'direct'; readonly url: string }
  | { readonly kind: 'blob'; readonly url: string; readonly source: string };

/**
 * How to start the worker script at `workerUrl` from a page at `pageUrl`: directly when both are
 * of one origin, else through a Blob that imports it. (A `blob:` or `data:` page URL has an
 * opaque or inherited origin; the URL parser's `origin` says which.)
 */
export function workerPlan(workerUrl: string, pageUrl: string): WorkerPlan {
  const url = new URL(workerUrl, pageUrl);
  if (url.origin === new URL(pageUrl).origin) return { kind: 'direct', url: url.href };
  return { kind: 'blob', url: url.href, source: `import ${JSON.stringify(url.href)};\n` };
}

/** Why a worker could not start, in words for the page, and the worker script in question. */
export interface WorkerBlocked {
  readonly reason: string;
  readonly url: string;
}

const listeners = new Set<(blocked: WorkerBlocked) => void>();
let lastBlocked: WorkerBlocked | null = null;

/** Calls `listener` for every worker that cannot start from this page (at once if one already could not). */
export function onWorkerBlocked(listener: (blocked: WorkerBlocked) => void): () => void {
  listeners.add(listener);
  if (lastBlocked) listener(lastBlocked);
  return () => void listeners.delete(listener);
}

function announce(blocked: WorkerBlocked): void {
  lastBlocked = blocked;
  for (const listener of listeners) listener(blocked);
}

function cspReason(): string {
  return (
    "this page's Content-Security-Policy does not allow workers from blob: URLs, and the lab's " +
    "worker script is on another site, so it can only start through one (add blob: to the page's worker-src)"
  );
}

export function importReason(workerUrl: string): string {
  const origin = new URL(workerUrl).origin;
  return (
    `the lab's site (${origin}) did not let this page load its worker script: it sends no CORS ` +
    'header (Access-Control-Allow-Origin) for it, or it could not be reached'
  );
}

/** Blob workers started and not yet heard from: a CSP violation for a blob: URL is theirs. */
const waiting = new Set<string>();

/** The directives that decide whether a blob: worker may start (worker-src falls back along these). */
const WORKER_DIRECTIVES = ['worker-src', 'child-src', 'script-src', 'script-src-elem', 'default-src'];

if (typeof document !== 'undefined')
  document.addEventListener('securitypolicyviolation', (event) => {
    if (!event.blockedURI.startsWith('blob') || !WORKER_DIRECTIVES.includes(event.effectiveDirective)) return;
    const [url] = waiting;
    if (url !== undefined) announce({ reason: cspReason(), url });
  });

/**
 * How long a worker's error waits for the CSP violation that may explain it: the two are separate
 * tasks, in no promised order.
 */
const VIOLATION_GRACE_MS = 100;

/** One Blob URL per worker script: a page may start the same worker many times. */
const blobUrls = new Map<string, string>();

function blobUrl(plan: Extract<WorkerPlan, { kind: 'blob' }>): string {
  let url = blobUrls.get(plan.url);
  if (url === undefined) {
    url = URL.createObjectURL(new Blob([plan.source], { type: 'text/javascript' }));
    blobUrls.set(plan.url, url);
  }
  return url;
}

/** A Worker that never started: it says why once, as an error, and ignores everything else. */
function unstartedWorker(reason: string): LabWorker {
  const worker: LabWorker = {
    onmessage: null,
    onerror: null,
    postMessage: () => {},
    terminate: () => {},
  };
  setTimeout(() => worker.onerror?.(new ErrorEvent('error', { message: reason })));
  return worker;
}

/** Starts the module worker at `workerUrl` (a `?worker&url` import) from this page. */
export function startLabWorker(workerUrl: string): LabWorker {
  const plan = workerPlan(workerUrl, globalThis.location.href);
  if (plan.kind === 'direct') return new Worker(plan.url, { type: 'module' });
  let worker: Worker;
  try {
    worker = new Worker(blobUrl(plan), { type: 'module' });
  } catch {
    const blocked = { reason: cspReason(), url: plan.url };
    announce(blocked);
    return unstartedWorker(`This page cannot run the lab's worker: ${blocked.reason}.`);
  }
  let heard = false;
  waiting.add(plan.url);
  worker.addEventListener(
    'message',
    () => {
      heard = true;
      waiting.delete(plan.url);
    },
    { once: true },
  );
  worker.addEventListener(
    'error',
    () => {
      if (heard) return;
      setTimeout(() => {
        waiting.delete(plan.url);
        if (lastBlocked === null) announce({ reason: importReason(plan.url), url: plan.url });
      }, VIOLATION_GRACE_MS);
    },
    { once: true },
  );
  return worker;
}
