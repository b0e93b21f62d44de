import { useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import { formatSavedAt } from './format';
import { SessionList } from './SessionList';
import './sessions.css';

/** "Saved at step N", kept up to date without ever waiting on a save. */
function SaveStatus() {
  const { current, saving, savedStep, enabled } = useLab(
    useShallow((s) => ({
      current: s.sessions.current,
      saving: s.sessions.saving,
      savedStep: s.sessions.savedStep,
      enabled: s.sessions.enabled,
    })),
  );
  const step = useLab((s) => s.training.snapshot?.step ?? 0);
  const savedAt = useLab((s) => s.sessions.list.find((m) => m.id === s.sessions.current?.id)?.savedAt);
  // The status re-renders every step (its step number); the time of the save does not change with it.
  const savedAtText = useMemo(() => (savedAt ? formatSavedAt(savedAt) : null), [savedAt]);
  const text = !enabled
    ? 'Saving is off in this view.'
    : !current
      ? 'The session is saved automatically after its first step.'
      : current.readOnly
        ? 'Read-only: nothing in this tab is saved.'
        : saving
          ? 'Saving…'
          : savedStep === null
            ? 'Not saved yet: saved automatically after a step.'
            : `Saved at step ${savedStep}${savedAtText ? ` (${savedAtText})` : ''}${
                step > savedStep ? `; step ${step} is saved within seconds.` : '.'
              }`;
  return (
    <p
      className="session-status muted"
      role="status"
      data-testid="sessions.status"
      data-saved-step={savedStep ?? ''}
      data-saving={saving}
    >
      {text}
    </p>
  );
}

function NameForm() {
  const current = useLab((s) => s.sessions.current);
  const saveSession = useLab((s) => s.saveSession);
  const ready = useLab((s) => s.training.status === 'ready');
  const id = useId();
  const [name, setName] = useState<string | null>(null);
  return (
    <form
      className="session-name-form"
      onSubmit={(event) => {
        event.preventDefault();
        void saveSession(name ?? current?.name ?? '').then(() => setName(null));
      }}
    >
      <label htmlFor={`${id}-name`}>Session name</label>
      <input
        id={`${id}-name`}
        data-testid="sessions.name"
        // The field follows the current session until the learner types.
        value={name ?? current?.name ?? ''}
        maxLength={120}
        disabled={!current || current.readOnly}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" data-testid="sessions.save" disabled={!ready || !current || current.readOnly}>
        Save now
      </button>
    </form>
  );
}

function ImportField() {
  const importSession = useLab((s) => s.importSession);
  const busy = useLab((s) => s.sessions.busy);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="session-import">
      <label htmlFor={`${id}-import`}>Import a session file (.bertlab)</label>
      <input
        ref={input}
        id={`${id}-import`}
        type="file"
        accept=".bertlab,application/octet-stream"
        data-testid="sessions.import"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void importSession(file).finally(() => input.current && (input.current.value = ''));
        }}
      />
    </div>
  );
}

/**
 * The Training view's Sessions panel: what is saved, where, and the saved sessions. The list and
 * the forms are folded (saving needs no attention); the save status and anything that does need
 * attention (a read-only session, a resume, an error) stay in sight.
 */
export function SessionsPanel() {
  const { current, resumed, error, notice, enabled } = useLab((s) => s.sessions);
  const startTraining = useLab((s) => s.startTraining);
  const continueAsCopy = useLab((s) => s.continueAsCopy);
  const dismiss = useLab((s) => s.dismissSessionsMessage);
  if (!enabled) return null;
  return (
    <section className="panel sessions-panel" data-testid="sessions.panel" aria-labelledby="sessions-heading">
      <details className="train-fold" data-testid="sessions.details">
        <summary data-testid="sessions.toggle">
          <h2 id="sessions-heading">Saved sessions</h2>
        </summary>
        <p className="stage-help">
          Training is saved in this browser (IndexedDB) as it goes: the weights, the optimizer&rsquo;s
          moments, the data stream&rsquo;s position and the history drawn here. A reload continues where it
          was. Sessions named automatically are kept for the last 5 starts; give one a name to keep it.
        </p>
        <NameForm />
        <SessionList />
        <ImportField />
      </details>
      <SaveStatus />
      {current?.readOnly && (
        <div className="message warn" role="alert" data-testid="sessions.readonly">
          “{current.name}” is open in another tab, which is saving it. This tab shows it read-only: nothing
          you train here is saved, so neither tab overwrites the other.{' '}
          <button type="button" data-testid="sessions.copy" onClick={() => void continueAsCopy()}>
            Continue as a copy
          </button>
        </div>
      )}
      {resumed && !current?.readOnly && (
        <p className="message" data-testid="sessions.resumed">
          Resumed “{resumed.name}” at step {resumed.step}.{' '}
          <button type="button" data-testid="sessions.fresh" onClick={() => void startTraining()}>
            Start fresh
          </button>
        </p>
      )}
      {error && (
        <p className="message error" role="alert" data-testid="sessions.error">
          {error}{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
      {notice && (
        <p className="message" role="status" data-testid="sessions.notice">
          {notice}
        </p>
      )}
    </section>
  );
}
