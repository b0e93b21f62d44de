/** How far apart the two segment rows E_segment[A] and E_segment[B] are, now and at step 0. */
import type { SegmentDistance } from './types';

function distanceAndCosine(segment: Float32Array, hidden: number): { distance: number; cosine: number } {
  if (segment.length !== 2 * hidden)
    throw new RangeError(`The segment table needs 2×${hidden} values, not ${segment.length}.`);
  let squared = 0;
  let dot = 0;
  let a2 = 0;
  let b2 = 0;
  for (let c = 0; c < hidden; c++) {
    const a = segment[c]!;
    const b = segment[hidden + c]!;
    squared += (a - b) ** 2;
    dot += a * b;
    a2 += a * a;
    b2 += b * b;
  }
  const norms = Math.sqrt(a2 * b2);
  return { distance: Math.sqrt(squared), cosine: norms > 0 ? dot / norms : 0 };
}

/** ‖E_segment[A] − E_segment[B]‖ and their cosine, for the table now and at step 0 ([2, H] each). */
export function segmentDistance(now: Float32Array, atStart: Float32Array, hidden: number): SegmentDistance {
  const current = distanceAndCosine(now, hidden);
  const start = distanceAndCosine(atStart, hidden);
  return {
    distance: current.distance,
    distanceAtStart: start.distance,
    cosine: current.cosine,
    cosineAtStart: start.cosine,
  };
}
