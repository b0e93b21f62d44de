import { describe, expect, it } from 'vitest';
import type { PositionCosines, SegmentDistance } from '../../core/learned/types';
import {
  axisLabel,
  bandSentence,
  bandState,
  centredNote,
  droppedNote,
  frequencyAxisSentence,
  neighbourCountsSentences,
  neverSentence,
  num,
  rankCorrelationWithOrder,
  segmentSentence,
  staleNote,
} from './learnedText';

const positions = (over: Partial<PositionCosines>): PositionCosines => ({
  count: 128,
  lookedUp: 32,
  cosines: new Float32Array(128 * 128),
  adjacent: 0.02,
  tenApart: 0.01,
  beyondAdjacent: 0.03,
  ...over,
});

const segments = (over: Partial<SegmentDistance>): SegmentDistance => ({
  distance: 0.5,
  distanceAtStart: 0.4,
  cosine: -0.1,
  cosineAtStart: 0.02,
  ...over,
});

describe('learned view sentences', () => {
  it('num prints 3 decimals with a real minus sign and no negative zero', () => {
    expect(num(0.14321)).toBe('0.143');
    expect(num(-0.0612)).toBe('−0.061');
    expect(num(-0.0001)).toBe('0.000');
    expect(num(NaN)).toBe('—');
  });

  it('bandSentence gives the adjacent and 10-apart means of the report and names the rows looked up', () => {
    const p = positions({ adjacent: 0.1432, tenApart: -0.0612 });
    const text = bandSentence(p, 300);
    expect(text).toContain('Rows 1–31');
    expect(text).toContain('0.143');
    expect(text).toContain('−0.061');
    expect(text).toContain('the band along the diagonal');
  });

  it('calls it a band only when neighbours are clearly more alike than rows 10 apart', () => {
    expect(bandState(positions({ adjacent: 0.03, tenApart: 0.0 }), 0)).toBe('random');
    expect(bandState(positions({ adjacent: 0.03, tenApart: 0.0 }), 50)).toBe('none-yet');
    expect(bandState(positions({ adjacent: 0.25, tenApart: -0.06 }), 50)).toBe('band');
    expect(bandSentence(positions({ adjacent: 0.03, tenApart: 0.0 }), 0)).toContain('no band');
    expect(bandSentence(positions({ adjacent: 0.03, tenApart: 0.0 }), 40)).toContain('No band yet');
  });

  it('neverSentence names rows T..P−1, the sequence length and their cosine; all rows when T = P', () => {
    const text = neverSentence(positions({ beyondAdjacent: 0.0301 }));
    expect(text).toContain('Rows 32–127 are never looked up');
    expect(text).toContain('32 pieces long');
    expect(text).toContain('0.030');
    expect(neverSentence(positions({ lookedUp: 128 }))).toContain('every one of its 128 rows is looked up');
  });

  it('centredNote says what centring takes out, and mentions the tie only when tied', () => {
    expect(centredNote(true, true)).toMatch(/mean row.*tied/s);
    expect(centredNote(false, true)).toContain('dominates the raw cosine');
    expect(centredNote(true, false)).toContain('untied');
  });

  it('segmentSentence compares the distance with step 0 in the right direction', () => {
    expect(segmentSentence(segments({}), 300)).toContain('1.25× as far apart');
    expect(segmentSentence(segments({}), 300)).toContain('0.500 at step 300 (step 0: 0.400)');
    expect(segmentSentence(segments({ distance: 0.2 }), 9)).toContain('closer together');
    expect(segmentSentence(segments({ distance: 0.401 }), 9)).toContain('about as far apart');
    expect(segmentSentence(segments({ distance: 0.4, cosine: 0.02 }), 0)).toContain(
      'At step 0, ‖E_segment[A] − E_segment[B]‖ is 0.400 and their cosine 0.020',
    );
  });

  it('axis labels carry the explained variance in percent', () => {
    expect(axisLabel(1, [0.1234, 0.05])).toBe('PC1 (12.3% of variance)');
    expect(axisLabel(2, [0.1234, 0.05])).toBe('PC2 (5.0% of variance)');
  });

  it('staleNote shows only for an older report; droppedNote lists dropped picks', () => {
    expect(staleNote(4, 4)).toBeNull();
    expect(staleNote(3, 5)).toBe('Showing step 3; reading step 5…');
    expect(droppedNote([])).toBeNull();
    expect(droppedNote(['he'])).toContain('“he” is not in');
    expect(droppedNote(['he', 'two'])).toContain('they were dropped');
  });
});

describe('neighbourCountsSentences', () => {
  const entry = (counts: number[]) => ({
    piece: 'the',
    id: 1,
    count: 6104,
    neighbours: counts.map((count, i) => ({ piece: `p${i}`, id: 10 + i, cosine: 0.99, count })),
  });
  const report = { step: 300, vocabSize: 30_522, corpusPieces: 5_000 };

  it('gives the counts and says the rows are the corpus’s, with the tied mechanism', () => {
    const [counts, why] = neighbourCountsSentences(entry([10, 20, 30, 400]), report, true);
    expect(counts).toBe(
      '“the” occurs 6,104 times in the training corpus; its 4 nearest rows occur a median of 25 times.',
    );
    expect(why).toContain('All 4 occur in the corpus, where only 5,000 of the 30,522 pieces occur at all');
    expect(why).toContain('With the output tied to E_token');
  });

  it('says only corpus rows get a gradient when the output is untied', () => {
    const [, why] = neighbourCountsSentences(entry([10, 20, 30, 0, 5]), report, false);
    expect(why).toContain('4 of the 5 occur in the corpus');
    expect(why).toContain('only rows of pieces that occur in the corpus ever get a gradient');
  });

  it('says nothing about the corpus when the neighbours are not its pieces, and calls step 0 chance', () => {
    expect(neighbourCountsSentences(entry([0, 0, 3]), report, true)).toHaveLength(1);
    expect(
      neighbourCountsSentences(entry([10, 20, 30]), { ...report, corpusPieces: 20_000 }, true),
    ).toHaveLength(1);
    expect(neighbourCountsSentences(entry([0, 0, 3]), { ...report, step: 0 }, true)[1]).toBe(
      'At step 0 every row is a random draw, so these neighbours are chance.',
    );
  });
});

describe('the map’s frequency axis', () => {
  it('rankCorrelationWithOrder is 1 for increasing values, −1 for decreasing, ~0 for a shuffle', () => {
    expect(rankCorrelationWithOrder([1, 2, 3, 4, 5])).toBeCloseTo(1, 12);
    expect(rankCorrelationWithOrder([5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // d = (1, −1, 1, −1, 0): ρ = 1 − 6·4 / (5·24) = 0.8.
    expect(rankCorrelationWithOrder([2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it('names the side of the most frequent pieces when PC1 follows frequency, and says nothing when not', () => {
    // (x, y) pairs: x falls with the frequency rank, so the most frequent sit right.
    const falling = Float32Array.from([5, 0, 4, 0, 3, 0, 2, 0, 1, 0, 9, 9]);
    expect(frequencyAxisSentence(falling, 5)).toContain('the most frequent to the right');
    expect(frequencyAxisSentence(falling, 5)).toContain('rank correlation of PC1 with frequency is 1.00');
    const mixed = Float32Array.from([3, 0, 1, 0, 5, 0, 2, 0, 4, 0]);
    expect(frequencyAxisSentence(mixed, 5)).toBeNull();
  });
});
