import { describe, expect, it } from 'vitest';
import { createBertTokenizer, type PackedInput } from '../../core/tokenizer';
import { loadGolden } from '../../core/tokenizer/test/golden';
import { loadBertVocab } from '../../core/tokenizer/test/load-vocab';
import { googlePackedIds } from '../../core/tokenizer/test/truncate-seq-pair';
import { analyzeSide, derivePackView, type PackInputs } from './derivePack';
import { truncationReason } from './truncationReason';

const tokenizer = createBertTokenizer(loadBertVocab());

/** What the Tokenize & Pack view packs for these inputs, as usePackView derives it. */
function viewPacked(sentenceA: string, sentenceB: string, maxLength: number): PackedInput {
  const inputs: PackInputs = {
    sentenceA,
    sentenceB,
    maxLengthInput: String(maxLength),
    padToMaxLength: false,
  };
  const a = analyzeSide(tokenizer, 'Sentence A', sentenceA);
  const b = sentenceB === '' ? null : analyzeSide(tokenizer, 'Sentence B', sentenceB);
  const view = derivePackView(tokenizer, inputs, { a, b });
  if (!view.packed.ok) throw new Error(view.packed.message);
  return view.packed.value;
}

const ISSUE_A = 'Dun tell em i go out early to buy stuff again ah.';
const ISSUE_B = "This might be Tokyo's most enduring dance party ever";

describe('the Tokenize & Pack view truncates longest first, as Google', () => {
  it("keeps 3 of A and 2 of B for issue 12's pair at max length 8, and says why", () => {
    const packed = viewPacked(ISSUE_A, ISSUE_B, 8);
    expect(packed.tokens).toEqual(['[CLS]', 'dun', 'tell', 'em', '[SEP]', 'this', 'might', '[SEP]']);
    expect(packed.truncated).toEqual({ a: 10, b: 9 });
    expect(truncationReason(packed, 8)).toBe(
      'Max length 8 leaves 5 slots for word pieces after 3 special tokens. ' +
        'A has 13 pieces and B has 11: 19 too many. ' +
        'Longest first drops the last piece of the longer sentence (of B when both are as long), one piece at a time, until the pair fits. ' +
        "A is first cut to 11, as long as B; then they lose a piece in turn, B first, so A keeps 3, one more than B's 2.",
    );
  });

  it('agrees with encodePair and the reference rule on held-out pairs', () => {
    // Pairs of golden sentences that are not pair fixtures, each way round, at odd and even budgets.
    const sentences = loadGolden().single.filter((f) => f.name.startsWith('sentence '));
    let checked = 0;
    for (let i = 0; i + 7 < sentences.length; i += 7) {
      for (const [a, b] of [
        [sentences[i]!, sentences[i + 7]!],
        [sentences[i + 7]!, sentences[i]!],
      ] as const) {
        for (const maxLength of [5, 8, 11, 12, 20, 33]) {
          const where = `${a.name} + ${b.name}, max length ${maxLength}`;
          const shown = viewPacked(a.text, b.text, maxLength);
          expect(shown.inputIds, where).toEqual(googlePackedIds(a.ids, b.ids, maxLength));
          expect(shown.inputIds, where).toEqual(tokenizer.encodePair(a.text, b.text, { maxLength }).inputIds);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('truncationReason', () => {
  const reason = (a: string, b: string, maxLength: number) =>
    truncationReason(viewPacked(a, b, maxLength), maxLength);
  const words = (n: number, word = 'a') => Array(n).fill(word).join(' ');

  it('names the only side cut when the longer one is cut and the shorter fits', () => {
    expect(reason(words(8), words(2, 'b'), 9)).toContain(
      'A is longer at every step, so only A is cut, from 8 to 4, and B keeps all 2.',
    );
    expect(reason(words(2), words(8, 'b'), 9)).toContain(
      'B is longer or as long at every step, so only B is cut, from 8 to 4, and A keeps all 2.',
    );
  });

  it('says that B loses the piece on a tie', () => {
    // 5 + 5 pieces in a budget of 9: only B is cut, by one.
    expect(reason(words(5), words(5, 'b'), 12)).toContain('only B is cut, from 5 to 4, and A keeps all 5.');
    expect(reason(words(6), words(6, 'b'), 12)).toContain(
      "A and B are as long, so they lose a piece in turn, B first, so A keeps 5, one more than B's 4.",
    );
    expect(reason(words(6), words(6, 'b'), 11)).toContain('so both keep 4.');
  });

  it('tells the numbers the view shows, whichever side is longer', () => {
    for (const [lengthA, lengthB, maxLength] of [
      [13, 11, 8],
      [11, 13, 8],
      [9, 30, 14],
      [7, 3, 9],
      [20, 20, 4],
    ] as const) {
      const packed = viewPacked(words(lengthA), words(lengthB, 'b'), maxLength);
      const keptA = lengthA - packed.truncated.a;
      const keptB = lengthB - packed.truncated.b;
      const text = truncationReason(packed, maxLength);
      expect(text).toContain(
        `A has ${lengthA} pieces and B has ${lengthB}: ${lengthA + lengthB - (maxLength - 3)} too many.`,
      );
      if (packed.truncated.a === 0 || packed.truncated.b === 0) {
        const [side, from, to] = packed.truncated.a > 0 ? ['A', lengthA, keptA] : ['B', lengthB, keptB];
        expect(text).toContain(`only ${side} is cut, from ${from} to ${to}`);
      } else if (keptA === keptB) expect(text).toContain(`so both keep ${keptA}.`);
      else expect(text).toContain(`so A keeps ${keptA}, one more than B's ${keptB}.`);
    }
  });

  it('explains a single sentence cut to its budget', () => {
    const packed = viewPacked(words(9), '', 6);
    expect(truncationReason(packed, 6)).toBe(
      'Max length 6 leaves 4 slots for word pieces after 2 special tokens. Sentence A has 9 pieces, so the last 5 are cut.',
    );
  });
});
