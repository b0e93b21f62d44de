/**
 * Stage 3: WordPiece, greedy longest-match-first (Google's `WordpieceTokenizer.tokenize`, HF's
 * `models::wordpiece::WordPiece::tokenize`).
 *
 * From the start of the word, take the longest prefix that is in the vocabulary; continue from
 * where it ended, now looking up "##" + the rest, since a piece that does not begin a word is
 * spelled with the continuation prefix. If at some point no prefix matches, the whole word becomes
 * one [UNK] - not just the part that failed. A word longer than 100 code points is [UNK] outright.
 *
 * This plain matcher tries up to n candidate lengths at each of up to n starts, so it is quadratic
 * in the word's length. The tokenizer runs the linear `fastWordPiece` instead; this one stays as
 * the readable reference that the fast engine is tested against, and as a benchmark baseline.
 */
import { CONTINUATION_PREFIX, MAX_INPUT_CHARS_PER_WORD, UNK } from './specials';
import type { TokenId, Vocab } from './vocab';

export interface Piece {
  readonly token: string;
  readonly id: TokenId;
  /** [start, end) in UTF-16 units of the word. */
  readonly start: number;
  readonly end: number;
}

const longestEntryMemo = new WeakMap<Vocab, number>();

/** Length in UTF-16 units of the longest vocabulary entry, prefix included. */
function longestEntry(vocab: Vocab): number {
  let longest = longestEntryMemo.get(vocab);
  if (longest === undefined) {
    longest = 0;
    for (const token of vocab.tokens) longest = Math.max(longest, token.length);
    longestEntryMemo.set(vocab, longest);
  }
  return longest;
}

function codePointLength(word: string): number {
  let count = 0;
  for (let i = 0; i < word.length; i++) {
    const unit = word.charCodeAt(i);
    // Count a high surrogate followed by a low one once.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < word.length) {
      const next = word.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

export function wordPiece(word: string, vocab: Vocab): Piece[] {
  const unk = (): Piece[] => [{ token: UNK, id: vocab.special[UNK], start: 0, end: word.length }];
  if (word.length > MAX_INPUT_CHARS_PER_WORD && codePointLength(word) > MAX_INPUT_CHARS_PER_WORD)
    return unk();

  const longest = longestEntry(vocab);
  const pieces: Piece[] = [];
  let start = 0;
  while (start < word.length) {
    const prefix = start > 0 ? CONTINUATION_PREFIX : '';
    let end = Math.min(word.length, start + longest - prefix.length);
    let match: Piece | undefined;
    while (end > start) {
      // Never cut a surrogate pair in half: candidates end on code point boundaries.
      const last = word.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff && end < word.length) {
        end--;
        continue;
      }
      const candidate = prefix + word.slice(start, end);
      const id = vocab.ids.get(candidate);
      if (id !== undefined) {
        match = { token: candidate, id, start, end };
        break;
      }
      end--;
    }
    if (!match) return unk();
    pieces.push(match);
    start = match.end;
  }
  return pieces;
}
