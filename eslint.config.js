import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Layers outside src/core that core must never reach into: dependencies point one way, so the model
 * and the tokenizer run the same in Node, in the Worker and in the page.
 */
const OUTER_LAYERS = ['store', 'viz', 'components', 'app', 'embed', 'engine'];

/**
 * The layers in order, each importing only from those before it (core from nothing): persist reads
 * and writes saved sessions, the engine trains (and saves through persist), the store holds the
 * page's state and talks to the engine. viz draws from core types alone (its rule is below).
 */
const LAYER_ORDER = ['persist', 'engine', 'store', 'components', 'app', 'embed'];
const below = (layer) => ['core', ...LAYER_ORDER.slice(0, LAYER_ORDER.indexOf(layer))];
const above = (layer) => [...LAYER_ORDER.slice(LAYER_ORDER.indexOf(layer) + 1), 'viz'];
const downwardOnly = ['persist', 'engine', 'store'].map((layer) => ({
  files: [`src/${layer}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: above(layer).flatMap((outer) => [`**/${outer}`, `**/${outer}/**`]),
            message: `src/${layer} imports only from the layers below it (${below(layer).join(', ')}), type imports included.`,
          },
        ],
      },
    ],
  },
}));

/**
 * Code that runs in the page, not in the training Worker. TensorFlow.js belongs to the Worker: the
 * page importing it (even through a barrel) puts a second copy, 1 MB of it, in the page's bundle.
 */
const PAGE_CODE = [
  'src/main.tsx',
  'src/app/**/*.{ts,tsx}',
  'src/components/**/*.{ts,tsx}',
  'src/embed/**/*.{ts,tsx}',
  'src/persist/**/*.ts',
  'src/store/**/*.ts',
  'src/viz/**/*.ts',
  'src/engine/trainClient.ts',
  'src/engine/trainProtocol.ts',
  'src/engine/vocabTrainerClient.ts',
  'src/engine/vocabProtocol.ts',
  'src/engine/lessonCompute.ts',
];

/**
 * Modules that import @tensorflow/tfjs, and the barrels that re-export them (a regular expression:
 * a gitignore-style `core/train` would also match everything below it, core/train/pure included).
 */
const TFJS_MODULES = [
  '(^|/)core/(train|model)(/index)?$',
  '(^|/)core/train/(step|optimizers|gradients|loss)$',
  '(^|/)core/model/(bert|params|lookup|projection|trace)$',
  '(^|/)engine/(session|sessionState|backends|train\\.worker)$',
].join('|');

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-*',
      'node_modules',
      'test-results',
      'test-results-*',
      'playwright-report',
      'public/vocab',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/**/*.tsx', 'src/components/**/*.ts', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The core runs the same in Node, a Worker and the page: no React, no DOM drawing, no store.
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'src/core is framework-free.' },
            { name: 'react-dom', message: 'src/core is framework-free.' },
            { name: 'zustand', message: 'src/core must not depend on the store.' },
            { name: 'd3', message: 'src/core must not draw; import d3 in src/viz.' },
            { name: 'd3-selection', message: 'src/core must not draw; import d3 in src/viz.' },
          ],
          patterns: [
            {
              group: OUTER_LAYERS.flatMap((layer) => [`**/${layer}`, `**/${layer}/**`]),
              message: 'src/core imports nothing from the rest of src.',
            },
            { group: ['react-dom/*', 'zustand/*'], message: 'src/core is framework-free.' },
          ],
        },
      ],
    },
  },
  {
    files: PAGE_CODE,
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              allowTypeImports: true,
              message: 'Only the training Worker loads TensorFlow.js; the page gets plain numbers.',
            },
            {
              regex: TFJS_MODULES,
              allowTypeImports: true,
              message:
                'This module loads TensorFlow.js. Import values from core/train/pure (or another tfjs-free module); types may come from here with `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pure drawing functions: d3 and core types only, no React and no store.
    files: ['src/viz/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'viz/ holds pure d3 draw functions.' },
            { name: 'zustand', message: 'viz/ holds pure d3 draw functions.' },
          ],
          patterns: [
            {
              group: ['**/store', '**/store/**', '**/components/**', '**/app/**', '**/engine/**'],
              message: 'viz/ depends on core types only.',
            },
          ],
        },
      ],
    },
  },
  ...downwardOnly,
  {
    // End-to-end tests wait for the event a pause would stand for, never for a length of time.
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'waitForTimeout',
          message:
            'Wait for the event instead (expect.poll on a state, waitForFunction, a message, a request).',
        },
      ],
    },
  },
);
