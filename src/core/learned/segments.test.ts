import { describe, expect, it } from 'vitest';
import { segmentDistance } from './segments';

describe('segmentDistance', () => {
  it('measures the two segment rows apart, now and at step 0', () => {
    const now = Float32Array.from([3, 0, 0, 4]);
    const start = Float32Array.from([1, 1, 1, 1]);
    expect(segmentDistance(now, start, 2)).toEqual({
      distance: 5,
      distanceAtStart: 0,
      cosine: 0,
      cosineAtStart: 1,
    });
    expect(() => segmentDistance(new Float32Array(3), start, 2)).toThrow(/2×2/);
  });
});
