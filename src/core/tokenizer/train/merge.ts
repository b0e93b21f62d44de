import { CONTINUATION_PREFIX } from '../specials';

/** The token a merge makes: "hu" + "##g" -> "hug"; "##g" + "##s" -> "##gs". */
export function mergedToken(left: string, right: string): string {
  return left + (right.startsWith(CONTINUATION_PREFIX) ? right.slice(CONTINUATION_PREFIX.length) : right);
}

/**
 * One merge applied to one word, and what it does to the word's adjacent pairs. The trainer uses
 * the second part to update count(ab) locally instead of recounting the word.
 */
export interface WordMerge {
  /** The word's new split. */
  readonly symbols: number[];
  /** Old positions i where (i, i + 1) became the merged symbol, in increasing order. */
  readonly sites: readonly number[];
}

/**
 * Replaces every occurrence of (left, right) in a split, scanning left to right without overlap,
 * so merging (a, a) in [a, a, a] gives [aa, a] (as Hugging Face's `Word::merge` does). Null when
 * the word does not contain the pair: the trainer's word lists may name words that no longer do.
 */
export function mergeInWord(
  symbols: readonly number[],
  left: number,
  right: number,
  merged: number,
): WordMerge | null {
  let out: number[] | null = null;
  const sites: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === left && symbols[i + 1] === right) {
      out ??= symbols.slice(0, i);
      out.push(merged);
      sites.push(i);
      i++;
    } else if (out !== null) {
      out.push(symbols[i]!);
    }
  }
  return out === null ? null : { symbols: out, sites };
}

/**
 * The pairs a merge removes and creates in one word. A pair changes only if it touches a merge
 * site: old pairs (i-1, i), (i, i+1) and (i+1, i+2) around each site go, and new pairs on each side
 * of each new symbol come. Every other pair is the same before and after, so it is left alone.
 * Counting only new positions matters: when a merge makes a token that already exists (see
 * trainer.ts), the word may already hold that symbol elsewhere, and the pairs around it did not
 * change.
 */
export function changedPairs(
  before: readonly number[],
  { symbols: after, sites }: WordMerge,
): { removed: number[]; added: number[] } {
  // Both lists are flat: [left0, right0, left1, right1, ...].
  const removed: number[] = [];
  let last = -1;
  for (const site of sites) {
    for (let j = Math.max(site - 1, last + 1); j <= site + 1 && j + 1 < before.length; j++) {
      removed.push(before[j]!, before[j + 1]!);
      last = j;
    }
  }
  const added: number[] = [];
  last = -1;
  sites.forEach((site, k) => {
    // Each earlier merge shortened the word by one, so old position `site` is now `site - k`.
    const at = site - k;
    for (let j = Math.max(at - 1, last + 1); j <= at && j + 1 < after.length; j++) {
      added.push(after[j]!, after[j + 1]!);
      last = j;
    }
  });
  return { removed, added };
}
