import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PackPanel, useBertVocab } from '../app/PackPanel';
import { viewLabel } from '../app/views';
import { LearnedView, LessonView, SumView, TrainPanel, ViewSuspense, VocabView } from '../app/lazyViews';
import { EmbeddingProvider, type Embedding } from '../components/embedding';
import type { LabView } from '../store/types';
import { fieldsOf, DEFAULT_SHARE_STATE } from '../store/share/schema';
import { backendOf, encodeShareQuery, shareStateOf, type ShareState } from '../store/share/state';
import { hideRules } from './embedParams';
import { useEmbedAppearance } from './embedTheme';
import { useLab, useLabStore } from '../store/context';
import { trainingBusy } from '../components/useKeptHeight';
import { createHeightReporter, hasEmbedContent } from './heightReport';
import './embed.css';

/**
 * Loads bert-base-uncased where Tokenize & Pack (which loads it in the full app) is not on show:
 * the default model (lab) trains on it, so a Training or Embedding sum embed needs it too.
 */
function BertVocab(): null {
  useBertVocab();
  return null;
}

function EmbeddedView({ view }: { view: LabView }) {
  switch (view) {
    case 'pack':
      return <PackPanel />;
    case 'vocab':
      return <VocabView />;
    case 'train':
      return (
        <>
          <BertVocab />
          <TrainPanel />
        </>
      );
    case 'sum':
      return (
        <>
          <BertVocab />
          <SumView active />
        </>
      );
    case 'learned':
      return (
        <>
          <BertVocab />
          <LearnedView active />
        </>
      );
    case 'lesson':
      return (
        <>
          <BertVocab />
          <LessonView />
        </>
      );
  }
}

/** The training fields at their defaults, which a link leaves out. */
const TRAINING_DEFAULTS: Partial<ShareState> = Object.fromEntries(
  fieldsOf('training').map(([name]) => [name, DEFAULT_SHARE_STATE[name]]),
);

/**
 * The lab's URL with the current state encoded (and `extra` flags added), so a link continues from
 * what is on show. `error` says why the state did not fit in a link; the URL then carries no state.
 */
