import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVocabText } from '../vocab';

/** The converted bert-base-uncased vocabulary, read from public/ exactly as the page fetches it. */
export function loadBertVocab(): string[] {
  const path = join(import.meta.dirname, '..', '..', '..', '..', 'public', 'vocab', 'bert-base-uncased.txt');
  return parseVocabText(readFileSync(path, 'utf8'));
}
