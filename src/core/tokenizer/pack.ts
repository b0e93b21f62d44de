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
 * How many pieces of A and B to keep under `maxLength` (specials included), as HF's
 * `truncate_encodings` with `LongestFirst` does for bert-base-uncased. With budget m = maxLength - 3:
 *   - each side's length is first capped at maxLength, as if each were cut to maxLength on its own
 *     (observed in tokenizers@0.23.2 over a 23 x 23 x 14 grid of lengths; not in its comments);
 *   - with n1 the shorter capped length (A on a tie) and n2 the longer: if n1 + n2 <= m, keep both;
 *   - else if the shorter fits with room to spare (n1 <= m - n1), it stays whole and the longer
 *     keeps m - n1;
 *   - else both are cut: the shorter keeps floor(m/2), the longer ceil(m/2).
 * Google's `_truncate_seq_pair` instead pops one piece at a time from the longer side (B on a tie),
 * so with an odd budget A always ends one piece longer. They disagree when both sides are cut, m is
 * odd and min(A, maxLength) <= min(B, maxLength). We follow HF; golden fixtures named
 * "hf differs from google: longest_first odd budget" pin those cases down.
 */
export function longestFirstBudget(lengthA: number, lengthB: number, maxLength: number): [number, number] {
  const budget = maxLength - 3;
  const a = Math.min(lengthA, maxLength);
  const b = Math.min(lengthB, maxLength);
  if (a + b <= budget) return [a, b];
  const swap = a > b;
  // n1 is the shorter side; the longer side is offered what the shorter leaves, but at least n1.
  let n1 = swap ? b : a;
  let n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = Math.floor(budget / 2);
    n2 = n1 + (budget % 2);
  }
  return swap ? [n2, n1] : [n1, n2];
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
