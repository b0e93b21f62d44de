/**
 * The offline plugin's precache list and cache version, and the generated sw.js itself, run as
 * its own text against a fake CacheStorage and network (Node has Request and Response).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  cacheVersion,
  offline,
  renderServiceWorker,
  selectPrecache,
  type PrecacheManifest,
} from '../../scripts/vite-plugin-offline';

const SCOPE = 'https://school.test/courses/nlp/week-3/lab/';
const MANIFEST: PrecacheManifest = {
  version: 'v2',
  files: [
    'assets/index-abc.js',
    'assets/tfjs-backend-wasm-x.wasm',
    'index.html',
    'vocab/bert-base-uncased.txt',
  ],
};

class FakeCaches {
  readonly stores = new Map<string, Map<string, string>>();
  constructor(private readonly network: FakeNetwork) {}
  async open(name: string) {
    const store = this.stores.get(name) ?? new Map<string, string>();
    this.stores.set(name, store);
    return {
      addAll: async (requests: Request[]) => {
        const bodies = await Promise.all(
          requests.map(async (request) => {
            const response = await this.network.fetch(request);
            if (!response.ok) throw new TypeError(`${request.url}: ${response.status}`);
            return [request.url, await response.text()] as const;
          }),
        );
        for (const [url, body] of bodies) store.set(url, body);
      },
    };
  }
  async keys() {
    return [...this.stores.keys()];
  }
  async delete(name: string) {
    return this.stores.delete(name);
  }
  async match(request: Request | string, options: { cacheName: string; ignoreSearch?: boolean }) {
    const strip = (url: string) => (options.ignoreSearch ? url.split('?')[0]! : url);
    const wanted = strip(typeof request === 'string' ? request : request.url);
    for (const [url, body] of this.stores.get(options.cacheName) ?? []) {
      if (strip(url) === wanted) return new Response(body);
    }
    return undefined;
  }
}

class FakeNetwork {
  online = true;
  /** Requests that never answer (a network that hangs). */
  hang = false;
  readonly files = new Map<string, string>();
  readonly requests: Request[] = [];
  fetch = async (input: Request | string): Promise<Response> => {
    const request = typeof input === 'string' ? new Request(input) : input;
    this.requests.push(request);
    if (this.hang) return new Promise<Response>(() => undefined);
    if (!this.online) throw new TypeError('Failed to fetch');
    const body = this.files.get(request.url.split('?')[0]!);
    return body === undefined ? new Response('missing', { status: 404 }) : new Response(body);
  };
}

type Listener = (event: unknown) => void;

/** Evaluates sw.js as the browser would, with a fake worker scope, caches and network. */
function startWorker(manifest = MANIFEST, navigationTimeoutMs = 4000) {
  const network = new FakeNetwork();
  for (const file of manifest.files) network.files.set(new URL(file, SCOPE).href, `built ${file}`);
  const caches = new FakeCaches(network);
  const listeners = new Map<string, Listener>();
  const sw = {
    registration: { scope: SCOPE },
    clients: { claim: vi.fn(async () => undefined) },
    skipWaiting: vi.fn(async () => undefined),
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
  };
  new Function('self', 'caches', 'fetch', renderServiceWorker(manifest, navigationTimeoutMs))(
    sw,
    caches,
    network.fetch,
  );
  const lifecycle = async (type: 'install' | 'activate') => {
    let work: Promise<unknown> = Promise.resolve();
    listeners.get(type)!({ waitUntil: (p: Promise<unknown>) => (work = p) });
    await work;
  };
  /** Dispatches a fetch; resolves with the body served, or null if the worker let it through. */
  const request = async (url: string, init: RequestInit & { navigate?: boolean } = {}) => {
    const req = new Request(new URL(url, SCOPE), init);
    if (init.navigate) Object.defineProperty(req, 'mode', { value: 'navigate' });
    const answers: Promise<Response>[] = [];
    listeners.get('fetch')!({ request: req, respondWith: (r: Promise<Response>) => answers.push(r) });
    return answers[0] === undefined ? null : (await answers[0]).text();
  };
  const message = (data: unknown) => listeners.get('message')!({ data });
  return { sw, network, caches, lifecycle, request, message };
}

const cacheName = (version: string, scope = SCOPE) => `bert-lab:${scope}:${version}`;