export function useShareUrl(
  baseUrl: string,
  extra: Readonly<Record<string, string>> = {},
  /** Leave the training recipe out: the link is for a view that does not train the model. */
  withoutTraining = false,
): { readonly href: string; readonly error: string | null } {
  const state = useLab(useShallow(shareStateOf));
  const backend = useLab(backendOf);
  const [link, setLink] = useState<{ href: string; error: string | null }>({ href: baseUrl, error: null });
  const extraKey = JSON.stringify(extra);
  useEffect(() => {
    let cancelled = false;
    // While training plays the step changes many times a second; the link follows a moment later.
    const timer = setTimeout(() => {
      const shown = withoutTraining ? { ...state, ...TRAINING_DEFAULTS } : state;
      void encodeShareQuery(shown, backend).then((encoded) => {
        if (cancelled) return;
        const url = new URL(baseUrl);
        url.search = 'query' in encoded ? encoded.query.replace(/^\?/, '') : '';
        for (const [key, value] of Object.entries(JSON.parse(extraKey) as Record<string, string>))
          url.searchParams.set(key, value);
        setLink({ href: url.href, error: 'error' in encoded ? encoded.error : null });
      });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [state, backend, baseUrl, extraKey, withoutTraining]);
  return link;
}

/**
 * Adopts a stylesheet that hides the chosen controls into the document or shadow root the embed
 * lives in. A constructed sheet, not a <style> element: host pages with a strict style-src CSP
 * allow it.
 */
function useHiddenControls(ref: RefObject<HTMLElement | null>, hide: readonly string[]) {
  const css = hideRules(hide);
  useLayoutEffect(() => {
    const root = ref.current?.getRootNode();
    if (!css || !(root instanceof Document || root instanceof ShadowRoot)) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return () => {
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [ref, css]);
}

/** The full lab at another view, from the embed's own "Open in the lab" link (which carries its state). */
function useEmbedding(href: string): Embedding {
  return useMemo(
    () => ({
      labHref(view, extra = {}) {
        const url = new URL(href);
        url.searchParams.set('view', view);
        for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
        return url.href;
      },
    }),
    [href],
  );
}

/**
 * Reports the embed's height to `onHeight` by the policy in heightReport.ts: once the view has its
 * content, measured on store events, layout changes and a slow poll (timers run in an off-screen
 * frame; its observers do not), and again, unchanged, when the frame comes back into view.
 */
function useHeightReports(
  ref: RefObject<HTMLElement | null>,
  onHeight: ((px: number, again: boolean) => void) | undefined,
) {
  const store = useLabStore();
  useEffect(() => {
    const el = ref.current;
    if (!el || !onHeight) return;
    const reporter = createHeightReporter({
      measure: () => el.getBoundingClientRect().height,
      hasContent: () => hasEmbedContent(el, store.getState().view, store.getState()),
      busy: () => trainingBusy(store.getState()),
      send: onHeight,
    });
    const unsubscribe = store.subscribe(reporter.schedule);
    const resize = new ResizeObserver(reporter.schedule);
    resize.observe(el);
    // Rendering resumes when the frame scrolls into view: the host may have missed reports meanwhile.
    let shown = true;
    const intersection = new IntersectionObserver((entries) => {
      const now = entries.some((entry) => entry.isIntersecting);
      if (now && !shown) reporter.again();
      shown = now;
    });
    intersection.observe(el);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') reporter.again();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      reporter.stop();
      unsubscribe();
      resize.disconnect();
      intersection.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ref, onHeight, store]);
}

export interface EmbedAppProps {
  readonly hide: readonly string[];
  readonly notices: readonly string[];
  /** The full lab's page, e.g. https://lab.example/ (its query is replaced by the state). */
  readonly appUrl: string;
  /**
   * Called with the embed's height when the host should fit the frame to it (see heightReport.ts);
   * `again` is true when it repeats the last height because the frame came back into view.
   */
  readonly onHeight?: (px: number, again: boolean) => void;
  /** Called once after the first render, when the view is in the page. */
  readonly onMounted?: () => void;
}

/** One view of the lab with minimal chrome: a title line, an "Open in the lab" link, the view. */
export function EmbedApp({ hide, notices, appUrl, onHeight, onMounted }: EmbedAppProps) {
  const view = useLab((s) => s.view);
  const ref = useRef<HTMLDivElement>(null);
  const { href } = useShareUrl(appUrl);
  useHiddenControls(ref, hide);
  const { scheme, background } = useEmbedAppearance(ref);
  const embedding = useEmbedding(href);

  useHeightReports(ref, onHeight);
  useEffect(() => onMounted?.(), [onMounted]);

  return (
    <div
      className="embed"
      ref={ref}
      data-testid="embed.root"
      data-view={view}
      data-scheme={scheme}
      data-background={background}
    >
      <header className="embed-bar">
        <span className="embed-title">
          BERT Embedding Lab · <span data-testid="embed.view-name">{viewLabel(view)}</span>
        </span>
        <a className="embed-open" data-testid="embed.open" href={href} target="_blank" rel="noopener">
          Open in the lab
          <span aria-hidden="true"> ↗</span>
          <span className="sr-only"> (opens a new tab)</span>
        </a>
      </header>
      {notices.length > 0 && (
        <div role="status" aria-label="Embed notices">
          <ul className="embed-notices">
            {notices.map((notice, i) => (
              <li key={i} className="message warn" data-testid="embed.notice">
                {notice}
              </li>
            ))}
          </ul>
        </div>
      )}
      <main className="embed-main" data-testid={`embed.view-${view}`}>
        <EmbeddingProvider embedding={embedding}>
          <ViewSuspense>
            <EmbeddedView view={view} />
          </ViewSuspense>
        </EmbeddingProvider>
      </main>
    </div>
  );
}
