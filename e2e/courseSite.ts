/**
 * A real course site for the end-to-end tests: a VitePress site built from the README's own
 * example files and the snippets "Embed this view" writes, served on its own origin
 * (http://localhost:<port>) while the lab stays on http://127.0.0.1:<port>.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const VITEPRESS = join(ROOT, 'node_modules', 'vitepress', 'bin', 'vitepress.js');

/** The README's text. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/**
 * The fenced code block that follows `<!-- course-site: NAME -->` in the README: the files the
 * README tells course authors to write are the files this site is built from, so the README's
 * examples cannot go stale without a test failing.
 */
export function readmeBlock(name: string): string {
  const marker = `<!-- course-site: ${name} -->`;
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)\n```/.exec(README.slice(at + marker.length));
  if (!match?.[1]) throw new Error(`README.md has no code block after ${marker}`);
  return match[1];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface CourseSite {
  /** http://localhost:<port>, the site's origin. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Writes the site's source files into `dir` and builds it with VitePress (a dev dependency). */
export async function buildCourseSite(dir: string, files: Readonly<Record<string, string>>): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // The site's own folder sits inside the repository, so its config resolves `vitepress` from
  // the project's node_modules.
  await promisify(execFile)(process.execPath, [VITEPRESS, 'build', dir], { cwd: ROOT, timeout: 120_000 });
  return join(dir, '.vitepress', 'dist');
}

/**
 * Serves a built site as a static host does (clean URLs: `/lesson` is `lesson.html`). It listens
 * on every loopback address, and its pages are opened as http://localhost:<port>: another origin
 * than the lab's http://127.0.0.1:<port>.
 */
export async function serveCourseSite(dist: string): Promise<CourseSite> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const candidates = [path, `${path}.html`, join(path, 'index.html')];
    for (const candidate of candidates) {
      const file = normalize(join(dist, candidate));
      if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) continue;
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      return void response.end(readFileSync(file));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
