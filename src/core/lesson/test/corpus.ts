import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lab's built-in corpus, read from public/ as the page fetches it. */
export const BUILTIN_CORPUS = readFileSync(
  join(import.meta.dirname, '..', '..', '..', '..', 'public', 'corpus', 'everyday.txt'),
  'utf8',
);
