/**
 * Character classes used by BERT's normalizer and pre-tokenizer, on Unicode code points.
 *
 * They follow Hugging Face's `normalizers/bert.rs` and `pre_tokenizers/bert.rs`, which in turn
 * follow Google's `tokenization.py` (`_is_control`, `_is_whitespace`, `_is_punctuation`,
 * `_is_chinese_char`). Where HF's Unicode tables (Rust crates of an older Unicode version) and
 * this engine's regular-expression tables disagree on a code point, `unicode-overrides.ts`,
 * generated from the reference by `scripts/gen-unicode-overrides.ts`, has the final word.
 */
import { HF_CATEGORY_OVERRIDES, type CategoryOverride } from './unicode-overrides';

// HF's `is_other`: control, format, private use (and surrogates). Unassigned code points (Cn) are
// kept, so a character newer than HF's tables survives normalization.
const OTHER = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;
const NONSPACING_MARK = /^\p{Mn}$/u;
const PUNCTUATION = /^\p{P}$/u; // Pc, Pd, Ps, Pe, Pi, Pf, Po

function override(cp: number, kind: CategoryOverride['kind']): boolean | undefined {
  const ranges = HF_CATEGORY_OVERRIDES[kind];
  // Binary search over sorted, non-overlapping [first, last, value] ranges.
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid]!;
    if (cp < range[0]) hi = mid - 1;
    else if (cp > range[1]) lo = mid + 1;
    else return range[2];
  }
  return undefined;
}

const CONTROL = 1;
/** Class bits returned by `classBits`, for hot loops that test several classes at once. */
export const SPACE = 2;
const MARK = 4;
export const PUNCT = 8;

/** Whether a code point is ASCII punctuation; $ + < = > ^ ` | ~ count too, as in Google's original. */
function isAsciiPunctuation(cp: number): boolean {
  return (
    (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)
  );
}

/**
 * The classes of one code point from this engine's own Unicode tables alone, before HF's
 * overrides. Exported for scripts/gen-unicode-overrides.ts, which diffs it against HF.
 */
export function tableClasses(cp: number): {
  control: boolean;
  whitespace: boolean;
  mark: boolean;
  punctuation: boolean;
} {
  const ch = String.fromCodePoint(cp);
  // "\t", "\n" and "\r" are technically control characters, but BERT counts them as whitespace.
  const isTabOrNewline = cp === 0x09 || cp === 0x0a || cp === 0x0d;
  return {
    control: !isTabOrNewline && OTHER.test(ch),
    whitespace: isTabOrNewline || cp === 0x20 || WHITE_SPACE.test(ch),
    mark: NONSPACING_MARK.test(ch),
    punctuation: isAsciiPunctuation(cp) || PUNCTUATION.test(ch),
  };
}

/** Class bits per code point, plus one so that 0 means "not computed yet": dense for the BMP. */
const bmpClasses = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();

function computeClasses(cp: number): number {
  const table = tableClasses(cp);
  return (
    ((override(cp, 'control') ?? table.control) ? CONTROL : 0) |
    ((override(cp, 'whitespace') ?? table.whitespace) ? SPACE : 0) |
    ((override(cp, 'mark') ?? table.mark) ? MARK : 0) |
    ((override(cp, 'punctuation') ?? table.punctuation) ? PUNCT : 0)
  );
}

/** Bit set of the four classes for one code point, HF's overrides first; computed once per code point. */
export function classBits(cp: number): number {
  if (cp < 0x10000) {
    const cached = bmpClasses[cp]!;
    if (cached !== 0) return cached - 1;
    const bits = computeClasses(cp);
    bmpClasses[cp] = bits + 1;
    return bits;
  }
  let bits = astralClasses.get(cp);
  if (bits === undefined) {
    bits = computeClasses(cp);
    astralClasses.set(cp, bits);
  }
  return bits;
}

/** Removed by `clean_text`: NUL, U+FFFD and every "other" (C*) code point except tab and newlines. */
export function isControl(cp: number): boolean {
  return cp === 0 || cp === 0xfffd || (classBits(cp) & CONTROL) !== 0;
}

/** Mapped to a plain space by `clean_text`, and split on by the pre-tokenizer. */
export function isWhitespace(cp: number): boolean {
  return (classBits(cp) & SPACE) !== 0;
}

/** Dropped after NFD by `strip_accents` (general category Mn). */
export function isNonspacingMark(cp: number): boolean {
  return (classBits(cp) & MARK) !== 0;
}

/** Split off as a word of its own by the pre-tokenizer. */
export function isPunctuation(cp: number): boolean {
  return (classBits(cp) & PUNCT) !== 0;
}

/**
 * CJK ideographs get spaces around them, so each one becomes its own word. These are HF's ranges.
 * HF starts the fifth range at 0x2B920 where Google's `tokenization.py` starts it at 0x2B820, so
 * U+2B820..U+2B91F (CJK Extension E) are padded by Google but not by HF; we follow HF.
 */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}
