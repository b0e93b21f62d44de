/**
 * The text format of Google's create_pretraining_data.py: one sentence per line, documents
 * separated by blank lines. The sentence split matters because NSP pairs are cut at sentence
 * boundaries.
 */

/**
 * Where a one-line document is cut into sentences: after `.`, `!` or `?` (and any closing quote
 * or bracket), at white space that is followed by a capital letter, optionally after an opening
 * quote. Deliberately simple: "Mr. Smith" is cut after "Mr.", and a sentence that starts with a
 * digit or a lower-case letter stays joined to the one before.
 */
const SENTENCE_BREAK = /(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘(]?\p{Lu})/u;

/** One paragraph of running text -> its sentences. */
export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Text -> documents -> sentences. Documents are separated by one or more blank lines (lines of
 * only white space); each remaining line is one sentence. A document written as a single line is
 * split into sentences with `splitSentences`, so a pasted paragraph works too.
 */
export function parseCorpus(text: string): string[][] {
  const documents: string[][] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n[ \t\f\v\u00a0]*\n/)) {
    const lines = block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    if (lines.length === 0) continue;
    documents.push(lines.length === 1 ? splitSentences(lines[0]!) : lines);
  }
  return documents;
}
