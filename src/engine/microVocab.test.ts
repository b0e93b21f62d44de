import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../core/tokenizer';
import { DEFAULT_MICRO_VOCAB_SIZE, defaultVocab } from './microVocab';
import { corpus } from './test/fixtures';

describe('the micro model’s default vocabulary', () => {
  it('is 1,000 tokens trained with the WordPiece likelihood gain, so "the" is one piece', () => {
    const sizes: number[] = [];
    const vocab = defaultVocab(corpus, (size) => sizes.push(size));
    expect(vocab).toHaveLength(DEFAULT_MICRO_VOCAB_SIZE);
    expect(sizes.at(-1)).toBe(DEFAULT_MICRO_VOCAB_SIZE);
    const tokenizer = createBertTokenizer(vocab);
    expect(tokenizer.tokenize('the')).toEqual(['the']);
    expect(tokenizer.tokenize('the kitchen and the garden')).toEqual([
      'the',
      'kitchen',
      'and',
      'the',
      'garden',
    ]);
  });
});
