import { describe, expect, it } from 'vitest';
import { fastWordPieces } from './fastWordPiece';
import { normalize } from './normalize';
import { preTokenize } from './pretokenize';
import { greedyPieces } from './reference';
import { loadBertVocab } from './test/load-vocab';
import { buildTrie, trieFor } from './trie';
import { indexVocab, type Vocab } from './vocab';

const reference = greedyPieces;

function fast(text: string, vocab: Vocab) {
  const pass = fastWordPieces(text, vocab);
  return Array.from({ length: pass.pieceCount }, (_, i) => [
    pass.pieceId[i],
    pass.pieceStart[i],
    pass.pieceEnd[i],
  ]);
}

/** A small seeded generator (mulberry32), so every run tests the same strings. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

describe('linear-time WordPiece (LinMaxMatch) against the greedy reference', () => {
  const bert = indexVocab(loadBertVocab());

  // Build time is a benchmark figure (npm run bench:tokenizer), not a timed test.
  it('holds the bert-base-uncased trie in under 30 MB of typed arrays', () => {
    expect(buildTrie(bert).bytes).toBeLessThan(30 * 1024 * 1024);
  });

  it('caches the trie per vocabulary', () => {
    expect(trieFor(bert)).toBe(trieFor(bert));
  });

  it('matches the greedy matcher on random strings over the vocabulary characters, punctuation and spaces', () => {
    const chars = [
      ...new Set(bert.tokens.filter((t) => !t.startsWith('[')).flatMap((t) => [...t.replace(/^##/, '')])),
    ];
    const extra = [' ', ' ', ' ', ' ', '.', ',', '!', "'", '-', '☃', '\u{2A6D6}', '🦄'];
    const random = rng(42);
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(random() ** 2 * 160);
      let text = '';
      for (let i = 0; i < length; i++) {
        const pool = random() < 0.3 ? extra : chars;
        text += pool[Math.floor(random() * pool.length)];
      }
      const normalizedText = normalize(text).text;
      expect(fast(normalizedText, bert), JSON.stringify(text)).toEqual(reference(normalizedText, bert));
    }
  });

  it('matches the greedy matcher on real words glued together, including words over 100 characters', () => {
    const words = bert.tokens.filter((t) => /^[a-z]+$/.test(t));
    const random = rng(7);
    for (let n = 0; n < 1000; n++) {
      let text = '';
      const count = 1 + Math.floor(random() * 12);
      for (let i = 0; i < count; i++) {
        text += words[Math.floor(random() * words.length)];
        if (random() < 0.5) text += random() < 0.8 ? ' ' : '.';
      }
      expect(fast(text, bert), text).toEqual(reference(text, bert));
    }
  });

  it('matches the greedy matcher on random small vocabularies where many words cannot be split', () => {
    const random = rng(2021);
    const alphabet = ['a', 'b', 'c', 'd'];
    const randomString = (max: number) =>
      Array.from({ length: 1 + Math.floor(random() * max) }, () => alphabet[Math.floor(random() * 4)]).join(
        '',
      );
    for (let v = 0; v < 200; v++) {
      const tokens = new Set<string>(SPECIALS);
      const size = 2 + Math.floor(random() * 20);
      for (let i = 0; i < size; i++) tokens.add(random() < 0.5 ? randomString(4) : `##${randomString(4)}`);
      const vocab = indexVocab([...tokens]);
      for (let n = 0; n < 50; n++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 4) }, () => randomString(9)).join(' ');
        expect(fast(text, vocab), `${[...tokens].join(' ')} | ${text}`).toEqual(reference(text, vocab));
      }
    }
  });

  it('reports word boundaries as the pre-tokenizer does', () => {
    const text = normalize('Hello, wonderful   world!! 東京 ok').text;
    const pass = fastWordPieces(text, bert);
    const words = Array.from({ length: pass.wordCount }, (_, i) =>
      text.slice(pass.wordStart[i], pass.wordEnd[i]),
    );
    expect(words).toEqual(preTokenize(text).map((w) => w.text));
  });
});
