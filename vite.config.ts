import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
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

export default defineConfig({
  // Relative asset URLs: dist/ works from any static host and any base path.
  base: './',
  plugins: [bertVocab(), contentSecurityPolicy(), react()],
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  preview: { port: 4173, strictPort: true },
});
