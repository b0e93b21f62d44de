import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AdapterInfo, BackendStatus } from '../../engine/trainProtocol';
import type { BackendName } from '../../core/domain/settings';
import { useLab } from '../../store/context';
import { useEmbedding } from '../embedding';

const number = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The adapter as the badge names it; null on a CPU backend. */
const adapterLine = (adapter: AdapterInfo | null) =>
  adapter
    ? `${adapter.description || adapter.vendor || 'GPU'}${adapter.isFallbackAdapter ? ' (software adapter)' : ''}`
    : null;

export function BackendBadge() {
  // Not the snapshot itself: a new one (a fresh copy from the Worker, with fresh arrays) arrives
  // with every step, and these fields rarely change. The backend list is compared by its text.
  const [backend, fusedStep, adapterText, backendsJson] = useLab(
    useShallow(
      (s) =>
        [
          s.training.snapshot?.backend ?? null,
          s.training.snapshot?.fusedStep ?? false,
          adapterLine(s.training.snapshot?.adapter ?? null),
          JSON.stringify(s.training.snapshot?.backends ?? null),
        ] as const,
    ),
  );
  const backends = useMemo(() => JSON.parse(backendsJson) as readonly BackendStatus[] | null, [backendsJson]);
  const msPerStep = useLab((s) => s.training.snapshot?.msPerStep ?? null);
  const background = useLab((s) => s.training.snapshot?.background ?? null);
  const setTrainingBackend = useLab((s) => s.setTrainingBackend);
  if (!backend || !backends) return null;
  return (
    <div
      className="backend-badge"
      data-testid="train.backend-badge"
      data-backend={backend}
      // What the engine checks in the background, for scripts; the list below says it in its options.
      data-background={background ?? undefined}
    >
      <strong>{backend}</strong>
      {fusedStep && (
        <span
          className="muted"
          data-testid="train.fused"
          title="Each training step is the lab's own WGSL kernels: about 86 dispatches in one submission, instead of ~1,300 tfjs kernels."
        >
          {' '}
          fused kernels
        </span>
      )}
      {adapterText !== null && <span className="muted"> {adapterText}</span>}
      {' · '}
      <span data-testid="train.ms">{msPerStep === null ? '—' : `${Math.round(msPerStep)} ms/step`}</span>
      <label className="switch-backend">
        Switch to{' '}
        <select
          aria-label="Switch backend, keeping the weights"
          title={background ?? undefined}
          value={backend}
          onChange={(e) => void setTrainingBackend(e.target.value as BackendName)}
        >
          {backends.map((b) => (
            // A backend not checked yet can still be picked: the engine checks it then.
            <option
              key={b.name}
              value={b.name}
              disabled={!b.available && b.pending !== true}
              title={b.reason}
            >
              {b.name}
              {b.measuredMs === undefined ? '' : ` (${Math.round(b.measuredMs)} ms)`}
              {background?.includes(` ${b.name} `) === true
                ? ' (checking now)'
                : b.pending === true
                  ? ' (not checked yet)'
                  : b.available
                    ? b.softwareRenderer
                      ? ' (software renderer)'
                      : ''
                    : ' (unavailable)'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Why Step, 10 steps and Play are disabled, in words; null when they work. */
function notReadyReason(status: 'idle' | 'starting' | 'ready' | 'error', embedded: boolean): string | null {
  switch (status) {
    case 'ready':
      return null;
    case 'error':
      // An embed may hide the settings: its reader can reload, or open the full lab from the title bar.
      return embedded
        ? 'The model did not start (the message above says why): reload the page, or open the full lab to change the settings.'
        : 'The model did not start (the message above says why): change the settings and restart.';
    default:
      return 'Step, 10 steps and Play work as soon as the model is built.';
  }
}

/** The run's numbers after the last step. */
function StepStats() {
  const step = useLab((s) => s.training.snapshot?.step ?? 0);
  const r = useLab((s) => s.training.lastReport);
  return (
    <dl className="trainer-stats" data-testid="train.stats">
      <div>
        <dt>Step</dt>
        <dd data-testid="train.step-count">{step}</dd>
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
  );
}

/** Step, 10 steps, Play and Pause, and the run's numbers after the last step. */
export function StepControls() {
  // The buttons depend on two fields that change a few times a run, not once per step.
  const [status, playing] = useLab(
    useShallow((s) => [s.training.status, s.training.snapshot?.playing ?? false] as const),
  );
  const stepTraining = useLab((s) => s.stepTraining);
  const playTraining = useLab((s) => s.playTraining);
  const pauseTraining = useLab((s) => s.pauseTraining);
  const [rate, setRate] = useState('5');
  const id = useId();
  const ready = status === 'ready';
  const reason = notReadyReason(status, useEmbedding() !== null);
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
      <StepStats />
    </>
  );
}
