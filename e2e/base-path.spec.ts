import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { PackPage } from './pages/PackPage';

const DIST = join(import.meta.dirname, '..', process.env.E2E_DIST ?? 'dist');
const BASE = '/courses/nlp/week-3/lab/';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A plain static host that serves dist/ under a deep sub-path and nothing else. */
function serveDistUnder(base: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) return void response.writeHead(404).end();
    const file = normalize(join(DIST, path.slice(base.length) || 'index.html'));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      return void response.writeHead(404).end();
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('the built site works from a static host under any base path', async ({ page }) => {
  const server = await serveDistUnder(BASE);
  try {
    const { port } = server.address() as AddressInfo;
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(r.url()));
    await page.goto(`http://127.0.0.1:${port}${BASE}`);
    const pack = new PackPage(page);
    await expect(pack.chips.first()).toHaveAttribute('data-token', '[CLS]');
    await pack.setPair('Hello world', '');
    expect((await pack.chipFacts()).map((c) => c.id)).toEqual([101, 7592, 2088, 102]);
    expect(failed).toEqual([]);
  } finally {
    server.close();
  }
});
