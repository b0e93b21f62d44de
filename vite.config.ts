import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { offline } from './scripts/vite-plugin-offline.ts';
import { tfjsInWorkerOnly } from './scripts/vite-plugin-tfjs-in-worker.ts';
import { ensureBertVocab } from './scripts/vocab.mjs';

/** Converts the bert-base-uncased vocabulary into public/vocab/ before every build and dev server. */
function bertVocab(): Plugin {
  return {
    name: 'bert-vocab',
    buildStart() {
      ensureBertVocab();
    },
  };
}

/**
 * The built page may talk to its own origin only: text never leaves the browser, and nothing is
 * fetched from a CDN. (Dev mode skips this: Vite's client injects inline scripts.)
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

const WEB_COMPONENT = 'bert-embedding-lab';

/**
 * Ships the web component's types next to its module (dist/bert-embedding-lab.d.ts). The file is
 * written by hand; src/embed/elementTypes.test.ts makes `tsc` check it against the code.
 */
function webComponentTypes(): Plugin {
  return {
    name: 'web-component-types',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: `${WEB_COMPONENT}.d.ts`,
        source: readFileSync(`src/embed/${WEB_COMPONENT}.d.ts`, 'utf8'),
      });
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any static host and any base path.
  base: './',
  plugins: [
    bertVocab(),
    contentSecurityPolicy(),
    react(),
    tfjsInWorkerOnly(),
    webComponentTypes(),
    offline(),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        index: 'index.html',
        // The <bert-embedding-lab> web component: a course page loads dist/bert-embedding-lab.js.
        [WEB_COMPONENT]: 'src/embed/element.tsx',
      },
      output: {
        // The web component's file name is its public address, so it never changes; every other
        // file keeps its content hash and can be cached for ever.
        entryFileNames: (chunk) =>
          chunk.name === WEB_COMPONENT ? `${WEB_COMPONENT}.js` : 'assets/[name]-[hash].js',
      },
    },
  },
  worker: { format: 'es' },
  preview: { port: 4173, strictPort: true },
});
