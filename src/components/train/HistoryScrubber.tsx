import { FRAME_LIMIT } from '../../store/controllers/trainingEngine';
import { useLab } from '../../store/context';
import { useViewedFrame } from './useViewedFrame';

/** A slider over the last FRAME_LIMIT steps: rewinds the map and the counts, never the weights. */
export function HistoryScrubber() {
  const frames = useLab((s) => s.training.frames);
  const viewStep = useLab((s) => s.training.viewStep);
  const setViewStep = useLab((s) => s.setTrainingViewStep);
  const frame = useViewedFrame();
  if (frames.length < 2 || !frame) return null;
  const first = frames[0]!.step;
  const last = frames.at(-1)!.step;
  return (
    <div className="button-row history-scrubber">
      <label className="field-inline">
        Show step
        <input
          type="range"
          data-testid="train.scrubber"
          min={first}
          max={last}
          value={frame.step}
          onChange={(e) => {
            const step = Number(e.target.value);
            setViewStep(step === last ? null : step);
          }}
        />
      </label>
      <span data-testid="train.view-step" data-step={frame.step}>
        step {frame.step}
        {viewStep === null ? ' (latest)' : ` of ${last}`}
      </span>
      <button type="button" disabled={viewStep === null} onClick={() => setViewStep(null)}>
        Follow the latest step
      </button>
      <span className="muted">
        the last {FRAME_LIMIT} steps are kept; the weights stay at the latest step.
      </span>
    </div>
  );
}
