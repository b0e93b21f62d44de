import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { maskSequence, roundHalfEven, type MaskingVocab, type MaskOutcome } from './masking';

/** Ids 0-4 are specials ([PAD], [UNK], [CLS] = 2, [SEP] = 3, [MASK] = 4); ids >= 50 are ## pieces. */
const vocab: MaskingVocab = {
  size: 100,
  maskId: 4,
  isSpecial: (id) => id === 0 || id === 2 || id === 3,
  isContinuation: (id) => id >= 50,
};
const options = { maskedLmProb: 0.15, maxPredictionsPerSeq: 20, wholeWordMask: false };

/** [CLS] 10 11 ... [SEP] 30 31 ... [SEP] with `a` and `b` tokens. */
function sequence(a: number, b: number): number[] {
  return [
    2,
    ...Array.from({ length: a }, (_, i) => 10 + i),
    3,
    ...Array.from({ length: b }, (_, i) => 30 + i),
    3,
  ];
}

describe('maskSequence', () => {
  it('rounds like Python 3: halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 4.5, 4.51, 2.49].map(roundHalfEven)).toEqual([0, 2, 2, 4, 5, 2]);
  });

  it('predicts round(15% of the length) tokens, at least 1 and at most maxPredictionsPerSeq', () => {
    const rng = new Rng(1);
    // Google: num_to_predict = min(max_predictions_per_seq, max(1, int(round(len(tokens) *
    // masked_lm_prob)))), with Python 3's round: halves go to the even neighbour. The length
    // counts [CLS] and both [SEP]s. Expected counts are written out, not recomputed.
    const count = (a: number, b: number, o = options) =>
      maskSequence(sequence(a, b), vocab, o, rng).positions.length;
    expect(maskSequence([2, 10, 3], vocab, options, rng).positions).toEqual([1]); // round(0.45) = 0, raised to 1
    expect(count(2, 2)).toBe(1); // length 7: round(1.05) = 1
    expect(count(3, 4)).toBe(2); // length 10: round(1.5) = 2
    expect(count(13, 14)).toBe(4); // length 30: round(4.5) = 4, not Math.round's 5
    expect(count(23, 24)).toBe(8); // length 50: round(7.5) = 8
    expect(count(33, 34)).toBe(10); // length 70: round(10.5) = 10, not 11
    expect(count(18, 19)).toBe(6); // length 40: round(6.0) = 6
    expect(count(18, 19, { ...options, maxPredictionsPerSeq: 6 })).toBe(6);
    expect(count(18, 19, { ...options, maxPredictionsPerSeq: 5 })).toBe(5);
    expect(count(18, 19, { ...options, maxPredictionsPerSeq: 3 })).toBe(3);
    expect(count(45, 46)).toBe(14); // length 94: round(14.1) = 14
    expect(count(100, 97)).toBe(20); // length 200: round(30) = 30, capped at 20
  });

  it('never chooses [CLS] or [SEP], and labels each choice with the original token', () => {
    const rng = new Rng(2);
    const ids = sequence(6, 7);
    for (let i = 0; i < 500; i++) {
      const masked = maskSequence(ids, vocab, options, rng);
      for (const p of masked.positions) expect(vocab.isSpecial(ids[p]!)).toBe(false);
      expect(masked.labels).toEqual(masked.positions.map((p) => ids[p]));
      expect(masked.positions).toEqual([...masked.positions].sort((x, y) => x - y));
      ids.forEach((id, p) => {
        if (!masked.positions.includes(p)) expect(masked.inputIds[p]).toBe(id);
      });
    }
  });

  it('replaces 80% of the chosen tokens by [MASK], 10% by a random token and keeps 10%', () => {
    const rng = new Rng(3);
    const counts: Record<MaskOutcome, number> = { mask: 0, random: 0, keep: 0 };
    const ids = sequence(30, 30);
    for (let i = 0; i < 2000; i++) {
      const masked = maskSequence(ids, vocab, options, rng);
      masked.outcomes.forEach((outcome, m) => {
        counts[outcome]++;
        const p = masked.positions[m]!;
        if (outcome === 'mask') expect(masked.inputIds[p]).toBe(vocab.maskId);
        if (outcome === 'keep') expect(masked.inputIds[p]).toBe(ids[p]);
      });
    }
    const total = counts.mask + counts.random + counts.keep;
    expect(total).toBe(2000 * 9); // round(63 * 0.15) = 9 per sequence
    expect(counts.mask / total).toBeCloseTo(0.8, 1);
    expect(Math.abs(counts.random / total - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts.keep / total - 0.1)).toBeLessThan(0.01);
  });

  it('with whole-word masking chooses a piece together with its following ## pieces', () => {
    const rng = new Rng(4);
    // Words: [10 50 51] [11] [12 52] [13] [14 53 54 55] [15]
    const ids = [2, 10, 50, 51, 11, 12, 52, 3, 13, 14, 53, 54, 55, 15, 3];
    const words = [[1, 2, 3], [4], [5, 6], [8], [9, 10, 11, 12], [13]];
    let multiPieceChosen = 0;
    let mostChosen = 0;
    for (let i = 0; i < 300; i++) {
      const masked = maskSequence(ids, vocab, { ...options, maskedLmProb: 0.3, wholeWordMask: true }, rng);
      const chosen = new Set(masked.positions);
      for (const word of words) {
        const inWord = word.filter((p) => chosen.has(p)).length;
        expect(inWord === 0 || inWord === word.length).toBe(true);
        if (inWord > 1) multiPieceChosen++;
      }
      // 15 slots x 0.3 = 4.5, which Python's round (and the code) takes to 4. A word that would
      // overshoot is skipped, so a sequence may end with fewer, but never more.
      expect(masked.positions.length).toBeLessThanOrEqual(4);
      mostChosen = Math.max(mostChosen, masked.positions.length);
    }
    expect(mostChosen).toBe(4);
    expect(multiPieceChosen).toBeGreaterThan(0);
  });
});
