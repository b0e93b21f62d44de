import { viewLabel } from '../app/views';
import { useLab } from '../store/context';
import { useShareUrl } from './EmbedApp';
import { iframeSnippet } from './snippet';
import './embed.css';

export interface WorkerBlockedProps {
  /** Why the lab's worker cannot start here, in words (engine/labWorker.ts). */
  readonly reason: string;
  /** The full lab's page, next to the component's module. */
  readonly appUrl: string;
  readonly hide: readonly string[];
}

/**
 * What the web component shows instead of its view when this page cannot start the lab's Worker
 * (a course site whose CSP forbids blob: workers, or a lab host without CORS headers): why, and the
 * iframe snippet for the same view and state, which runs on the lab's own origin and so always can.
 */
export function WorkerBlocked({ reason, appUrl, hide }: WorkerBlockedProps) {
  const view = useLab((s) => s.view);
  const flags: Record<string, string> = { embed: view };
  if (hide.length > 0) flags.hide = hide.join(',');
  const snippet = iframeSnippet(useShareUrl(appUrl, flags).href, view);
  const open = useShareUrl(appUrl).href;
  return (
    <div className="embed" data-testid="embed.root" data-view={view}>
      <header className="embed-bar">
        <span className="embed-title">BERT Embedding Lab · {viewLabel(view)}</span>
      </header>
      <div className="message error" role="alert" data-testid="embed.worker-blocked">
        <p>
          This page cannot run the lab&apos;s worker, which the {viewLabel(view)} view needs: {reason}.
        </p>
        <p>
          Use the iframe instead: it runs on the lab&apos;s own site. Paste this where the element is (or{' '}
          <a href={open} target="_blank" rel="noopener">
            open the lab in a new tab
          </a>
          ):
        </p>
        <textarea
          className="embed-snippet"
          data-testid="embed.worker-blocked-snippet"
          readOnly
          rows={5}
          value={snippet}
          aria-label="The iframe snippet for this view"
        />
      </div>
    </div>
  );
}
