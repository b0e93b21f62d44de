/**
 * Stage 2: BERT's pre-tokenizer (HF `BertPreTokenizer`; Google's `BasicTokenizer` after
 * normalization, `whitespace_tokenize` + `_run_split_on_punc`): split on whitespace, which is
 * dropped, and on punctuation, which is kept as a word of its own.
 */
import { isPunctuation, isWhitespace } from './unicode';

/** A basic token: a whitespace- and punctuation-delimited word of the normalized text. */
export interface Word {
  readonly text: string;
  /** [start, end) in UTF-16 units of the normalized text. */
  readonly start: number;
  readonly end: number;
}

export function preTokenize(normalized: string): Word[] {
  const words: Word[] = [];
  let wordStart = -1;
  const close = (end: number): void => {
    if (wordStart >= 0) words.push({ text: normalized.slice(wordStart, end), start: wordStart, end });
    wordStart = -1;
  };
  for (let i = 0; i < normalized.length;) {
    const cp = normalized.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp === 0x20 || isWhitespace(cp)) {
      close(i);
    } else if (isPunctuation(cp)) {
      close(i);
      words.push({ text: normalized.slice(i, i + width), start: i, end: i + width });
    } else if (wordStart < 0) {
      wordStart = i;
    }
    i += width;
  }
  close(normalized.length);
  return words;
}
