// requestAnimationFrame recording shared by the frame-rate benchmarks.

/**
 * A page script that records rAF timestamps for `seconds` and resolves with them. A string, not a
 * function: tsx would wrap an inline function in a helper that does not exist in the page.
 */
export const recordFrames = (seconds: number) => `new Promise((resolve) => {
  const times = [];
  const end = performance.now() + ${seconds * 1000};
  const tick = (t) => {
    times.push(t);
    if (t < end) requestAnimationFrame(tick);
    else resolve(times);
  };
  requestAnimationFrame(tick);
})`;

export { quantile } from './stats';

/** Intervals between consecutive timestamps, ascending. */
export const sortedIntervals = (times: readonly number[]) =>
  times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
