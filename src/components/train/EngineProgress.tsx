import { useEffect, useState } from 'react';
import type { EnginePhase } from '../../engine/trainProtocol';
import { useLab } from '../../store/context';
import { ProgressBar } from '../ProgressBar';

const BAR_LABELS: Partial<Record<EnginePhase['name'], string>> = {
  vocab: 'Micro vocabulary training',
};

/** Whole seconds since `key` last changed, ticking once a second while `key` is not null. */
function useSecondsSince(key: string | null): number {
  const [since, setSince] = useState({ key, at: Date.now() });
  const [now, setNow] = useState(Date.now);
  if (since.key !== key) setSince({ key, at: Date.now() });
  useEffect(() => {
    if (key === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [key]);
  return Math.max(0, Math.floor((now - since.at) / 1000));
}

/**
 * What the training engine is doing while the learner waits, in its own words: loading the corpus,
 * training the micro vocabulary, starting the backend, building the model, compiling the first
 * step's shaders. A bar where the work has a real measure; elapsed seconds for the slow ones.
 */
export function EngineProgress() {
  const starting = useLab((s) => s.training.status === 'starting');
  const phase = useLab((s) => s.training.phase);
  const key = phase ? `${phase.name}` : starting ? 'starting' : null;
  const seconds = useSecondsSince(key);
  if (key === null) return null;
  return (
    <div className="message engine-progress" role="status" data-testid="train.progress" data-phase={key}>
      <p>
        {phase?.detail ?? 'Starting the training engine…'}
        {/* Seconds tick every second: visible, but not re-announced by screen readers. */}
        {seconds >= 2 && (
          <span className="muted" aria-hidden="true">
            {' '}
            {seconds} s
          </span>
        )}
      </p>
      {phase?.fraction !== undefined && (
        <ProgressBar fraction={phase.fraction} label={BAR_LABELS[phase.name] ?? 'Progress'} />
      )}
    </div>
  );
}
