import type { RowFrame } from '../../core/train/pure';
import { useLab } from '../../store/context';

/** The step the Training view shows: the scrubber's choice, or the latest step. */
export function useViewedFrame(): RowFrame | null {
  const frames = useLab((s) => s.training.frames);
  const viewStep = useLab((s) => s.training.viewStep);
  const latest = frames.at(-1) ?? null;
  if (viewStep === null) return latest;
  return frames.find((f) => f.step === viewStep) ?? latest;
}
