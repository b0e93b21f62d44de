import { errorMessage } from '../../core/errorMessage';
import { useEffect, useRef, useState } from 'react';
import type { SessionMeta } from '../../persist/db';
import { useLab } from '../../store/context';
import { download, formatBytes, formatSavedAt } from './format';

interface RenameFormProps {
  readonly initialName: string;
  readonly onRename: (name: string) => void;
  readonly onCancel: () => void;
}

/** The name, selected for typing over; Escape or Cancel leaves it as it was. */
function RenameForm({ initialName, onRename, onCancel }: RenameFormProps) {
  const [name, setName] = useState(initialName);
  const renameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    renameRef.current?.select();
  }, []);
  return (
    <form
      className="button-row"
      onSubmit={(event) => {
        event.preventDefault();
        onRename(name);
      }}
    >
      <label className="field-inline">
        New name
        <input
          ref={renameRef}
          data-testid="sessions.rename-input"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      <button type="submit" data-testid="sessions.rename-ok">
        Rename
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

interface ConfirmDeleteProps {
  readonly name: string;
  readonly onDelete: () => void;
  readonly onKeep: () => void;
}

/** Asked in the page, with the safe answer focused. */
function ConfirmDelete({ name, onDelete, onKeep }: ConfirmDeleteProps) {
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    keepRef.current?.focus();
  }, []);
  return (
    <div className="button-row session-confirm" role="group" aria-label={`Delete ${name}?`}>
      <span>Delete “{name}”? This cannot be undone.</span>
      <button type="button" className="danger" data-testid="sessions.confirm-delete" onClick={onDelete}>
        Delete
      </button>
      <button type="button" ref={keepRef} data-testid="sessions.cancel-delete" onClick={onKeep}>
        Keep it
      </button>
    </div>
  );
}

/** One saved session: load, rename, export, delete (asked for again in the page, never a dialog). */
function SessionItem({ meta }: { meta: SessionMeta }) {
  const current = useLab((s) => s.sessions.current);
  const isCurrent = current?.id === meta.id;
  // This tab's own lock is in `held` too; a read-only tab's current session is held by another.
  const heldElsewhere = useLab((s) => s.sessions.held.includes(meta.id)) && !(isCurrent && !current.readOnly);
  const busy = useLab((s) => s.sessions.busy);
  const loadSession = useLab((s) => s.loadSession);
  const renameSession = useLab((s) => s.renameSession);
  const deleteSession = useLab((s) => s.deleteSession);
  const exportSession = useLab((s) => s.exportSession);
  const [mode, setMode] = useState<'idle' | 'rename' | 'confirm'>('idle');
  const [exportError, setExportError] = useState<string | null>(null);
  const onExport = async () => {
    try {
      setExportError(null);
      const { blob, fileName } = await exportSession(meta.id);
      download(blob, fileName);
    } catch (error) {
      setExportError(errorMessage(error));
    }
  };

  return (
    <li
      className={`session-item${isCurrent ? ' current' : ''}`}
      data-testid="sessions.item"
      data-id={meta.id}
      data-step={meta.step}
      data-current={isCurrent}
    >
      <div className="session-title">
        <strong data-testid="sessions.item-name">{meta.name}</strong>
        {isCurrent && (
          <span className="session-badge">{current.readOnly ? 'shown here, read-only' : 'this tab'}</span>
        )}
        {heldElsewhere && <span className="session-badge warn">open in another tab</span>}
      </div>
      <div className="session-facts muted">
        step {meta.step.toLocaleString('en-US')} · {meta.preset} · {meta.optimizer} · saved{' '}
        {formatSavedAt(meta.savedAt)} · {formatBytes(meta.bytes)}
      </div>
      {mode === 'rename' ? (
        <RenameForm
          initialName={meta.name}
          onRename={(name) => void renameSession(meta.id, name).then(() => setMode('idle'))}
          onCancel={() => setMode('idle')}
        />
      ) : mode === 'confirm' ? (
        <ConfirmDelete
          name={meta.name}
          onDelete={() => void deleteSession(meta.id).then(() => setMode('idle'))}
          onKeep={() => setMode('idle')}
        />
      ) : (
        <div className="button-row">
          <button
            type="button"
            data-testid="sessions.load"
            disabled={busy || (isCurrent && !current.readOnly)}
            onClick={() => void loadSession(meta.id)}
          >
            Load
          </button>
          <button
            type="button"
            data-testid="sessions.rename"
            disabled={heldElsewhere}
            onClick={() => setMode('rename')}
          >
            Rename
          </button>
          <button type="button" data-testid="sessions.export" onClick={() => void onExport()}>
            Export
          </button>
          <button
            type="button"
            data-testid="sessions.delete"
            disabled={heldElsewhere || (isCurrent && !current.readOnly)}
            title={isCurrent ? 'This is the session you are training' : undefined}
            onClick={() => setMode('confirm')}
          >
            Delete…
          </button>
        </div>
      )}
      {exportError && (
        <p className="message error" role="alert">
          Could not export: {exportError}
        </p>
      )}
    </li>
  );
}

export function SessionList() {
  const list = useLab((s) => s.sessions.list);
  if (list.length === 0)
    return (
      <p className="muted" data-testid="sessions.empty">
        No saved sessions yet. A session is saved automatically once it has trained a step.
      </p>
    );
  return (
    <ul className="session-list" data-testid="sessions.list" aria-label="Saved sessions">
      {list.map((meta) => (
        <SessionItem key={meta.id} meta={meta} />
      ))}
    </ul>
  );
}
