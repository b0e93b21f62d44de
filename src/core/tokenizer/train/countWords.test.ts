import { describe, expect, it } from 'vitest';
import { normalize } from '../normalize';
import { preTokenize } from '../pretokenize';
import { countWords } from './countWords';

/** The reference: the whole text through BERT's normalizer and pre-tokenizer in one go. */
function countAtOnce(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { text: word } of preTokenize(normalize(text).text))
    counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

describe('countWords', () => {
  it("counts words as BERT's normalizer and pre-tokenizer cut them", () => {
    expect(countWords('The café, the CAFÉ!\n\tthe 日本')).toEqual(
      new Map([
        ['the', 3],
        ['cafe', 2],
        [',', 1],
        ['!', 1],
        ['日', 1],
        ['本', 1],
      ]),
    );
  });

  it('counts a large text in chunks exactly as it counts it in one piece', () => {
    // Long lines, long runs without a newline, astral characters and accents near every boundary.
    const line = 'Zoë met 🙂 people at 𠀀 the café; naïve déjà-vu… ';
    const text = Array.from({ length: 12_000 }, (_, i) => line + (i % 7 === 0 ? '\n' : `${i} `)).join('');
    expect(text.length).toBeGreaterThan(500_000);
    expect(countWords(text)).toEqual(countAtOnce(text));
  });

  it('never cuts a very long word that spans chunks', () => {
    const word = 'x'.repeat(200_000);
    expect(countWords(`a ${word} b`)).toEqual(
      new Map([
        ['a', 1],
        [word, 1],
        ['b', 1],
      ]),
    );
  });

  it('reports progress from 0 to exactly 1, never going back', () => {
    const fractions: number[] = [];
    countWords('lorem ipsum dolor\n'.repeat(30_000), (f) => fractions.push(f));
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBeGreaterThan(5);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!);
  });

  it('returns no words for empty or blank text, still reporting completion', () => {
    const fractions: number[] = [];
    expect(countWords('', (f) => fractions.push(f)).size).toBe(0);
    expect(countWords(' \n\t ').size).toBe(0);
    expect(fractions).toEqual([0, 1]);
  });
});
