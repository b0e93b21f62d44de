/**
 * The masked-LM corruption of one sequence, as `create_masked_lm_predictions` in Google's
 * create_pretraining_data.py: choose about 15% of the tokens (never [CLS] or [SEP]), at most
 * `maxPredictionsPerSeq`, and replace each chosen token by [MASK] 80% of the time, a random
 * vocabulary entry 10% of the time, and leave it unchanged 10% of the time. The model must
 * predict the original token at every chosen position, whatever it was replaced by.
 */
import type { Rng } from '../math/rng';

/** What happened to a chosen token: the 80 / 10 / 10 of BERT's masking. */
export type MaskOutcome = 'mask' | 'random' | 'keep';

export interface MaskingOptions {
  /** The share of tokens to predict (BERT: 0.15), counted over the whole sequence, specials included. */
  readonly maskedLmProb: number;
  /** The cap on predictions per sequence (BERT: 20 at length 128, 80 at 512). */
  readonly maxPredictionsPerSeq: number;
  /** Choose whole words: a piece together with the `##` pieces that follow it. */
  readonly wholeWordMask: boolean;
}

export interface MaskingVocab {
  readonly size: number;
  readonly maskId: number;
  /** Ids that are never chosen: [CLS] and [SEP] (and [PAD], which Google never has in a sequence). */
  readonly isSpecial: (id: number) => boolean;
  /** A `##` piece, which continues the word before it. */
  readonly isContinuation: (id: number) => boolean;
}

export interface MaskedSequence {
  /** The ids after masking: what the model is fed. */
  readonly inputIds: number[];
  /** The chosen positions, ascending. */
  readonly positions: number[];
  /** The original id at each chosen position: what the model must predict. */
  readonly labels: number[];
  readonly outcomes: MaskOutcome[];
}

/** Python 3's round(): halves go to the even neighbour, so round(4.5) is 4 and round(1.5) is 2. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function maskSequence(
  ids: readonly number[],
  vocab: MaskingVocab,
  options: MaskingOptions,
  rng: Rng,
): MaskedSequence {
  // Candidates: single positions, or whole words (a piece and its following ## pieces).
  const candidates: number[][] = [];
  ids.forEach((id, i) => {
    if (vocab.isSpecial(id)) return;
    const last = candidates.at(-1);
    if (options.wholeWordMask && last !== undefined && vocab.isContinuation(id)) last.push(i);
    else candidates.push([i]);
  });
  rng.shuffle(candidates);

  const toPredict = Math.min(
    options.maxPredictionsPerSeq,
    Math.max(1, roundHalfEven(ids.length * options.maskedLmProb)),
  );
  const inputIds = [...ids];
  const chosen: { position: number; outcome: MaskOutcome }[] = [];
  for (const word of candidates) {
    if (chosen.length >= toPredict) break;
    // A whole word that would overshoot the budget is skipped, not cut (Google does the same).
    if (chosen.length + word.length > toPredict) continue;
    for (const position of word) {
      let outcome: MaskOutcome;
      if (rng.float() < 0.8) {
        outcome = 'mask';
        inputIds[position] = vocab.maskId;
      } else if (rng.float() < 0.5) {
        outcome = 'keep';
      } else {
        outcome = 'random';
        // Any vocabulary entry, as Google draws from the whole vocab; it may even be the original.
        inputIds[position] = rng.int(vocab.size);
      }
      chosen.push({ position, outcome });
    }
  }
  chosen.sort((x, y) => x.position - y.position);
  return {
    inputIds,
    positions: chosen.map((c) => c.position),
    labels: chosen.map((c) => ids[c.position]!),
    outcomes: chosen.map((c) => c.outcome),
  };
}
