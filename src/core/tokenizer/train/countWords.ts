/**
 * The trainer's input: how often each word occurs in a corpus, where a word is what BERT's own
 * pipeline makes of the text before WordPiece (normalize, then pre-tokenize: whitespace dropped,
 * each punctuation mark a word of its own). Training on anything else would learn pieces for
 * words the tokenizer never looks up.
 *
 * Literal special tokens typed in the corpus ("[MASK]") are not set apart as the tokenizer's
 * `analyze` does: they are counted as the words "[", "mask" and "]".
 */
import { normalize } from '../normalize';
import { preTokenize } from '../pretokenize';

/** UTF-16 units per chunk: small enough to report progress often on a 5 MB text. */
const CHUNK_UNITS = 1 << 16;

const isAsciiWhitespace = (unit: number): boolean =>
  unit === 0x20 || unit === 0x0a || unit === 0x0d || unit === 0x09;

/**
 * Where the chunk starting at `start` ends. Cutting just after whitespace changes nothing: the
 * normalizer works one code point at a time, and the pre-tokenizer ends a word at whitespace
 * anyway; an ASCII whitespace unit is never half of a surrogate pair. Prefer a line break in the
 * second half of the window, then any whitespace; a window with none at all (a very long "word")
 * grows to the next whitespace rather than cutting the word.
 */
function chunkEnd(text: string, start: number): number {
  const limit = start + CHUNK_UNITS;
  if (limit >= text.length) return text.length;
  const newline = text.lastIndexOf('\n', limit - 1);
  if (newline >= start + CHUNK_UNITS / 2) return newline + 1;
  for (let end = limit; end > start; end--) if (isAsciiWhitespace(text.charCodeAt(end - 1))) return end;
  for (let end = limit; end < text.length; end++) if (isAsciiWhitespace(text.charCodeAt(end))) return end + 1;
  return text.length;
}

/**
 * Counts the words of `text` chunk by chunk, calling `onProgress` with the fraction of the text
 * done (0 before the first chunk, exactly 1 after the last), so a Worker can report progress on
 * a large corpus.
 */
export function countWords(text: string, onProgress?: (fraction: number) => void): Map<string, number> {
  const counts = new Map<string, number>();
  onProgress?.(0);
  for (let start = 0; start < text.length;) {
    const end = chunkEnd(text, start);
    for (const word of preTokenize(normalize(text.slice(start, end)).text)) {
      counts.set(word.text, (counts.get(word.text) ?? 0) + 1);
    }
    start = end;
    if (start < text.length) onProgress?.(start / text.length);
  }
  onProgress?.(1);
  return counts;
}
