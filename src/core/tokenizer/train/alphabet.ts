/**
 * The trainer's starting point (Hugging Face course, "WordPiece tokenization"): every word split
 * into its characters, the first as is and every other one with the "##" continuation prefix, so
 * "hug" starts as [h, ##u, ##g]. The alphabet is the set of those one-character symbols.
 *
 * Characters are Unicode code points, not UTF-16 units: "😀" is one character even though
 * JavaScript stores it as two units, and splitting it would leave lone surrogates in the vocabulary.
 */
import { CONTINUATION_PREFIX } from '../specials';

/** A corpus word, its count, and its initial split into character symbols. */
export interface InitialWord {
  readonly text: string;
  readonly count: number;
  readonly symbols: readonly string[];
}

export interface InitialSplits {
  /** The one-character symbols of the kept words, sorted by plain string order. */
  readonly alphabet: readonly string[];
  /** The words to train on, in the order of the input map. */
  readonly words: readonly InitialWord[];
  /** Characters seen fewer than `minCharFrequency` times, sorted by plain string order. */
  readonly droppedChars: readonly string[];
  /** Distinct words left out because they contain a dropped character. */
  readonly droppedWords: number;
}

/** [c0, ##c1, ##c2, ...] over code points (string iteration walks code points, not units). */
function characterSplit(word: string): string[] {
  return Array.from(word, (ch, i) => (i === 0 ? ch : CONTINUATION_PREFIX + ch));
}

/** Plain `<` order on UTF-16 units, the same as the default `Array.prototype.sort`. */
export function byPlainOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function initialSplits(
  wordCounts: ReadonlyMap<string, number>,
  minCharFrequency: number,
): InitialSplits {
  // A character's frequency is the number of times it occurs in the corpus, wherever in a word:
  // "a" in ("banana", 2) counts 6.
  const charFrequency = new Map<string, number>();
  for (const [word, count] of wordCounts) {
    for (const ch of word) charFrequency.set(ch, (charFrequency.get(ch) ?? 0) + count);
  }
  const dropped = new Set<string>();
  for (const [ch, frequency] of charFrequency) if (frequency < minCharFrequency) dropped.add(ch);

  const words: InitialWord[] = [];
  const alphabet = new Set<string>();
  let droppedWords = 0;
  for (const [text, count] of wordCounts) {
    if (dropped.size > 0 && Array.from(text).some((ch) => dropped.has(ch))) {
      droppedWords++;
      continue;
    }
    const symbols = characterSplit(text);
    for (const symbol of symbols) alphabet.add(symbol);
    words.push({ text, count, symbols });
  }
  return {
    alphabet: [...alphabet].sort(byPlainOrder),
    words,
    droppedChars: [...dropped].sort(byPlainOrder),
    droppedWords,
  };
}
