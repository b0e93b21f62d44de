/**
 * The plain, quadratic pipeline the linear engine replaced: pre-tokenize the normalized text, then
 * greedy longest-match-first per word. Kept as the reference that `fastWordPiece` is tested
 * against, and as a benchmark baseline.
 */
import { normalize } from './normalize';
import { preTokenize } from './pretokenize';
import type { Vocab } from './vocab';
import { wordPiece } from './wordpiece';

/** [id, start, end] per piece, offsets in UTF-16 units of `normalizedText`. */
export function greedyPieces(normalizedText: string, vocab: Vocab): [number, number, number][] {
  return preTokenize(normalizedText).flatMap((word) =>
    wordPiece(word.text, vocab).map((p): [number, number, number] => [
      p.id,
      word.start + p.start,
      word.start + p.end,
    ]),
  );
}

/** Ids of a text with the greedy matcher (no literal special tokens handling). */
export function greedyEncode(text: string, vocab: Vocab): number[] {
  return greedyPieces(normalize(text).text, vocab).map(([id]) => id);
}
