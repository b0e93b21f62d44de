/**
 * The Tokenize & Pack view's explanation of a truncation, in words and with this input's numbers.
 * It retells longest-first truncation (core/tokenizer/pack.ts, `longestFirstBudget`): while the
 * pair is longer than the budget, drop the last piece of the longer sentence, of B when both are
 * as long. Pure, so the words are tested against the numbers the view shows.
 */
import type { PackedInput } from '../../core/tokenizer';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const LONGEST_FIRST_RULE =
  'Longest first drops the last piece of the longer sentence (of B when both are as long), one piece at a time, until the pair fits.';

export function truncationReason(packed: PackedInput, maxLength: number): string {
  const { a: cutA, b: cutB } = packed.truncated;
  const keptA = packed.slots.filter((s) => s.side === 'a').length;
  const keptB = packed.slots.filter((s) => s.side === 'b').length;
  const lengthA = keptA + cutA;
  const lengthB = keptB + cutB;
  const specials = packed.hasPair ? 3 : 2;
  const budget = maxLength - specials;
  const head = `Max length ${maxLength} leaves ${plural(budget, 'slot', 'slots')} for word pieces after ${specials} special tokens.`;
  if (!packed.hasPair) {
    return `${head} Sentence A has ${plural(lengthA, 'piece', 'pieces')}, so the last ${cutA} ${cutA === 1 ? 'is' : 'are'} cut.`;
  }
  const sizes = `A has ${plural(lengthA, 'piece', 'pieces')} and B has ${lengthB}: ${lengthA + lengthB - budget} too many.`;
  const intro = `${head} ${sizes} ${LONGEST_FIRST_RULE}`;
  if (cutB === 0) {
    // A was strictly longer at every step, so it ends at least as long as B.
    return `${intro} A is longer at every step, so only A is cut, from ${lengthA} to ${keptA}, and B keeps all ${lengthB}.`;
  }
  if (cutA === 0) {
    // B was longer, or as long, at every step (then B loses the piece), so A is never cut.
    return `${intro} B is longer or as long at every step, so only B is cut, from ${lengthB} to ${keptB}, and A keeps all ${lengthA}.`;
  }
  // Both cut: the longer side comes down to the shorter one, then they lose a piece in turn, B
  // first, so with an odd budget A ends one piece longer than B.
  const start =
    lengthA === lengthB
      ? 'A and B are as long, so they lose a piece in turn, B first'
      : `${lengthA > lengthB ? 'A' : 'B'} is first cut to ${Math.min(lengthA, lengthB)}, as long as ${lengthA > lengthB ? 'B' : 'A'}; then they lose a piece in turn, B first`;
  const end = keptA === keptB ? `so both keep ${keptA}` : `so A keeps ${keptA}, one more than B's ${keptB}`;
  return `${intro} ${start}, ${end}.`;
}
