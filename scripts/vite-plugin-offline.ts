/// <reference lib="webworker" />
/**
 * Offline use without vite-plugin-pwa: after a build, write `sw.js` next to index.html with the
 * list of files to precache (everything the build emitted except source maps, plus public/) and a
 * cache version that is a hash of that list and the files' bytes. A new build therefore gets a new
 * cache, and the new worker deletes the old one when it activates.
 *
 * The worker's code is `serviceWorkerMain` below, type-checked as TypeScript here and written
 * into sw.js as its source text with the build's manifest as arguments.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export interface OfflineOptions {
  /** Paths (relative to the output folder, '/'-separated) never precached. */
  readonly exclude?: readonly RegExp[];
  /** The worker's file name, next to index.html. */
  readonly fileName?: string;
}

export interface PrecacheManifest {
  /** Names the cache: a new build gets a new one. */
  readonly version: string;
  /** Paths relative to the worker's scope (its folder), without a leading './'. */
  readonly files: readonly string[];
}

/**
 * Source maps and the web component's .d.ts are for developers with the network at hand (the maps
 * are 30 MB here); the embed demo page and its files are not part of the app shell.
 */
export const DEFAULT_EXCLUDE: readonly RegExp[] = [/\.map$/, /\.d\.ts$/, /(^|\/)\./, /^embed-demo\./];

/** The files to precache: sorted, unique, '/'-separated, without excluded ones or the worker. */
export function selectPrecache(
  paths: readonly string[],
  exclude: readonly RegExp[] = DEFAULT_EXCLUDE,
  workerFile = 'sw.js',
): string[] {
  const files = new Set<string>();
  for (const raw of paths) {
    const path = raw
      .split(sep)
      .join('/')
      .replace(/^\.?\//, '');
    if (path === '' || path === workerFile || exclude.some((pattern) => pattern.test(path))) continue;
    files.add(path);
  }
  return [...files].sort();
}

/** A short hash of every path and its bytes: it changes when any precached file changes. */
export function cacheVersion(files: readonly { path: string; bytes: Uint8Array | string }[]): string {
  const hash = createHash('sha256');
  for (const { path, bytes } of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(path).update('\0').update(createHash('sha256').update(bytes).digest('hex')).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The service worker. It must reference nothing outside itself: it runs as the text of sw.js.
 *
 * - install: fetch every precached file (revalidating, so an HTTP-cached stale index.html is not
 *   kept) into this version's cache; one failure fails the install and the old worker stays.
 * - activate: delete the caches of older versions of this scope (two deployments of the lab on one
 *   origin, under different paths, keep each other's caches), then control open pages at once.
 * - fetch: same-origin GETs of precached files come from the cache; navigations go to the network
 *   first and fall back to the cached index.html; everything else passes through untouched.
 * - message 'skip-waiting': the page's "Reload" button lets a waiting new version take over.
 */
export function serviceWorkerMain(
  sw: ServiceWorkerGlobalScope,
  manifest: PrecacheManifest,
  navigationTimeoutMs: number,
): void {
  const PREFIX = `bert-lab:${sw.registration.scope}:`;
  const CACHE = PREFIX + manifest.version;
  const scope = new URL(sw.registration.scope);
  const precached = new Set(manifest.files.map((file) => new URL(file, scope).href));
  const shell = new URL('index.html', scope).href;

  sw.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(CACHE)
        .then((cache) => cache.addAll([...precached].map((url) => new Request(url, { cache: 'no-cache' })))),
    );
  });

  sw.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
              .map((name) => caches.delete(name)),
          ),
        )
        .then(() => sw.clients.claim()),
    );
  });

  sw.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'skip-waiting') void sw.skipWaiting();
  });

  /** The app's page itself: the scope, index.html, with any query (the lab keeps its state there). */
  const isShell = (url: URL) => url.pathname === scope.pathname || url.href.split('?')[0] === shell;

  /**
   * The network's page if it answers in time, else the cached one. The network's copy is not
   * written to the cache: it may name hashed files of a newer build that this cache does not hold.
   */
  async function navigate(request: Request, url: URL): Promise<Response> {
    const cached = async () =>
      (await caches.match(request, { cacheName: CACHE, ignoreSearch: true })) ??
      (isShell(url) ? await caches.match(shell, { cacheName: CACHE }) : undefined);
    const network = fetch(request);
    // Handled below, or superseded by the cached page when the network is too slow.
    network.catch(() => undefined);
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), navigationTimeoutMs),
    );
    try {
      const first = await Promise.race([network, timeout]);
      if (first !== 'timeout') return first;
      return (await cached()) ?? (await network);
    } catch (error) {
      const fallback = await cached();
      if (fallback) return fallback;
      throw error;
    }
  }

  async function fromCache(request: Request, href: string): Promise<Response> {
    return (await caches.match(href, { cacheName: CACHE })) ?? fetch(request);
  }

  sw.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== scope.origin) return;
    if (request.mode === 'navigate') return event.respondWith(navigate(request, url));
    const href = url.href.split('#')[0]!;
    if (precached.has(href)) event.respondWith(fromCache(request, href));
  });
}

/** The text of sw.js for this manifest. */
export function renderServiceWorker(manifest: PrecacheManifest, navigationTimeoutMs = 4000): string {
  return [
    '// Generated by scripts/vite-plugin-offline.ts at build time. Do not edit.',
    `(${serviceWorkerMain.toString()})(self, ${JSON.stringify(manifest)}, ${navigationTimeoutMs});`,
    '',
  ].join('\n');
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(root, path)).isFile())
    .map((path) => path.split(sep).join('/'));
}

/**
 * Writes sw.js after the bundle is on disk. Only builds that emit index.html get one: a library
 * build (the web component) must never register a worker on its host page, and has none to.
 */
export function offline(options: OfflineOptions = {}): Plugin {
  const fileName = options.fileName ?? 'sw.js';
  const exclude = options.exclude ?? DEFAULT_EXCLUDE;
  let config: ResolvedConfig;
  return {
    name: 'offline-service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    writeBundle: {
      order: 'post',
      sequential: true,
      handler(output, bundle) {
        if (!('index.html' in bundle)) return;
        const outDir = output.dir ?? config.build.outDir;
        const publicDir = config.publicDir && config.build.copyPublicDir ? config.publicDir : '';
        // Public files are read from public/ itself: Vite may copy them after this hook.
        const sources = new Map<string, string>();
        for (const path of listFiles(publicDir)) sources.set(path, join(publicDir, path));
        for (const path of Object.keys(bundle)) sources.set(path.split(sep).join('/'), join(outDir, path));
        const files = selectPrecache([...sources.keys()], exclude, fileName);
        const version = cacheVersion(
          files.map((path) => ({ path, bytes: readFileSync(sources.get(path)!) })),
        );
        writeFileSync(join(outDir, fileName), renderServiceWorker({ version, files }));
        const bytes = files.reduce((sum, path) => sum + statSync(sources.get(path)!).size, 0);
        config.logger.info(
          `offline: ${relative(config.root, join(outDir, fileName))} precaches ${files.length} files, ` +
            `${(bytes / 1e6).toFixed(1)} MB (cache ${version})`,
        );
      },
    },
  };
}
