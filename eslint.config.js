import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Layers outside src/core that core must never reach into (STYLE.md: dependencies point one way). */
const OUTER_LAYERS = ['store', 'viz', 'components', 'app', 'embed', 'engine'];

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
