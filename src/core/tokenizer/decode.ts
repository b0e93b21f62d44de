/**
 * Ids back to text, as HF's `WordPiece` decoder with `cleanup: true` does (skipping specials):
 * a "##" piece glues onto the previous piece, any other piece starts a new word after a space, and
 * spaces before common punctuation and English contractions are removed. Decoding cannot undo
 * lowercasing, accent stripping or [UNK], so it does not always give back the original text.
 */
import { CONTINUATION_PREFIX, SPECIAL_TOKENS } from './specials';
import type { Vocab } from './vocab';

const CLEANUPS: readonly (readonly [string, string])[] = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [' do not', " don't"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

const SPECIALS: ReadonlySet<string> = new Set(SPECIAL_TOKENS);

export function decode(ids: readonly number[], vocab: Vocab): string {
  let out = '';
  let first = true;
  for (const id of ids) {
    const token = vocab.tokens[id];
    if (token === undefined)
      throw new RangeError(`Token id ${id} is outside the vocabulary (size ${vocab.tokens.length}).`);
    if (SPECIALS.has(token)) continue;
    let piece: string;
    if (first) piece = token;
    else if (token.startsWith(CONTINUATION_PREFIX)) piece = token.slice(CONTINUATION_PREFIX.length);
    else piece = ` ${token}`;
    for (const [from, to] of CLEANUPS) piece = piece.replaceAll(from, to);
    out += piece;
    first = false;
  }
  return out;
}
