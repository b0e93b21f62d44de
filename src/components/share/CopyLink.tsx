import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import { backendOf, encodeShareQuery, shareStateOf, type ShareState } from '../../store/share/state';
import './share.css';

type Status =
  | { readonly kind: 'copied'; readonly text: string }
  | { readonly kind: 'refused'; readonly text: string; readonly url: string }
  | { readonly kind: 'error'; readonly text: string };

const count = (n: number) => n.toLocaleString('en-US');
const CONFIRMATION_MS = 8_000;

/** What the link reproduces, in words, for the confirmation. */
function describe(state: ShareState, backend: string | null): string {
  if (state.step === 0) return 'it opens this view with these sentences and settings';
  return (
    `it opens this view with these sentences and trains the ${state.preset} model from seed ${state.seed} ` +
    `to step ${count(state.step)}${backend ? ` (numbers recorded on ${backend})` : ''}`
  );
}

/**
 * "Copy link": the current state as a URL, on the clipboard. Where the browser refuses the
 * clipboard (no permission, an insecure origin, a sandboxed frame), the link is shown selected in
 * a read-only field to copy by hand. The link is for the full lab, so embed flags are left out.
 */
export function CopyLink() {
  const state = useLab(useShallow(shareStateOf));
  const backend = useLab(backendOf);
  const [status, setStatus] = useState<Status | null>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Focus goes to the link, selected, so Ctrl+C (⌘C) is all that is left to do.
    if (status?.kind === 'refused') {
      field.current?.focus();
      field.current?.select();
    }
    // A confirmation is momentary: the state, and so the link, may change right after (training
    // moves the step many times a second). A refusal or an error stays until the next click.
    if (status?.kind !== 'copied') return;
    const timer = setTimeout(() => setStatus(null), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    const encoded = await encodeShareQuery(state, backend);
    if ('error' in encoded) return setStatus({ kind: 'error', text: encoded.error });
    const url = new URL(window.location.href);
    url.search = encoded.query === '' ? '' : `?${encoded.query}`;
    url.hash = '';
    const what = `${count(url.href.length)} characters; ${describe(state, backend)}.`;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url.href);
      setStatus({ kind: 'copied', text: `Link copied (${what})` });
    } catch {
      setStatus({
        kind: 'refused',
        url: url.href,
        text: `The browser did not allow copying: select the link below and copy it (${what})`,
      });
    }
  };

  return (
    <div className="share-link">
      <button type="button" data-testid="share.copy-link" onClick={() => void copy()}>
        Copy link
      </button>
      <div
        role="status"
        data-testid="share.status"
        data-kind={status?.kind ?? 'none'}
        className="share-status"
      >
        {status && <span className={status.kind === 'error' ? 'share-error' : undefined}>{status.text}</span>}
      </div>
      {status?.kind === 'refused' && (
        <input
          ref={field}
          className="share-field"
          data-testid="share.link"
          aria-label="Link to this state"
          readOnly
          value={status.url}
          onFocus={(event) => event.currentTarget.select()}
        />
      )}
    </div>
  );
}