describe('the precache list and the cache version', () => {
  it('keeps every built and public file except source maps, dotfiles, the demo page and the worker', () => {
    expect(
      selectPrecache([
        'index.html',
        'assets/index-abc.js',
        'assets/index-abc.js.map',
        './vocab/bert-base-uncased.txt',
        'assets/index-abc.js',
        'sw.js',
        '.DS_Store',
        'icons/.keep',
        'embed-demo.html',
        'embed-demo.js',
        'icons/icon-192.png',
      ]),
    ).toEqual(['assets/index-abc.js', 'icons/icon-192.png', 'index.html', 'vocab/bert-base-uncased.txt']);
  });

  it('changes when any byte or any name changes, and not with the order of the list', () => {
    const files = [
      { path: 'index.html', bytes: '<!doctype html>' },
      { path: 'vocab/v.txt', bytes: '[PAD]\n[UNK]' },
    ];
    const version = cacheVersion(files);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(cacheVersion([...files].reverse())).toBe(version);
    expect(cacheVersion([files[0]!, { path: 'vocab/v.txt', bytes: '[PAD]\n[UNK]\n' }])).not.toBe(version);
    expect(cacheVersion([files[0]!, { path: 'vocab/w.txt', bytes: '[PAD]\n[UNK]' }])).not.toBe(version);
  });

  it('writes sw.js for a page build from the bundle and public/, and nothing for a library build', () => {
    const root = mkdtempSync(join(tmpdir(), 'offline-plugin-'));
    const [pub, out] = [join(root, 'public'), join(root, 'dist')];
    mkdirSync(join(pub, 'vocab'), { recursive: true });
    mkdirSync(join(out, 'assets'), { recursive: true });
    writeFileSync(join(pub, 'vocab', 'v.txt'), '[PAD]');
    writeFileSync(join(out, 'index.html'), '<!doctype html>');
    writeFileSync(join(out, 'assets', 'a.js'), 'console.log(1)');
    writeFileSync(join(out, 'assets', 'a.js.map'), '{}');
    const plugin = offline();
    const hooks = plugin as unknown as {
      configResolved(config: unknown): void;
      writeBundle: { handler(output: { dir: string }, bundle: Record<string, unknown>): void };
    };
    hooks.configResolved({
      root,
      publicDir: pub,
      build: { outDir: out, copyPublicDir: true },
      logger: { info: () => undefined },
    });
    hooks.writeBundle.handler({ dir: out }, { 'assets/lab.js': {} });
    expect(() => readFileSync(join(out, 'sw.js'))).toThrow();
    hooks.writeBundle.handler({ dir: out }, { 'index.html': {}, 'assets/a.js': {}, 'assets/a.js.map': {} });
    const sw = readFileSync(join(out, 'sw.js'), 'utf8');
    const manifest = JSON.parse(/\(self, (\{.*\}), \d+\);/.exec(sw)![1]!) as PrecacheManifest;
    expect(manifest.files).toEqual(['assets/a.js', 'index.html', 'vocab/v.txt']);
    writeFileSync(join(pub, 'vocab', 'v.txt'), '[PAD]\n[UNK]');
    hooks.writeBundle.handler({ dir: out }, { 'index.html': {}, 'assets/a.js': {} });
    expect(readFileSync(join(out, 'sw.js'), 'utf8')).not.toContain(manifest.version);
  });
});

describe('the generated service worker', () => {
  it('precaches every file of the manifest, resolved against its scope, revalidating', async () => {
    const { network, caches, lifecycle } = startWorker();
    await lifecycle('install');
    const stored = caches.stores.get(cacheName('v2'))!;
    expect([...stored.keys()].sort()).toEqual(MANIFEST.files.map((f) => new URL(f, SCOPE).href).sort());
    expect(stored.get(`${SCOPE}vocab/bert-base-uncased.txt`)).toBe('built vocab/bert-base-uncased.txt');
    expect(network.requests.every((r) => r.cache === 'no-cache')).toBe(true);
  });

  it('fails the install when one file cannot be downloaded, so the old version stays', async () => {
    const { network, lifecycle } = startWorker();
    network.files.delete(`${SCOPE}assets/tfjs-backend-wasm-x.wasm`);
    await expect(lifecycle('install')).rejects.toThrow(/404/);
  });

  it('on activation deletes older versions of its own scope only, then controls open pages', async () => {
    const { sw, caches, lifecycle } = startWorker();
    for (const name of [
      cacheName('v1'),
      cacheName('v1', 'https://school.test/courses/nlp/week-4/lab/'),
      'someone-else',
    ])
      await caches.open(name);
    await lifecycle('install');
    await lifecycle('activate');
    expect([...caches.stores.keys()].sort()).toEqual(
      [
        cacheName('v1', 'https://school.test/courses/nlp/week-4/lab/'),
        cacheName('v2'),
        'someone-else',
      ].sort(),
    );
    expect(sw.clients.claim).toHaveBeenCalledOnce();
  });

  it('serves precached files from the cache, with no network at all', async () => {
    const { network, lifecycle, request } = startWorker();
    await lifecycle('install');
    network.online = false;
    const before = network.requests.length;
    expect(await request('vocab/bert-base-uncased.txt')).toBe('built vocab/bert-base-uncased.txt');
    expect(await request(`${SCOPE}assets/index-abc.js#x`)).toBe('built assets/index-abc.js');
    expect(network.requests.length).toBe(before);
  });

  it('leaves other origins, non-GET requests and files outside the manifest to the browser', async () => {
    const { lifecycle, request } = startWorker();
    await lifecycle('install');
    expect(await request('https://cdn.example/assets/index-abc.js')).toBeNull();
    expect(await request('vocab/bert-base-uncased.txt', { method: 'POST', body: 'x' })).toBeNull();
    expect(await request('assets/index-abc.js.map')).toBeNull();
    expect(await request('https://school.test/courses/nlp/week-4/lab/index.html')).toBeNull();
  });

  it('loads pages from the network first, and from the cached index.html when offline', async () => {
    const { network, lifecycle, request } = startWorker();
    await lifecycle('install');
    network.files.set(`${SCOPE}index.html`, 'the newest page');
    network.files.set(SCOPE, 'the newest page');
    expect(await request('./?view=train&seed=7', { navigate: true })).toBe('the newest page');
    network.online = false;
    expect(await request('./?view=train&seed=7', { navigate: true })).toBe('built index.html');
    expect(await request('index.html?embed=pack', { navigate: true })).toBe('built index.html');
    await expect(request('elsewhere.html', { navigate: true })).rejects.toThrow('Failed to fetch');
  });

  it('falls back to the cached page when the network hangs past the timeout', async () => {
    const { network, lifecycle, request } = startWorker(MANIFEST, 20);
    await lifecycle('install');
    network.hang = true;
    expect(await request('./', { navigate: true })).toBe('built index.html');
  });

  it('takes over from the old version only when the page asks', () => {
    const { sw, message } = startWorker();
    message({ type: 'hello' });
    message(null);
    expect(sw.skipWaiting).not.toHaveBeenCalled();
    message({ type: 'skip-waiting' });
    expect(sw.skipWaiting).toHaveBeenCalledOnce();
  });
});
