// The global styles first, so that each view's own stylesheet (imported by its component) comes after
// them in the cascade: tokens and base elements, the chips every view draws, the loading screens.
import './app/tokens.css';
import './app/styles.css';
import './components/chips.css';
import './app/loading.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createBertLab } from './app/bertLab';
import { installFonts } from './app/fonts';
import { createLabStore } from './store/labStore';
import { LabStoreProvider } from './store/context';
import { registerServiceWorker } from './app/serviceWorker';
import { startShareUrl } from './app/useShareUrl';
import { hasTrainingFields } from './store/share/state';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
installFonts();
const store = createLabStore();
window.bertLab = createBertLab(store);
// `?embed=<view>`: one view for a course page's iframe, driven by its host through postMessage.
// Its parser, host API and chrome are not part of the full page's first load.
const embed = new URLSearchParams(window.location.search).has('embed');
if (embed) {
  void Promise.all([import('./embed/embedParams'), import('./embed/iframe')]).then(
    ([{ readEmbedParams }, { mountIframeEmbed }]) =>
      mountIframeEmbed(root, store, readEmbedParams(window.location.search)!),
  );
} else {
  // The full page opens the state in its link and keeps the address bar in step (embeds read
  // their own). Training is saved as it goes; a reload resumes it unless the link carries a
  // training recipe, read from the same decoding of the link.
  const share = startShareUrl(store);
  const sessions = share.decoded.then(({ state }) =>
    store.getState().enableSessions({ resume: !hasTrainingFields(state) }),
  );
  // The Training view starts the engine when it is first shown, but only once the link and the
  // saved session have had their turn: either may be starting or resuming a run of its own.
  store.getState().holdAutoStart(Promise.all([share.applied, sessions]));
  createRoot(root).render(
    <StrictMode>
      <LabStoreProvider store={store}>
        <App />
      </LabStoreProvider>
    </StrictMode>,
  );
}
// Offline use for the full app's production build only: `npm run dev` has no sw.js to register,
// and an iframe embed should not download the whole app into a course page's visit.
if (import.meta.env.PROD && !embed) registerServiceWorker();
