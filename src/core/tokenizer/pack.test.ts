import { describe, expect, it } from 'vitest';
import { createBertTokenizer, longestFirstBudget, PackError } from './index';
import { loadBertVocab } from './test/load-vocab';

const tokenizer = createBertTokenizer(loadBertVocab());

describe('encodePair packing', () => {
  it('packs [CLS] A [SEP] B [SEP] with segment, position ids and attention mask', () => {
    const packed = tokenizer.encodePair('Hello world!', 'Goodbye.');
    expect(packed.tokens).toEqual(['[CLS]', 'hello', 'world', '!', '[SEP]', 'goodbye', '.', '[SEP]']);
    expect(packed.inputIds).toEqual([101, 7592, 2088, 999, 102, 9119, 1012, 102]);
    expect(packed.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(packed.positionIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(packed.attentionMask).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(packed.truncated).toEqual({ a: 0, b: 0 });
  });

  it('packs a single sentence as [CLS] A [SEP] when B is absent', () => {
    const packed = tokenizer.encodePair('Hello world!');
    expect(packed.tokens).toEqual(['[CLS]', 'hello', 'world', '!', '[SEP]']);
    expect(packed.hasPair).toBe(false);
  });

  it('keeps an empty B as an empty second segment, unlike an absent one', () => {
    expect(tokenizer.encodePair('Hi', '').tokens).toEqual(['[CLS]', 'hi', '[SEP]', '[SEP]']);
    expect(tokenizer.encodePair('Hi', '').tokenTypeIds).toEqual([0, 0, 0, 1]);
  });

  it('pads with [PAD] id 0, segment 0, attention 0, and keeps counting positions', () => {
    const packed = tokenizer.encodePair('Hi', 'Yo', { padTo: 8 });
    expect(packed.tokens.slice(5)).toEqual(['[PAD]', '[PAD]', '[PAD]']);
    expect(packed.inputIds.slice(5)).toEqual([0, 0, 0]);
    expect(packed.tokenTypeIds.slice(5)).toEqual([0, 0, 0]);
    expect(packed.attentionMask).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect(packed.positionIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('maps each piece back to the characters the user typed', () => {
    const text = 'Ünaffable  CAFÉ';
    const packed = tokenizer.encodePair(text);
    const sources = packed.slots.filter((s) => s.piece).map((s) => text.slice(s.piece!.start, s.piece!.end));
    expect(packed.tokens.slice(1, -1)).toEqual(['una', '##ffa', '##ble', 'cafe']);
    expect(sources).toEqual(['Üna', 'ffa', 'ble', 'CAFÉ']);
  });

  it('rejects a max length too small for the special tokens with a clear message', () => {
    expect(() => tokenizer.encodePair('a', 'b', { maxLength: 2 })).toThrow(PackError);
    expect(() => tokenizer.encodePair('a', 'b', { maxLength: 2 })).toThrow(/at least 3 slots/);
    expect(() => tokenizer.encodePair('a', undefined, { maxLength: 1 })).toThrow(/at least 2 slots/);
    expect(tokenizer.encodePair('a b c', 'd e', { maxLength: 3 }).tokens).toEqual([
      '[CLS]',
      '[SEP]',
      '[SEP]',
    ]);
  });
});

describe('longest_first truncation (maxLength includes the 3 specials)', () => {
  it('cuts only the longer side while the shorter one fits in its half', () => {
    expect(longestFirstBudget(3, 20, 13)).toEqual([3, 7]);
    expect(longestFirstBudget(20, 3, 13)).toEqual([7, 3]);
  });

  it('cuts both to half of an even budget when both are long', () => {
    expect(longestFirstBudget(8, 30, 13)).toEqual([5, 5]);
  });

  it('gives the odd slot to B on a tie (HF; Google trims B first and gives it to A)', () => {
    expect(longestFirstBudget(10, 10, 12)).toEqual([4, 5]);
  });

  it('gives the odd slot to the longer side when it is shorter than max length', () => {
    expect(longestFirstBudget(9, 8, 10)).toEqual([4, 3]);
    expect(longestFirstBudget(8, 9, 10)).toEqual([3, 4]);
  });

  it('treats both sides as equal once each reaches max length, so B gets the odd slot (HF quirk)', () => {
    expect(longestFirstBudget(14, 10, 10)).toEqual([3, 4]);
    expect(longestFirstBudget(6, 4, 4)).toEqual([0, 1]);
  });

  it('records how many pieces each side lost', () => {
    const a = 'one two three four five six seven eight';
    const b = 'nine ten';
    const packed = tokenizer.encodePair(a, b, { maxLength: 9 });
    expect(packed.tokens).toEqual(['[CLS]', 'one', 'two', 'three', 'four', '[SEP]', 'nine', 'ten', '[SEP]']);
    expect(packed.truncated).toEqual({ a: 4, b: 0 });
  });
});

describe('decode', () => {
  // Outputs checked against tokenizers@0.23.2's WordPiece decoder. HF cleans up each piece on its
  // own, so " ' " across three pieces survives; transformers' Python decode cleans the whole
  // string afterwards and would give "don't".
  it.each([
    ["I don't think it's unaffable, Bob.", "i don ' t think it ' s unaffable, bob."],
    ["Hello , world ! Is it ? I 'm fine.", "hello, world! is it? i ' m fine."],
    ['a ## b [MASK] c', 'a # # b c'],
  ])('decodes %j as HF does: %j', (text, expected) => {
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(expected);
  });

  it('skips special tokens and glues ## pieces onto their word', () => {
    expect(tokenizer.decode(tokenizer.encodePair('unaffable', 'embeddings', { padTo: 12 }).inputIds)).toBe(
      'unaffable embeddings',
    );
  });
});
