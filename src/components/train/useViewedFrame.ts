import { useMemo } from 'react';
import { CAUSE_INDEX, perCause, type RowFrame } from '../../core/train/pure';
import { useLab } from '../../store/context';

/**
 * The model as built, before its first step: every row of E_token is where the seed put it, so
 * every row is "unchanged" and no row has moved. The map and the counters show this at once, so
 * the view has its picture before the learner presses Step.
 */
export function initialFrame(vocabSize: number): RowFrame {
  const counts = perCause((cause) => (cause === 'unchanged' ? vocabSize : 0));
  return {
    step: 0,
    causes: new Uint8Array(vocabSize).fill(CAUSE_INDEX.unchanged),
    updateNorm: new Float32Array(vocabSize),
    counts,
  };
}

/** The frame of `viewStep` among `frames`, or the latest one; `before` when there is none. */
export function viewedFrameOf(
  frames: readonly RowFrame[],
  viewStep: number | null,
  before: RowFrame | null,
): RowFrame | null {
  const latest = frames.at(-1) ?? before;
  if (viewStep === null) return latest;
  return frames.find((f) => f.step === viewStep) ?? latest;
}

/**
 * The step the Training view shows: the scrubber's choice, or the latest step; step 0 (nothing
 * moved yet) once a model exists and before it has taken a step.
 */
export function useViewedFrame(): RowFrame | null {
  const frames = useLab((s) => s.training.frames);
  const viewStep = useLab((s) => s.training.viewStep);
  const vocabSize = useLab((s) => s.training.rows?.vocabSize ?? null);
  const before = useMemo(() => (vocabSize === null ? null : initialFrame(vocabSize)), [vocabSize]);
  return viewedFrameOf(frames, viewStep, before);
}
