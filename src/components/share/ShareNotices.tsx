import './share.css';

export interface ShareNoticesProps {
  readonly notices: readonly string[];
  readonly progress: { readonly step: number; readonly target: number } | null;
  readonly onDismiss: () => void;
  readonly onStop: () => void;
}

/** What a link asked for that was ignored or could not be honoured, and training towards its step. */
export function ShareNotices({ notices, progress, onDismiss, onStop }: ShareNoticesProps) {
  if (notices.length === 0 && progress === null) return null;
  return (
    <div className="share-notices">
      {progress && (
        <p className="message" role="status" data-testid="share.progress">
          Training to step {progress.target.toLocaleString('en-US')} from the link&rsquo;s seed: step{' '}
          {progress.step.toLocaleString('en-US')}…{' '}
          <progress max={progress.target} value={progress.step} aria-label="Training to the link's step" />{' '}
          <button type="button" data-testid="share.stop" onClick={onStop}>
            Stop here
          </button>
        </p>
      )}
      {notices.length > 0 && (
        <div className="message warn" role="status">
          <p className="share-notices-title">This link was opened with changes:</p>
          <ul>
            {notices.map((notice, i) => (
              <li key={i} data-testid="share.notice">
                {notice}
              </li>
            ))}
          </ul>
          <button type="button" data-testid="share.dismiss" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
