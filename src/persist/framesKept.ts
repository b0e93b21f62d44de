/**
 * Which of the scrubber's frames a saved session keeps. Its own small module: the page uses it to
 * send only those frames to the Worker, without the rest of the page-state codec.
 */
import type { RowFrame } from '../core/train/pure';

/** The frames kept in a save: a bert-tiny frame is 150 kB, so only the latest fit in this. */
export const FRAME_BYTES_BUDGET = 4 * 1024 * 1024;

/**
 * The latest frames that fit FRAME_BYTES_BUDGET: all a save keeps. The page sends only these to
 * the Worker: structured-cloning all FRAME_LIMIT frames of a 30,522-row model (30 MB) held the
 * page's main thread for ~200 ms at every autosave while training played.
 */
export function framesKept(frames: readonly RowFrame[]): readonly RowFrame[] {
  const first = frames[0];
  const perFrame = first ? first.causes.byteLength + first.updateNorm.byteLength : 1;
  return frames.slice(-Math.max(1, Math.floor(FRAME_BYTES_BUDGET / perFrame)));
}
