import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

export const DIST = join(import.meta.dirname, '..', process.env.E2E_DIST ?? 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** Answers one request itself (true) or leaves it to the static files (false). */
export type Override = (path: string, response: ServerResponse, file: () => Buffer) => boolean;

export interface StaticHost {
  /** The site's address, ending in the base path. */
  readonly url: string;
  /** Requests so far, by path below the base. */
  readonly requests: string[];
  override: Override | null;
  close(): Promise<void>;
}

/**
 * A plain static host for the built site (E2E_DIST, or another build folder `dist`) under a base
 * path, with a hook that lets a test answer one file its own way: slowly, in chunks, or changed.
 */
export function serveDist(base = '/', dist = DIST): Promise<StaticHost> {
  const requests: string[] = [];
  const host: { override: Override | null } = { override: null };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) return void response.writeHead(404).end();
    const relative = path.slice(base.length) || 'index.html';
    requests.push(relative);
    const file = normalize(join(dist, relative));
    const found = file.startsWith(dist) && existsSync(file) && statSync(file).isFile();
    if (host.override?.(relative, response, () => readFileSync(file))) return;
    if (!found) return void response.writeHead(404).end();
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(
        Object.assign(host, {
          url: `http://127.0.0.1:${port}${base}`,
          requests,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Keep-alive connections from the browser would hold close() open.
              server.closeAllConnections();
            }),
        }),
      );
    }),
  );
}

/**
 * Sends `body` in `chunks` pieces `delayMs` apart, as a slow network would; with
 * `contentLength` false it sends no Content-Length (chunked transfer), so the page knows no total.
 */
export function sendSlowly(
  response: ServerResponse,
  body: Buffer,
  options: { chunks: number; delayMs: number; contentLength: boolean; type?: string },
): void {
  response.writeHead(200, {
    'content-type': options.type ?? 'text/plain',
    ...(options.contentLength ? { 'content-length': String(body.length) } : {}),
  });
  const size = Math.ceil(body.length / options.chunks);
  let offset = 0;
  const next = () => {
    if (response.destroyed) return;
    if (offset >= body.length) return void response.end();
    response.write(body.subarray(offset, offset + size));
    offset += size;
    setTimeout(next, options.delayMs);
  };
  next();
}
