import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { learnedClaim, learnedResult, type LearnedInput } from './learned';

const P = 24;
const H = 6;
const T = 14;

function randomTable(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: P * H }, () => rng.normal() * 0.02);
}

/** Rows 1..T−1 pulled towards a shared direction that turns slowly with the row index. */
function banded(start: Float32Array, beyond: (row: Float32Array, r: number) => void): Float32Array {
  const end = start.slice();
  for (let r = 1; r < T; r++)
    for (let c = 0; c < H; c++) end[r * H + c] = end[r * H + c]! + 0.05 * Math.cos(c + r * 0.4);
  for (let r = T; r < P; r++) beyond(end.subarray(r * H, (r + 1) * H), r);
  return end;
}

function input(end: Float32Array, start: Float32Array, weightDecay = true): LearnedInput {
  const lastUpdateRowNorm = new Float32Array(P).fill(1e-6);
  return {
    snapshots: [
      { step: 0, position: start },
      { step: 40, position: end },
    ],
    positions: P,
    hidden: H,
    seqLength: T,
    lastUpdateRowNorm,
    weightDecay,
  };
}

describe('learned chapter', () => {
  const start = randomTable(7);

  it('holds when neighbouring rows grow alike and the rows past T only shrink', () => {
    const end = banded(start, (row) => row.forEach((x, i) => (row[i] = x * 0.99)));
    const result = learnedResult(input(end, start));
    const { claim } = result;
    expect(claim.holds).toBe(true);
    expect(result.answer).toBe('band');
    expect(claim.lookedUp).toBe(T);
    expect(claim.beyondMaxCosineChange).toBeLessThan(1e-6);
    expect(claim.beyondScale.min).toBeCloseTo(0.99, 5);
    expect(claim.beyondScale.max).toBeCloseTo(0.99, 5);
    expect(claim.band.at(-1)!.adjacent).toBeGreaterThan(claim.band[0]!.adjacent + 0.05);
    expect(result.sentences.join(' ')).toContain(
      'Rows 14–23 are never looked up: every training sequence is 14 tokens long',
    );
    expect(result.sentences.join(' ')).toContain('shrank each to 0.9900 of its length');
  });

  it('does not hold when a row past T turned, and says the cosines changed', () => {
    const end = banded(start, (row, r) => {
      if (r === P - 1) row[0] = row[0]! + 0.05;
    });
    const result = learnedResult(input(end, start));
    expect(result.claim.holds).toBe(false);
    expect(result.answer).toBeNull();
    expect(result.claim.beyondMaxCosineChange).toBeGreaterThan(1e-3);
    expect(result.sentences.join(' ')).toContain('no longer as at step 0');
  });

  it('says the rows did not move at all without weight decay', () => {
    const end = banded(start, () => undefined);
    const sentences = learnedResult(input(end, start, false)).sentences.join(' ');
    expect(sentences).toContain('They did not move at all');
    expect(sentences).not.toContain('AdamW');
  });

  it('needs the table at step 0 and after training', () => {
    expect(() => learnedClaim({ ...input(start, start), snapshots: [{ step: 0, position: start }] })).toThrow(
      /step 0 and after training/,
    );
  });
});
