/**
 * The three stages run together on one text, keeping every intermediate for the views:
 * normalized text -> basic tokens (words) -> word pieces, each piece mapped back to the
 * characters of the original text.
 */
import { normalize, type NormalizedText } from './normalize';
import { fastWordPieces } from './fastWordPiece';
import type { Word } from './pretokenize';
import { CONTINUATION_PREFIX, SPECIAL_TOKENS, UNK } from './specials';
import type { TokenId, Vocab } from './vocab';

export interface TokenPiece {
  readonly token: string;
  readonly id: TokenId;
  /** Index into `Analysis.words` of the basic token this piece belongs to. */
  readonly wordIndex: number;
  /** [start, end) in UTF-16 units of the original text: the characters this piece came from. */
  readonly start: number;
  readonly end: number;
  readonly isUnk: boolean;
  /** A "##" piece: it continues the word instead of starting it. */
  readonly isContinuation: boolean;
}

export interface AnalyzedWord extends Word {
  /** [start, end) in UTF-16 units of the original text. */
  readonly sourceStart: number;
  readonly sourceEnd: number;
}

export interface Analysis {
  readonly text: string;
  readonly normalized: NormalizedText;
  readonly words: readonly AnalyzedWord[];
  readonly pieces: readonly TokenPiece[];
}

/** Maps a [start, end) range of normalized text back to the original text. */
function toSource(normalized: NormalizedText, start: number, end: number): [number, number] {
  return [normalized.sourceStart[start]!, normalized.sourceEnd[end - 1]!];
}

/**
 * The special tokens typed literally in the text, e.g. "[MASK]". HF's tokenizer for
 * bert-base-uncased registers them as added tokens with `normalized: false`, so it finds them in
 * the raw text, case-sensitively, before normalizing anything else, and maps each to its id.
 * Google's original has no such step and would split "[MASK]" into "[", "mask", "]". We follow HF.
 */
const LITERAL_SPECIALS = new RegExp(SPECIAL_TOKENS.map((t) => t.replace(/[[\]]/g, '\\$&')).join('|'), 'g');

interface Span {
  readonly start: number;
  readonly end: number;
  readonly special: boolean;
}

function splitOnSpecials(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(LITERAL_SPECIALS)) {
    if (match.index > last) spans.push({ start: last, end: match.index, special: false });
    spans.push({ start: match.index, end: match.index + match[0].length, special: true });
    last = match.index + match[0].length;
  }
  if (last < text.length || spans.length === 0) spans.push({ start: last, end: text.length, special: false });
  return spans;
}

/** Concatenates per-span normalized texts, shifting their source offsets to the whole text. */
function joinNormalized(parts: readonly { normalized: NormalizedText; offset: number }[]): NormalizedText {
  if (parts.length === 1 && parts[0]!.offset === 0) return parts[0]!.normalized;
  const length = parts.reduce((sum, p) => sum + p.normalized.text.length, 0);
  const sourceStart = new Int32Array(length);
  const sourceEnd = new Int32Array(length);
  let at = 0;
  for (const { normalized, offset } of parts) {
    for (let i = 0; i < normalized.text.length; i++, at++) {
      sourceStart[at] = normalized.sourceStart[i]! + offset;
      sourceEnd[at] = normalized.sourceEnd[i]! + offset;
    }
  }
  return { text: parts.map((p) => p.normalized.text).join(''), sourceStart, sourceEnd };
}

export function analyze(text: string, vocab: Vocab): Analysis {
  const unkId = vocab.special[UNK];
  const words: AnalyzedWord[] = [];
  const pieces: TokenPiece[] = [];
  const parts: { normalized: NormalizedText; offset: number }[] = [];
  let normalizedOffset = 0;

  for (const span of splitOnSpecials(text)) {
    const raw = text.slice(span.start, span.end);
    if (span.special) {
      // Added tokens skip normalization: the literal stays as typed, one unit for one unit.
      const sourceStart = Int32Array.from({ length: raw.length }, (_, i) => i);
      const sourceEnd = sourceStart.map((i) => i + 1);
      parts.push({ normalized: { text: raw, sourceStart, sourceEnd }, offset: span.start });
      const wordIndex = words.length;
      words.push({
        text: raw,
        start: normalizedOffset,
        end: normalizedOffset + raw.length,
        sourceStart: span.start,
        sourceEnd: span.end,
      });
      const id = vocab.ids.get(raw)!;
      pieces.push({
        token: raw,
        id,
        wordIndex,
        start: span.start,
        end: span.end,
        isUnk: id === unkId,
        isContinuation: false,
      });
      normalizedOffset += raw.length;
      continue;
    }
    const normalized = normalize(raw);
    parts.push({ normalized, offset: span.start });
    const pass = fastWordPieces(normalized.text, vocab);
    const firstWord = words.length;
    for (let w = 0; w < pass.wordCount; w++) {
      const start = pass.wordStart[w]!;
      const end = pass.wordEnd[w]!;
      const [sourceStart, sourceEnd] = toSource(normalized, start, end);
      words.push({
        text: normalized.text.slice(start, end),
        start: normalizedOffset + start,
        end: normalizedOffset + end,
        sourceStart: span.start + sourceStart,
        sourceEnd: span.start + sourceEnd,
      });
    }
    for (let p = 0; p < pass.pieceCount; p++) {
      const id = pass.pieceId[p]! as TokenId;
      const start = pass.pieceStart[p]!;
      const word = pass.pieceWord[p]!;
      const [sourceStart, sourceEnd] = toSource(normalized, start, pass.pieceEnd[p]!);
      const token = vocab.tokens[id]!;
      pieces.push({
        token,
        id,
        wordIndex: firstWord + word,
        start: span.start + sourceStart,
        end: span.start + sourceEnd,
        isUnk: id === unkId,
        isContinuation: start > pass.wordStart[word]! && token.startsWith(CONTINUATION_PREFIX),
      });
    }
    normalizedOffset += normalized.text.length;
  }
  return { text, normalized: joinNormalized(parts), words, pieces };
}

/** Ids only, without the per-piece objects `analyze` builds for the views: the fast path. */
export function encodeIds(text: string, vocab: Vocab): number[] {
  const ids: number[] = [];
  for (const span of splitOnSpecials(text)) {
    const raw = text.slice(span.start, span.end);
    if (span.special) {
      ids.push(vocab.ids.get(raw)!);
      continue;
    }
    const pass = fastWordPieces(normalize(raw).text, vocab);
    for (let p = 0; p < pass.pieceCount; p++) ids.push(pass.pieceId[p]!);
  }
  return ids;
}
