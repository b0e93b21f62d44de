/**
 * Stage 4: packing one or two sentences into BERT's input, `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`.
 *
 * token_type_ids (segment ids) are 0 for [CLS], A and the first [SEP], and 1 for B and the final
 * [SEP]; position ids are 0..length-1, padding included, as BERT's position embedding is looked up
 * for every slot; the attention mask is 1 for real tokens and 0 for [PAD].
 */
import type { Analysis, TokenPiece } from './analyze';
import { CLS, PAD, SEP } from './specials';
import type { TokenId, Vocab } from './vocab';

export interface PackOptions {
  /** Total length, specials included; longer inputs are truncated "longest first". */
  readonly maxLength?: number;
  /** Pad with [PAD] up to this total length. */
  readonly padTo?: number;
}

export type Segment = 0 | 1;
export type Side = 'a' | 'b';

export interface PackedToken {
  readonly token: string;
  readonly id: TokenId;
  readonly segment: Segment;
  readonly position: number;
  readonly attention: 0 | 1;
  readonly kind: 'cls' | 'sep' | 'piece' | 'pad';
  /** Which sentence a piece came from; null for specials and padding. */
  readonly side: Side | null;
  /** The piece, with its word and source offsets in its own sentence; null for specials and padding. */
  readonly piece: TokenPiece | null;
}

export interface PackedInput {
  readonly tokens: string[];
  readonly inputIds: TokenId[];
  readonly tokenTypeIds: Segment[];
  readonly positionIds: number[];
  readonly attentionMask: (0 | 1)[];
  /** How many word pieces each side lost to truncation. */
  readonly truncated: { readonly a: number; readonly b: number };
  readonly hasPair: boolean;
  /** One entry per slot, in sequence order. */
  readonly slots: readonly PackedToken[];
}

export class PackError extends Error {
  override name = 'PackError';
}

/** The smallest max length that still fits the specials: 2 for `[CLS] A [SEP]`, 3 for a pair. */
export function minMaxLength(hasPair: boolean): number {
  return hasPair ? 3 : 2;
}

/**
 * How many pieces of A and B to keep under `maxLength` (specials included) with longest-first
 * truncation, as Google's BERT does it (`_truncate_seq_pair` in run_classifier.py) and as Hugging
 * Face's Python tokenizers do (`truncate_sequences` with `longest_first` in transformers'
 * tokenization_utils_base.py): with the budget m = maxLength - 3,
 *
 *     while lengthA + lengthB > m: drop the last piece of the longer side, of B when they are equal.
 *
 * The loop first brings the longer side down to the shorter one. So, with s the shorter length:
 *   - if s <= m - s, the shorter side stays whole and the longer keeps m - s;
 *   - else both end up cut: once they are equal B loses a piece first, so A keeps ceil(m/2) and B
 *     floor(m/2), whichever side was longer to begin with.
 * The closed form below is that loop, checked against it on a grid in pack.test.ts.
 *
 * HF's Rust tokenizers (0.23.2, the golden fixtures' reference for tokens and ids) cut differently:
 * it caps each side at maxLength on its own first and gives the odd piece of a split budget to B.
 * So when both sides are cut with an odd budget and min(A, maxLength) <= min(B, maxLength), it keeps
 * one piece fewer of A and one more of B than Google (issue 12's pair of 13 and 11 pieces at max
 * length 8: 2 + 3, not 3 + 2). The golden fixtures for truncated pairs follow Google (see
 * scripts/gen-tokenizer-fixtures.mjs).
 */
export function longestFirstBudget(lengthA: number, lengthB: number, maxLength: number): [number, number] {
  const budget = maxLength - 3;
  if (lengthA + lengthB <= budget) return [lengthA, lengthB];
  const shorter = Math.min(lengthA, lengthB);
  if (shorter <= budget - shorter) {
    const longer = budget - shorter;
    // Only the longer side is cut (equal sides of s <= m - s would already fit).
    return lengthA > lengthB ? [longer, shorter] : [shorter, longer];
  }
  return [Math.ceil(budget / 2), Math.floor(budget / 2)];
}

export function pack(
  vocab: Vocab,
  a: Analysis,
  b: Analysis | undefined,
  options: PackOptions = {},
): PackedInput {
  const hasPair = b !== undefined;
  const specials = hasPair ? 3 : 2;
  const { maxLength, padTo } = options;
  if (maxLength !== undefined) {
    if (!Number.isInteger(maxLength))
      throw new PackError(`Max length must be a whole number, not ${maxLength}.`);
    if (maxLength < specials) {
      throw new PackError(
        `Max length ${maxLength} is too small: ${hasPair ? '[CLS] A [SEP] B [SEP]' : '[CLS] A [SEP]'} needs at least ${specials} slots for its special tokens.`,
      );
    }
  }
  if (padTo !== undefined && (!Number.isInteger(padTo) || padTo < 0)) {
    throw new PackError(`Pad length must be a whole number of at least 0, not ${padTo}.`);
  }

  const lengthA = a.pieces.length;
  const lengthB = b?.pieces.length ?? 0;
  let keepA = lengthA;
  let keepB = lengthB;
  if (maxLength !== undefined) {
    if (hasPair) [keepA, keepB] = longestFirstBudget(lengthA, lengthB, maxLength);
    else keepA = Math.min(lengthA, maxLength - specials);
  }

  const slots: PackedToken[] = [];
  const special = (token: string, kind: PackedToken['kind'], segment: Segment): void => {
    const id = vocab.ids.get(token)!;
    const attention = kind === 'pad' ? 0 : 1;
    slots.push({ token, id, segment, position: slots.length, attention, kind, side: null, piece: null });
  };
  const pieces = (analysis: Analysis, keep: number, side: Side, segment: Segment): void => {
    for (let i = 0; i < keep; i++) {
      const piece = analysis.pieces[i]!;
      slots.push({
        token: piece.token,
        id: piece.id,
        segment,
        position: slots.length,
        attention: 1,
        kind: 'piece',
        side,
        piece,
      });
    }
  };

  special(CLS, 'cls', 0);
  pieces(a, keepA, 'a', 0);
  special(SEP, 'sep', 0);
  if (b) {
    pieces(b, keepB, 'b', 1);
    special(SEP, 'sep', 1);
  }
  while (padTo !== undefined && slots.length < padTo) special(PAD, 'pad', 0);

  return {
    tokens: slots.map((s) => s.token),
    inputIds: slots.map((s) => s.id),
    tokenTypeIds: slots.map((s) => s.segment),
    positionIds: slots.map((s) => s.position),
    attentionMask: slots.map((s) => s.attention),
    truncated: { a: lengthA - keepA, b: lengthB - keepB },
    hasPair,
    slots,
  };
}
