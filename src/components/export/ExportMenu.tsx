import { errorMessage } from '../../core/errorMessage';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { downloadBlob, formatBytes } from './download';
import './export.css';

export type ExportFormat = 'PNG' | 'SVG' | 'JSON' | 'CSV';

export interface ExportFile {
  readonly blob: Blob;
  readonly name: string;
}

export interface ExportAction {
  /** The test id after `export.`: `pack.json`, `train.rows.csv`. */
  readonly id: string;
  readonly format: ExportFormat;
  readonly label: string;
  /** Why the action cannot run yet; null when it can. */
  readonly disabledReason: string | null;
  /** Makes the file; `anchor` is the menu, from which the action finds its view's figures. */
  readonly run: (anchor: HTMLElement) => Promise<ExportFile> | ExportFile;
}

type Status = { readonly kind: 'idle' | 'busy' | 'done' | 'error'; readonly text: string };

const ITEM = '[data-export-item]';

/** Any press outside `root` closes it; composedPath sees through a web component's shadow root. */
function useCloseOnPressOutside(
  open: boolean,
  root: RefObject<HTMLElement | null>,
  setOpen: (open: boolean) => void,
) {
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (root.current && !event.composedPath().includes(root.current)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, root, setOpen]);
}

interface ExportItemProps {
  readonly action: ExportAction;
  /** The id of the element that says why the action cannot run. */
  readonly reasonId: string;
  /** Whether that reason is already said above every action. */
  readonly reasonShown: boolean;
  readonly onRun: () => void;
}

function ExportItem({ action, reasonId, reasonShown, onRun }: ExportItemProps) {
  const disabled = action.disabledReason !== null;
  return (
    <li>
      <button
        type="button"
        data-export-item=""
        data-testid={`export.${action.id}`}
        aria-disabled={disabled || undefined}
        aria-describedby={disabled ? reasonId : undefined}
        title={action.disabledReason ?? undefined}
        onClick={onRun}
      >
        <span className="export-format">{action.format}</span>
        <span className="export-label">{action.label}</span>
        {disabled && !reasonShown && (
          <span className="export-reason" id={reasonId}>
            {action.disabledReason}
          </span>
        )}
      </button>
    </li>
  );
}

/** One reason for every action (nothing trained yet, say) is said once, above them all. */
function sharedReason(actions: readonly ExportAction[]): string | null {
  const first = actions[0]?.disabledReason ?? null;
  return first !== null && actions.every((a) => a.disabledReason === first) ? first : null;
}

function ExportStatus({ view, status }: { view: string; status: Status }) {
  return (
    <p
      className={`export-status${status.kind === 'error' ? ' error' : ''}`}
      role={status.kind === 'error' ? 'alert' : 'status'}
      data-testid={`export.${view}.status`}
    >
      {status.text}
    </p>
  );
}

/**
 * The export disclosure of a view: a button that shows a list of actions, each one file. It is a
 * disclosure, not an ARIA menu: Tab moves through the actions as through any buttons, the arrow keys
 * also do, Escape closes it and returns focus to the button. Actions that cannot run yet stay
 * focusable (aria-disabled) so their reason, linked by aria-describedby, can be read.
 */
export function ExportMenu({ view, actions }: { view: string; actions: readonly ExportAction[] }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();

  useCloseOnPressOutside(open, root, setOpen);

  const shared = sharedReason(actions);

  const items = () => [...(root.current?.querySelectorAll<HTMLButtonElement>(ITEM) ?? [])];
  const focusItem = (index: number) => {
    const list = items();
    list[(index + list.length) % list.length]?.focus();
  };
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(event.target as HTMLButtonElement);
    const keys: Record<string, () => void> = {
      Escape: close,
      ArrowDown: () => focusItem(at + 1),
      ArrowUp: () => focusItem(at < 0 ? -1 : at - 1),
      Home: () => focusItem(0),
      End: () => focusItem(-1),
    };
    const action = open ? keys[event.key] : undefined;
    if (action) {
      event.preventDefault();
      action();
    } else if (!open && event.key === 'ArrowDown' && event.target === toggle.current) {
      event.preventDefault();
      setOpen(true);
      requestAnimationFrame(() => focusItem(0));
    }
  };

  const run = async (action: ExportAction) => {
    if (action.disabledReason !== null || status.kind === 'busy' || !root.current) return;
    const anchor = root.current;
    setStatus({ kind: 'busy', text: `Making ${action.format}…` });
    try {
      const file = await action.run(anchor);
      downloadBlob(file.blob, file.name, anchor);
      setStatus({ kind: 'done', text: `Saved ${file.name} (${formatBytes(file.blob.size)}).` });
      close();
    } catch (error) {
      setStatus({
        kind: 'error',
        text: `Could not export ${action.format}: ${errorMessage(error)}`,
      });
    }
  };

  return (
    <div
      className="export-menu"
      ref={root}
      data-testid="export.menu"
      data-view={view}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        // Focus that leaves the menu (Tab past the last action) closes it.
        const next = event.relatedTarget as Node | null;
        if (open && next && !root.current?.contains(next)) setOpen(false);
      }}
    >
      <button
        type="button"
        ref={toggle}
        className="export-toggle"
        data-testid={`export.${view}.toggle`}
        aria-expanded={open}
        aria-controls={`${id}-list`}
        onClick={() => setOpen(!open)}
      >
        Export <span aria-hidden="true">▾</span>
      </button>
      <ul id={`${id}-list`} className="export-list" hidden={!open} aria-label="Export this view">
        {shared !== null && (
          <li className="export-reason export-reason-all" id={`${id}-reason`}>
            {shared}
          </li>
        )}
        {actions.map((action) => (
          <ExportItem
            key={action.id}
            action={action}
            reasonId={shared !== null ? `${id}-reason` : `${id}-${action.id}-reason`}
            reasonShown={shared !== null}
            onRun={() => void run(action)}
          />
        ))}
      </ul>
      <ExportStatus view={view} status={status} />
    </div>
  );
}
