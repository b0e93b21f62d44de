/**
 * The lab as an iframe on a course page (`?embed=<view>`): one view, the state from the URL, and the
 * postMessage API to the host. The counts of accepted and rejected messages are on the frame's
 * <html> element, as `data-accepted-messages` and `data-rejected-messages`.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { viewLabel } from '../app/views';
import { LabStoreProvider } from '../store/context';
import type { LabStore } from '../store/types';
import { fieldsOf } from '../store/share/schema';
import { applyShareState, decodeShareQuery } from '../store/share/state';
import { notTraining } from './refusals';
import { EmbedApp } from './EmbedApp';
import type { EmbedParams } from './embedParams';
import { connectHost, type MessageCounts, type Rejection } from './hostApi';
import { framingOrigin, hostOriginNote, refusedOriginNote } from './hostOrigin';

function showCounts(counts: MessageCounts): void {
  const data = document.documentElement.dataset;
  data.acceptedMessages = String(counts.accepted);
  data.rejectedMessages = String(counts.rejected);
  if (counts.lastRejection !== null) data.lastRejection = counts.lastRejection;
}

/** The most origins whose refused messages get a note each: a page cannot flood the notices. */
const MAX_ORIGIN_NOTES = 4;

/** Adds a note for a message refused for its origin, once per origin; true if one was added. */
function noteRefusedOrigin(notices: string[], noted: Set<string>, rejection: Rejection): boolean {
  const origin = rejection.foreignOrigin;
  if (origin === null || noted.has(origin) || noted.size >= MAX_ORIGIN_NOTES) return false;
  noted.add(origin);
  notices.push(refusedOriginNote(origin));
  return true;
}

export async function mountIframeEmbed(
  element: HTMLElement,
  store: LabStore,
  params: EmbedParams,
): Promise<void> {
  document.title = `BERT Embedding Lab: ${viewLabel(params.view)}`;
  showCounts({ accepted: 0, rejected: 0, lastRejection: null });

  const decoded = await decodeShareQuery(window.location.search);
  // `embed=` chooses the view; a `view` key in the same URL would only contradict it.
  const state = { ...decoded.state };
  delete state.view;
  const notices = [...params.notices, ...decoded.notices];
  // A view that does not train leaves a link's training recipe out rather than start a Worker for
  // a model it never shows.
  const why = notTraining(params.view);
  const recipe = fieldsOf('training').filter(([name]) => state[name] !== undefined);
  if (why !== null && recipe.length > 0) {
    for (const [name] of recipe) delete state[name];
    notices.push(
      `The link's training settings (${recipe.map(([, field]) => field.key).join(', ')}) were left out: ${why}.`,
    );
  }
  store.getState().setView(params.view);
  store.getState().setTheme(params.theme);
  store.getState().setBackground(params.background);

  const inFrame = window.parent !== window;
  const originNote = inFrame
    ? hostOriginNote(params.origins, framingOrigin(window.location, document.referrer))
    : null;
  if (originNote !== null) notices.push(originNote);
  // The framing page's own refusals are what that note already says.
  const notedOrigins = new Set<string>(
    originNote !== null ? [framingOrigin(window.location, document.referrer) ?? ''] : [],
  );
  const root = createRoot(element);
  const appUrl = new URL(window.location.pathname, window.location.origin).href;
  // The URL's state goes in before any message from the host, so a host's setState wins. It
  // starts a microtask later, once the page below exists to show its notices.
  const applied = Promise.resolve().then(() =>
    applyShareState(store, state, {
      backend: decoded.backend,
      onNotice: (notice) => {
        notices.push(notice);
        render();
      },
    }),
  );
  // The view starts the engine itself only after the URL's recipe (if any) has started it.
  store.getState().holdAutoStart(applied);
  const connection = connectHost({
    self: window,
    host: window.parent === window ? null : window.parent,
    store,
    origins: params.origins,
    onCounts: showCounts,
    onRejected: (rejection) => {
      if (noteRefusedOrigin(notices, notedOrigins, rejection)) render();
    },
    before: applied,
  });
  function render() {
    root.render(
      <StrictMode>
        <LabStoreProvider store={store}>
          <EmbedApp
            hide={params.hide}
            notices={[...notices]}
            appUrl={appUrl}
            onHeight={connection.height}
            onMounted={connection.ready}
          />
        </LabStoreProvider>
      </StrictMode>,
    );
  }
  render();
}
