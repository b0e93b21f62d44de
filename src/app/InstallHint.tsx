import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, offlineState, promptInstall } from './serviceWorker';

const DISMISSED_KEY = 'bert-lab.install-dismissed';

/** localStorage can throw (a sandboxed iframe, storage turned off): then the hint just comes back. */
function readDismissed(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeDismissed(): void {
  try {
    window.localStorage.setItem(DISMISSED_KEY, '1');
  } catch {
    // Dismissed for this visit only.
  }
}

/**
 * Offline use, in one line: a button to install the lab where the browser offers it (Chromium's
 * `beforeinstallprompt`), otherwise a note that it works offline once the service worker is ready
 * (Safari and Firefox have no install prompt to offer), and a notice when a new version waits.
 * Renders nothing unless the service worker was registered (production builds of the full app).
 */
export function InstallHint() {
  const offline = useSyncExternalStore(offlineState.subscribe, offlineState.get);
  const [dismissed, setDismissed] = useState(readDismissed);
  const canInstall = offline.installPrompt !== null && !dismissed;
  return (
    <>
      {offline.updateWaiting && (
        <div className="update-notice" role="status" data-testid="app.update">
          A new version is ready —{' '}
          <button type="button" data-testid="app.update-reload" onClick={applyUpdate}>
            Reload
          </button>
        </div>
      )}
      {canInstall ? (
        <div className="install-hint">
          <button type="button" data-testid="app.install" onClick={() => void promptInstall()}>
            Install the lab for offline use
          </button>
          <button
            type="button"
            className="install-dismiss"
            data-testid="app.install-dismiss"
            aria-label="Dismiss the install suggestion"
            onClick={() => {
              writeDismissed();
              setDismissed(true);
            }}
          >
            ×
          </button>
        </div>
      ) : (
        offline.ready && (
          <p className="install-hint muted" data-testid="app.offline-ready">
            {offline.firstVisit ? 'Works offline after this visit' : 'Works offline'}
          </p>
        )
      )}
    </>
  );
}
