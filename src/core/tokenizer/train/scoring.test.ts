import { describe, expect, it } from 'vitest';
import { likelihoodGain } from './likelihood';
import { PairTable } from './pairs';
import { rankPairs, type ScoringContext } from './scoring';

describe('rankPairs with the likelihood gain', () => {
  // Symbols 0..6: p ##q r ##s x ##y xy. Only (x, ##y) makes a token that exists: xy.
  const TEXT = ['p', '##q', 'r', '##s', 'x', '##y', 'xy'];
  const XY = 6;

  function setUp() {
    const pairs = new PairTable((left, right) => (left === 4 && right === 5 ? XY : -1));
    pairs.add(0, 1, 0, 5); // (p, ##q) 5 times
    pairs.add(2, 3, 1, 4); // (r, ##s) 4 times
    pairs.add(4, 5, 2, 3); // (x, ##y) 3 times
    const symbolCount = [5, 5, 4, 4, 3, 3, 0];
    const symbolChanged = [0, 0, 0, 0, 0, 0, 0];
    const context = (epoch: number, total: number): ScoringContext => ({
      slots: pairs.slots(),
      symbolCount,
      symbolChanged,
      selfMerges: [0, 0, 0, 0, 0, 0, 0],
      total,
      epoch,
      sortsBefore: (l, r, ol, or) => TEXT[l]! + TEXT[r]! < TEXT[ol]! + TEXT[or]!,
    });
    return { symbolCount, symbolChanged, context };
  }

  it('rescores a pair whose merged token grew elsewhere, though its own counts did not change', () => {
    const { symbolCount, symbolChanged, context } = setUp();
    const first = rankPairs('likelihood', context(1, 1000));
    expect([first.best.left, first.runnerUp!.left]).toEqual([0, 2]);
    // Merge 1 made "xy" 100 times by another route (and took one token off N). (x, ##y) now makes
    // a common token: its gain rose from about 20 to about 34 nats, past (p, ##q)'s 31.5. Its memo
    // (20) is below the runner-up, so only the stamp on "xy" makes the scan look at it again.
    symbolCount[XY] = 100;
    symbolChanged[XY] = 1;
    const second = rankPairs('likelihood', context(2, 999));
    const expected = likelihoodGain({
      left: 3,
      right: 3,
      merges: 3,
      token: 100,
      total: 999,
      coincidence: 'none',
    });
    expect(second.best).toEqual({ left: 4, right: 5, score: expected, count: 3 });
    expect(second.runnerUp!.left).toBe(0);
  });
});
