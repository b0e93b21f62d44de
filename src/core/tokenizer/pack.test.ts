import { describe, expect, it } from 'vitest';
import { createBertTokenizer, longestFirstBudget, PackError } from './index';
import { loadBertVocab } from './test/load-vocab';
import { googleTruncateSeqPair } from './test/truncate-seq-pair';

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
  // One-piece words, so a side of n words is n pieces: "a a a" and "b b".
  const side = (letter: string, n: number) => tokenizer.analyze(Array(n).fill(letter).join(' '));
  const sidesA = Array.from({ length: 21 }, (_, n) => side('a', n));
  const sidesB = Array.from({ length: 21 }, (_, n) => side('b', n));

  it("equals Google's _truncate_seq_pair pop loop on every length 0..20 x 0..20 and max length 3..25", () => {
    let ties = 0;
    let oddBothCut = 0;
    for (let lengthA = 0; lengthA <= 20; lengthA++) {
      for (let lengthB = 0; lengthB <= 20; lengthB++) {
        for (let maxLength = 3; maxLength <= 25; maxLength++) {
          const [a, b] = googleTruncateSeqPair(
            sidesA[lengthA]!.pieces.map((p) => p.token),
            sidesB[lengthB]!.pieces.map((p) => p.token),
            maxLength - 3,
          );
          const where = `A ${lengthA}, B ${lengthB}, max length ${maxLength}`;
          expect(longestFirstBudget(lengthA, lengthB, maxLength), where).toEqual([a.length, b.length]);
          const packed = tokenizer.pack(sidesA[lengthA]!, sidesB[lengthB]!, { maxLength });
          expect(packed.tokens, where).toEqual(['[CLS]', ...a, '[SEP]', ...b, '[SEP]']);
          expect(packed.truncated, where).toEqual({ a: lengthA - a.length, b: lengthB - b.length });
          const cutBoth = a.length < lengthA && b.length < lengthB;
          if (lengthA === lengthB && lengthA + lengthB > maxLength - 3) ties++;
          if (cutBoth && (maxLength - 3) % 2 === 1) oddBothCut++;
        }
      }
    }
    // The grid does reach the cases where the rules of Google and HF's Rust binding part.
    expect(ties).toBeGreaterThan(200);
    expect(oddBothCut).toBeGreaterThan(1000);
  });

  it('cuts only the longer side while the shorter one fits in what is left', () => {
    expect(longestFirstBudget(3, 20, 13)).toEqual([3, 7]);
    expect(longestFirstBudget(20, 3, 13)).toEqual([7, 3]);
  });

  it('cuts both to half of an even budget when both are long', () => {
    expect(longestFirstBudget(8, 30, 13)).toEqual([5, 5]);
    expect(longestFirstBudget(30, 8, 13)).toEqual([5, 5]);
  });

  it('on a tie cuts B first, so with an odd budget A keeps the extra piece', () => {
    expect(longestFirstBudget(10, 10, 12)).toEqual([5, 4]);
    expect(longestFirstBudget(5, 5, 12)).toEqual([5, 4]); // one piece too many: B loses it
    expect(longestFirstBudget(1, 1, 4)).toEqual([1, 0]);
    expect(longestFirstBudget(4, 4, 10)).toEqual([4, 3]);
  });

  it('brings the longer side down to the shorter one first, then alternates from B', () => {
    expect(longestFirstBudget(9, 8, 10)).toEqual([4, 3]);
    expect(longestFirstBudget(8, 9, 10)).toEqual([4, 3]);
    expect(longestFirstBudget(14, 10, 10)).toEqual([4, 3]);
    expect(longestFirstBudget(6, 4, 4)).toEqual([1, 0]);
    expect(longestFirstBudget(4, 6, 4)).toEqual([1, 0]);
    expect(longestFirstBudget(5, 10, 12)).toEqual([5, 4]); // B cut to 5, then B loses the tie
  });

  it("keeps 3 of A and 2 of B for issue 12's pair at max length 8 (HF's Rust binding keeps 2 and 3)", () => {
    const a = 'Dun tell em i go out early to buy stuff again ah.';
    const b = "This might be Tokyo's most enduring dance party ever";
    expect([tokenizer.tokenize(a).length, tokenizer.tokenize(b).length]).toEqual([13, 11]);
    const packed = tokenizer.encodePair(a, b, { maxLength: 8 });
    expect(packed.tokens).toEqual(['[CLS]', 'dun', 'tell', 'em', '[SEP]', 'this', 'might', '[SEP]']);
    expect(packed.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(packed.truncated).toEqual({ a: 10, b: 9 });
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
