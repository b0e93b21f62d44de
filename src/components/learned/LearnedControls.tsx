import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';

/** Play's pace here: the floor is 8 steps/s with this view open; the engine sets the real pace. */
const PLAY_STEPS_PER_SECOND = 10;

/**
 * Step, 10 steps, Play and Pause for this view, driving the same run as the Training view (its own
 * test ids: the Training view's buttons stay in the page, hidden, under theirs).
 */
export function LearnedControls() {
  const [status, playing, step] = useLab(
    useShallow(
      (s) =>
        [s.training.status, s.training.snapshot?.playing ?? false, s.training.snapshot?.step ?? 0] as const,
    ),
  );
  const stepTraining = useLab((s) => s.stepTraining);
  const playTraining = useLab((s) => s.playTraining);
  const pauseTraining = useLab((s) => s.pauseTraining);
  const ready = status === 'ready';
  return (
    <div className="button-row learned-controls" role="group" aria-label="Training">
      <button
        type="button"
        data-testid="learned.step"
        disabled={!ready || playing}
        onClick={() => void stepTraining(1)}
      >
        Step
      </button>
      <button
        type="button"
        data-testid="learned.step10"
        disabled={!ready || playing}
        onClick={() => void stepTraining(10)}
      >
        10 steps
      </button>
      {playing ? (
        <button type="button" data-testid="learned.pause" onClick={pauseTraining}>
          Pause
        </button>
      ) : (
        <button
          type="button"
          data-testid="learned.play"
          disabled={!ready}
          onClick={() => playTraining(PLAY_STEPS_PER_SECOND)}
        >
          Play
        </button>
      )}
      <span className="learned-step">
        Step <b data-testid="learned.step-count">{step}</b>
      </span>
    </div>
  );
}
