/**
 * Stage 1: BERT's normalizer, uncased (HF `BertNormalizer` with clean_text, handle_chinese_chars,
 * strip_accents and lowercase all on; Google's `BasicTokenizer._clean_text`,
 * `_tokenize_chinese_chars` and `_run_strip_accents`).
 *
 * HF applies the four passes to the whole string in this order, and so do we, per code point:
 *   1. clean: drop NUL, U+FFFD and control/format/unassigned/private-use characters; map every
 *      whitespace character to a plain space;
 *   2. put a space on each side of a CJK ideograph;
 *   3. strip accents: canonical decomposition (NFD), then drop nonspacing marks (Mn);
 *   4. lowercase, one character at a time.
 * Doing it per code point lets us remember where every output character came from, so each word
 * piece can point back at the characters the user typed.
 *
 * HF and Google differ in step 4: Python's `str.lower()` turns a word-final capital sigma into "ς",
 * while HF lowercases each character alone and always gives "σ". We follow HF.
 */
import { isChineseChar, isControl, isNonspacingMark, isWhitespace } from './unicode';
import { HF_LOWERCASE_OVERRIDES } from './unicode-overrides';

export interface NormalizedText {
  /** The normalized text. */
  readonly text: string;
  /**
   * For each UTF-16 unit of `text`, the [start, end) range, in UTF-16 units of the original input,
   * of the code point that produced it. Inserted spaces point at the ideograph they surround.
   */
  readonly sourceStart: Int32Array;
  readonly sourceEnd: Int32Array;
}

const lowercaseMemo = new Map<number, string>();

/** Per-character full lowercase mapping (Rust's `char::to_lowercase`), with no context rules. */
function lowercaseChar(cp: number): string {
  let lower = lowercaseMemo.get(cp);
  if (lower === undefined) {
    lower = HF_LOWERCASE_OVERRIDES.get(cp) ?? String.fromCodePoint(cp).toLowerCase();
    lowercaseMemo.set(cp, lower);
  }
  return lower;
}

const decomposeMemo = new Map<number, string>();

/** NFD, then drop nonspacing marks, then lowercase: steps 3 and 4 for one code point. */
function foldChar(cp: number): string {
  let folded = decomposeMemo.get(cp);
  if (folded !== undefined) return folded;
  folded = '';
  for (const part of String.fromCodePoint(cp).normalize('NFD')) {
    const partCp = part.codePointAt(0)!;
    if (!isNonspacingMark(partCp)) folded += lowercaseChar(partCp);
  }
  decomposeMemo.set(cp, folded);
  return folded;
}

/** Printable ASCII other than A-Z, plus tab and newlines: the common case, handled in runs. */
function isPlainAscii(unit: number): boolean {
  return (unit >= 0x20 && unit < 0x7f) || unit === 0x09 || unit === 0x0a || unit === 0x0d;
}

export function normalize(input: string): NormalizedText {
  // Most text grows by at most a few units; grow the offset arrays when it does not.
  let capacity = input.length + 16;
  let sourceStart = new Int32Array(capacity);
  let sourceEnd = new Int32Array(capacity);
  const out: string[] = [];
  let length = 0;

  const reserve = (extra: number): void => {
    if (length + extra <= capacity) return;
    capacity = Math.max(capacity * 2, length + extra);
    const grownStart = new Int32Array(capacity);
    const grownEnd = new Int32Array(capacity);
    grownStart.set(sourceStart);
    grownEnd.set(sourceEnd);
    sourceStart = grownStart;
    sourceEnd = grownEnd;
  };

  const push = (piece: string, start: number, end: number): void => {
    reserve(piece.length);
    sourceStart.fill(start, length, length + piece.length);
    sourceEnd.fill(end, length, length + piece.length);
    length += piece.length;
    out.push(piece);
  };

  for (let i = 0; i < input.length;) {
    // A run of printable ASCII maps one unit to one unit: lowercase it whole, tabs and newlines
    // become spaces, and each output unit points at the input unit below it.
    if (isPlainAscii(input.charCodeAt(i))) {
      const runStart = i;
      while (i < input.length && isPlainAscii(input.charCodeAt(i))) i++;
      reserve(i - runStart);
      for (let k = runStart; k < i; k++, length++) {
        sourceStart[length] = k;
        sourceEnd[length] = k + 1;
      }
      out.push(
        input
          .slice(runStart, i)
          .toLowerCase()
          .replace(/[\t\n\r]/g, ' '),
      );
      continue;
    }
    const cp = input.codePointAt(i)!;
    const start = i;
    i += cp > 0xffff ? 2 : 1;
    if (isControl(cp)) continue;
    if (isWhitespace(cp)) {
      push(' ', start, i);
    } else if (isChineseChar(cp)) {
      push(' ', start, i);
      push(foldChar(cp), start, i);
      push(' ', start, i);
    } else {
      const folded = foldChar(cp);
      if (folded !== '') push(folded, start, i);
    }
  }

  return {
    text: out.join(''),
    sourceStart: sourceStart.subarray(0, length),
    sourceEnd: sourceEnd.subarray(0, length),
  };
}
