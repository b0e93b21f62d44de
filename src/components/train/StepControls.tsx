import { useId, useState } from 'react';
import type { BackendName } from '../../engine/trainProtocol';
import { useLab } from '../../store/context';

const number = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export function BackendBadge() {
  const snapshot = useLab((s) => s.training.snapshot);
  const setTrainingBackend = useLab((s) => s.setTrainingBackend);
  if (!snapshot?.backend) return null;
  const adapter = snapshot.adapter;
  return (
    <div className="backend-badge" data-testid="train.backend-badge" data-backend={snapshot.backend}>
      <strong>{snapshot.backend}</strong>
      {snapshot.fusedStep && (
        <span
          className="muted"
          data-testid="train.fused"
          title="Each training step is the lab's own WGSL kernels: about 86 dispatches in one submission, instead of ~1,300 tfjs kernels."
        >
          {' '}
          fused kernels
        </span>
      )}
      {adapter && (
        <span className="muted">
          {' '}
          {adapter.description || adapter.vendor || 'GPU'}
          {adapter.isFallbackAdapter ? ' (software adapter)' : ''}
        </span>
      )}
      {' · '}
      <span data-testid="train.ms">
        {snapshot.msPerStep === null ? '—' : `${Math.round(snapshot.msPerStep)} ms/step`}
      </span>
      <label className="switch-backend">
        Switch to{' '}
        <select
          aria-label="Switch backend, keeping the weights"
          value={snapshot.backend}
          onChange={(e) => void setTrainingBackend(e.target.value as BackendName)}
        >
          {snapshot.backends.map((b) => (
            <option key={b.name} value={b.name} disabled={!b.available}>
              {b.name}
              {b.measuredMs === undefined ? '' : ` (${Math.round(b.measuredMs)} ms)`}
              {b.available ? '' : ' (unavailable)'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Why Step, 10 steps and Play are disabled, in words; null when they work. */
function notReadyReason(status: 'idle' | 'starting' | 'ready' | 'error'): string | null {
  switch (status) {
    case 'ready':
      return null;
    case 'error':
      return 'The model did not start (the message above says why): change the settings and restart.';
    default:
      return 'Step, 10 steps and Play work as soon as the model is built.';
  }
}

/** Step, 10 steps, Play and Pause, and the run's numbers after the last step. */
export function StepControls() {
  const training = useLab((s) => s.training);
  const stepTraining = useLab((s) => s.stepTraining);
  const playTraining = useLab((s) => s.playTraining);
  const pauseTraining = useLab((s) => s.pauseTraining);
  const [rate, setRate] = useState('5');
  const id = useId();
  const ready = training.status === 'ready';
  const playing = training.snapshot?.playing ?? false;
  const r = training.lastReport;
  const reason = notReadyReason(training.status);
  const describedBy = reason === null ? undefined : `${id}-reason`;
  return (
    <>
      <div className="button-row">
        <button
          type="button"
          data-testid="train.step"
          disabled={!ready || playing}
          aria-describedby={describedBy}
          onClick={() => void stepTraining(1)}
        >
          Step
        </button>
        <button
          type="button"
          data-testid="train.step10"
          disabled={!ready || playing}
          aria-describedby={describedBy}
          onClick={() => void stepTraining(10)}
        >
          10 steps
        </button>
        {playing ? (
          <button type="button" data-testid="train.pause" onClick={pauseTraining}>
            Pause
          </button>
        ) : (
          <button
            type="button"
            data-testid="train.play"
            disabled={!ready}
            aria-describedby={describedBy}
            onClick={() => playTraining(Number(rate) || 5)}
          >
            Play
          </button>
        )}
        <label className="field-inline">
          steps/s
          <input
            type="number"
            min={0.1}
            max={60}
            step="any"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
          />
        </label>
      </div>
      {reason !== null && (
        <p className="muted train-not-ready" id={`${id}-reason`} data-testid="train.not-ready">
          {reason}
        </p>
      )}
      <dl className="trainer-stats" data-testid="train.stats">
        <div>
          <dt>Step</dt>
          <dd data-testid="train.step-count">{training.snapshot?.step ?? 0}</dd>
        </div>
        <div>
          <dt>MLM loss</dt>
          <dd data-testid="train.mlm-loss">{r ? number(r.loss.mlm) : '—'}</dd>
        </div>
        <div>
          <dt>NSP loss</dt>
          <dd>{r ? number(r.loss.nsp) : '—'}</dd>
        </div>
        <div>
          <dt>MLM accuracy</dt>
          <dd>{r ? `${Math.round(r.mlmAccuracy * 100)}%` : '—'}</dd>
        </div>
        <div>
          <dt>Learning rate</dt>
          <dd>{r ? r.learningRate.toExponential(2) : '—'}</dd>
        </div>
      </dl>
    </>
  );
}
