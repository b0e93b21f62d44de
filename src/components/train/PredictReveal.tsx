import { useLab } from '../../store/context';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "Predict, then reveal": a toggle, and a line that says what is marked before the step and how
 * the step compared with the marks after it.
 */
export function PredictReveal() {
  const prediction = useLab((s) => s.training.prediction);
  const step = useLab((s) => s.training.snapshot?.step ?? 0);
  const setPredicting = useLab((s) => s.setPredicting);
  const { on, rows, reveal } = prediction;
  return (
    <div className="predict-reveal">
      <label className="checkbox">
        <input
          data-testid="train.predict"
          type="checkbox"
          checked={on}
          onChange={(e) => setPredicting(e.target.checked)}
        />
        Predict, then reveal
      </label>
      {on && reveal === null && (
        <p className="stage-help" data-testid="train.prediction" data-count={rows.size} aria-live="polite">
          Which rows will step {step + 1} move? Click them on the map (or press Enter or Space on the keyboard
          cursor); {count(rows.size)} marked. Then step.
        </p>
      )}
      {on && reveal !== null && (
        <p
          className="reveal"
          data-testid="train.reveal"
          data-step={reveal.step}
          data-hits={reveal.hits}
          data-misses={reveal.misses}
          data-surprises={reveal.surprises}
          aria-live="polite"
        >
          Step {reveal.step}: <strong>{count(reveal.hits)}</strong> of the {count(rows.size)} rows you marked
          moved, <strong>{count(reveal.misses)}</strong> stayed put, and{' '}
          <strong>{count(reveal.surprises)}</strong> rows moved that you did not mark. Mark a row to start the
          next round.
        </p>
      )}
    </div>
  );
}
