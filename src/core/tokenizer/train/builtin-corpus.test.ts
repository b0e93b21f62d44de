import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../index';
import { countWords, createWordPieceTrainer, type MergeScore } from './index';

/**
 * Issue 12's yardstick: the lab's built-in corpus at 1,000 tokens (the micro model's vocabulary
 * size). A WordPiece trainer should keep the most frequent words whole; the course formula does not.
 */
const CORPUS = readFileSync(
  join(import.meta.dirname, '..', '..', '..', '..', 'public', 'corpus', 'everyday.txt'),
  'utf8',
);
const WORDS = countWords(CORPUS);
const TOP_50 = [...WORDS]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 50)
  .map(([word]) => word);

/** Trains to 1,000 tokens and tokenizes the corpus's words with the result, as the page would. */
function at1000(score?: MergeScore) {
  const trainer = createWordPieceTrainer(WORDS, { vocabSize: 1000, ...(score && { score }) });
  trainer.run(Infinity);
  const tokenizer = createBertTokenizer(trainer.vocab);
  let pieces = 0;
  let words = 0;
  for (const [word, count] of WORDS) {
    pieces += tokenizer.tokenize(word).length * count;
    words += count;
  }
  return {
    vocabSize: trainer.vocab.length,
    whole: TOP_50.filter((word) => tokenizer.tokenize(word).length === 1),
    piecesPerWord: pieces / words,
    the: tokenizer.tokenize('the'),
  };
}

describe('training on the built-in corpus to 1,000 tokens', () => {
  it('with the default likelihood gain keeps at least 45 of the 50 most frequent words whole, at most 1.8 pieces a word', () => {
    const result = at1000();
    expect(result.vocabSize).toBe(1000);
    expect(result.whole.length).toBeGreaterThanOrEqual(45);
    expect(result.piecesPerWord).toBeLessThanOrEqual(1.8);
    expect(result.the).toEqual(['the']);
    expect(at1000('likelihood')).toEqual(result);
  });

  it('with the course formula leaves even "the" split, at over 3 pieces a word', () => {
    const result = at1000('pmi');
    expect(result.the).toEqual(['th', '##e']);
    expect(result.whole.length).toBeLessThan(25);
    expect(result.piecesPerWord).toBeGreaterThan(3);
  });

  it('with BPE frequency keeps the frequent words whole too', () => {
    const result = at1000('bpe');
    expect(result.whole.length).toBeGreaterThanOrEqual(45);
    expect(result.piecesPerWord).toBeLessThanOrEqual(1.8);
  });
});
