/** Shared by the trainer's tests: the course corpus and the slow, obvious way to apply a merge. */

/**
 * The Hugging Face course's WordPiece corpus, plus ("gun", 2) so that every tie-break rule decides
 * at least one merge. 38 words in all; they start as
 *   h ##u ##g (10)  p ##u ##g (5)  p ##u ##n (12)  b ##u ##n (4)  h ##u ##g ##s (5)  g ##u ##n (2)
 * so the vocabulary is 5 specials + 8 characters = 13 tokens and there are 119 pieces.
 */
export const COURSE_CORPUS: ReadonlyMap<string, number> = new Map([
  ['hug', 10],
  ['pug', 5],
  ['pun', 12],
  ['bun', 4],
  ['hugs', 5],
  ['gun', 2],
]);

/** [c0, ##c1, ##c2, ...]: a word before any merge. */
export const charactersOf = (word: string): string[] => Array.from(word, (ch, i) => (i ? `##${ch}` : ch));

/** One split with every (a, b) replaced by `token`, left to right without overlap. */
export function mergeSplit(split: readonly string[], a: string, b: string, token: string): string[] {
  const after: string[] = [];
  for (let i = 0; i < split.length; i++) {
    if (split[i] === a && split[i + 1] === b) {
      after.push(token);
      i++;
    } else {
      after.push(split[i]!);
    }
  }
  return after;
}
