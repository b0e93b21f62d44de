import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../index';
import { countWords, createWordPieceTrainer, TrainerError } from './index';

describe('createWordPieceTrainer, stopping', () => {
  it('stops exhausted once a one-word corpus is a single token', () => {
    const trainer = createWordPieceTrainer(new Map([['hello', 3]]), { vocabSize: 1000 });
    // h ##e ##l ##l ##o: four merges make "hello", then no pair is left.
    expect(trainer.run(10).map((s) => s.token)).toHaveLength(4);
    expect(trainer.splitOf('hello')).toEqual(['hello']);
    expect(trainer.stopped).toBe('exhausted');
    expect(trainer.step()).toBeNull();
    expect(trainer.run(5)).toEqual([]);
  });

  it('stops at once when the target is no bigger than specials plus alphabet, keeping the alphabet', () => {
    const trainer = createWordPieceTrainer(new Map([['hello', 3]]), { vocabSize: 9 });
    expect(trainer.stopped).toBe('target');
    expect(trainer.vocab).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '##e', '##l', '##o', 'h']);
    expect(trainer.step()).toBeNull();
  });

  it('accepts an empty corpus and stops exhausted with the specials alone', () => {
    const trainer = createWordPieceTrainer(new Map(), { vocabSize: 100 });
    expect(trainer.stopped).toBe('exhausted');
    expect(trainer.vocab).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(trainer.initialPiecesPerWord).toBe(0);
    expect(trainer.wordCount).toBe(0);
    expect(trainer.step()).toBeNull();
  });

  it('applies a merge that makes a token already in the vocabulary without adding it twice', () => {
    // Spelled in capitals, the word can only come from a hand-made map: countWords lowercases.
    const trainer = createWordPieceTrainer(new Map([['[MASK]', 2]]), { vocabSize: 100 });
    const steps = trainer.run(Infinity);
    expect(steps.at(-1)!.token).toBe('[MASK]');
    expect(steps.at(-1)!.vocabSize).toBe(steps.at(-2)!.vocabSize);
    expect(trainer.vocab.filter((t) => t === '[MASK]')).toHaveLength(1);
    expect(trainer.splitOf('[MASK]')).toEqual(['[MASK]']);
    expect(trainer.stopped).toBe('exhausted');
  });

  it('hands out the same vocab array until a merge changes it', () => {
    const trainer = createWordPieceTrainer(new Map([['hello', 3]]), { vocabSize: 1000 });
    const before = trainer.vocab;
    expect(trainer.vocab).toBe(before);
    trainer.step();
    expect(trainer.vocab).not.toBe(before);
    expect(before).toHaveLength(9);
  });
});

describe('createWordPieceTrainer, characters', () => {
  it('treats emoji and CJK Extension B characters as single characters, never surrogate halves', () => {
    const text = '𠀀𠀁 hi😀 😀😀 👍🏽ok';
    const trainer = createWordPieceTrainer(countWords(text), { vocabSize: 100 });
    const alphabet = trainer.vocab.slice(5);
    for (const symbol of alphabet) expect(Array.from(symbol.replace(/^##/, ''))).toHaveLength(1);
    expect(alphabet).toEqual(expect.arrayContaining(['𠀀', '𠀁', '##😀', '😀', '👍', '##🏽']));
    expect(trainer.splitOf('hi😀')).toEqual(['h', '##i', '##😀']);
    trainer.run(Infinity);
    expect(trainer.stopped).toBe('exhausted');
    expect(trainer.vocab).toContain('hi😀');
    expect(createBertTokenizer(trainer.vocab).tokenize(text)).not.toContain('[UNK]');
  });

  it('counts a character as often as it occurs in the corpus, wherever it is in a word', () => {
    // z occurs 1 + 2 + 1 = 4 times (starting "zoo", twice inside "fizz", ending "quiz"); o and i
    // twice; f, q and u once. At 4 only z is frequent enough, and every word has a rarer letter,
    // so nothing is left to train on, not even z.
    const words = new Map([
      ['zoo', 1],
      ['fizz', 1],
      ['quiz', 1],
    ]);
    const atFour = createWordPieceTrainer(words, { vocabSize: 100, minCharFrequency: 4 });
    expect(atFour.droppedChars).toEqual(['f', 'i', 'o', 'q', 'u']);
    expect(atFour.droppedWords).toBe(3);
    expect(atFour.wordCount).toBe(0);
    expect(atFour.stopped).toBe('exhausted');
    const atTwo = createWordPieceTrainer(words, { vocabSize: 100, minCharFrequency: 2 });
    // z 4, o 2, i 2 stay; f, q and u (once each) go, with "fizz" and "quiz".
    expect(atTwo.droppedChars).toEqual(['f', 'q', 'u']);
    expect(atTwo.droppedWords).toBe(2);
    expect(atTwo.vocab.slice(5)).toEqual(['##o', 'z']);
  });
});

describe('createWordPieceTrainer, validation', () => {
  const words = new Map([['hug', 1]]);

  it.each([4, 100_001, 10.5, Number.NaN, Infinity])('rejects vocabSize %s', (vocabSize) => {
    expect(() => createWordPieceTrainer(words, { vocabSize })).toThrow(TrainerError);
  });

  it('accepts vocabSize 5 and 100,000', () => {
    expect(createWordPieceTrainer(words, { vocabSize: 5 }).stopped).toBe('target');
    expect(createWordPieceTrainer(words, { vocabSize: 100_000 }).stopped).toBeNull();
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects minCharFrequency %s', (minCharFrequency) => {
    expect(() => createWordPieceTrainer(words, { vocabSize: 50, minCharFrequency })).toThrow(
      /minCharFrequency/,
    );
  });

  it('rejects an unknown score, empty words and counts that are not positive integers', () => {
    const score = 'unigram' as 'bpe';
    expect(() => createWordPieceTrainer(words, { vocabSize: 50, score })).toThrow(/score/);
    expect(() => createWordPieceTrainer(new Map([['', 1]]), { vocabSize: 50 })).toThrow(/empty/);
    for (const count of [0, -2, 1.5, Number.NaN]) {
      expect(() => createWordPieceTrainer(new Map([['hug', count]]), { vocabSize: 50 })).toThrow(
        TrainerError,
      );
    }
  });

  it('rejects run() with a negative or fractional number of steps', () => {
    const trainer = createWordPieceTrainer(words, { vocabSize: 50 });
    expect(() => trainer.run(-1)).toThrow(TrainerError);
    expect(() => trainer.run(1.5)).toThrow(TrainerError);
    expect(trainer.run(0)).toEqual([]);
  });
});
