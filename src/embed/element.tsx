/**
 * `<bert-embedding-lab>`: one view of the lab as a custom element, for a course page that loads
 * this module with one `<script type="module">`. Each element renders into its own shadow root with
 * its own store (and so its own Workers), so two elements on a page never share state.
 *
 *   <bert-embedding-lab view="pack" sentence-a="…" sentence-b="…" max-length="32" hide="inputs">
 *   <bert-embedding-lab view="lesson" chapter="only-batch-rows">
 *
 * The lab's files (vocabulary, corpus, Workers, wasm) are found next to this module, not next to
 * the host page: the store's asset base is this module's URL.
 *
 * A page's script drives it as a host drives the iframe, with the same checks (hostApi.ts):
 * `step(n)`, `play(stepsPerSecond)`, `pause()` and `setState(fields)`, and it reports as the iframe
 * does (reports.ts), with `lab-ready`, `lab-state` and `lab-step` events. Its types are in
 * bert-embedding-lab.d.ts, shipped next to the module.
 */
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { installFonts } from '../app/fonts';
import { LabStoreProvider } from '../store/context';
import { createLabStore } from '../store/labStore';
import type { LabStore } from '../store/types';
import {
  applyShareState,
  DEFAULT_SHARE_STATE,
  validateShareState,
  type ShareState,
} from '../store/share/state';
import { onWorkerBlocked } from '../engine/labWorker';
import { EmbedApp } from './EmbedApp';
import { readBackground, readEmbedParams, readTheme } from './embedParams';
import { parseHostMessage, runHostMessage } from './hostApi';
import type { BertEmbeddingLabElement as ElementApi } from './bert-embedding-lab';
import { createReporter, type LabReport } from './reports';
import { WorkerBlocked } from './WorkerBlocked';

/** The folder this module was served from: dist/ holds the app, the vocabulary and the corpus. */
const LAB_BASE = new URL(/* @vite-ignore */ './', import.meta.url).href;

/**
 * Every stylesheet of the lab, as text, in path order (the app's base styles first). The shadow
 * root keeps the host page's styles out and the lab's in; `:root` custom properties become
 * `:host` ones, since the document's root is the host's.
 */
const LAB_CSS = Object.values(
  import.meta.glob<string>('../**/*.css', { query: '?inline', import: 'default', eager: true }),
)
  .map((css) => css.replaceAll(':root', ':host'))
  .concat(':host { display: block; }')
  .join('\n');

let sharedSheet: CSSStyleSheet | null = null;

function adoptLabStyles(shadow: ShadowRoot): void {
  if (
    'adoptedStyleSheets' in shadow &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    // One constructed sheet serves every element on the page, and a strict style-src CSP allows it.
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(LAB_CSS);
    }
    shadow.adoptedStyleSheets = [sharedSheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = LAB_CSS;
  shadow.append(style);
}

export const ATTRIBUTES = [
  'view',
  'sentence-a',
  'sentence-b',
  'max-length',
  'hide',
  'chapter',
  'theme',
  'background',
] as const;
type Attribute = (typeof ATTRIBUTES)[number];

/** An attribute's text as a max length: digits become a number; anything else fails the schema check. */
const maxLengthOf = (raw: string): unknown => (/^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : raw);

/** The element's events: the iframe's outbound messages, by the same names with `lab-` in front. */
const EVENT_OF: { readonly [T in LabReport['type']]: `lab-${T}` } = {
  ready: 'lab-ready',
  state: 'lab-state',
  step: 'lab-step',
};

export class BertEmbeddingLabElement extends HTMLElement implements ElementApi {
  static get observedAttributes(): readonly Attribute[] {
    return ATTRIBUTES;
  }

  #store: LabStore = createLabStore({ assetBase: LAB_BASE });
  readonly #mount = document.createElement('div');
  #root: Root | null = null;
  #hide: readonly string[] = [];
  #notices: Partial<Record<'view' | 'state' | 'look', readonly string[]>> = {};
  /** The attributes' state going in: methods and `lab-ready` wait for it, as the iframe's wait for its URL. */
  #applied: Promise<void> = Promise.resolve();
  /** Method calls run one after another, in the order they were made, as the iframe's messages do. */
  #queue: Promise<void> = Promise.resolve();
  #reporter = this.#reportTo(this.#store);
  /** Why this page cannot start the lab's Worker; null while nothing says it cannot. */
  #blocked: string | null = null;
  #unwatchWorkers: (() => void) | null = null;

  constructor() {
    super();
    // The faces go to the document's font set: @font-face inside the shadow root would be ignored.
    installFonts();
    const shadow = this.attachShadow({ mode: 'open' });
    adoptLabStyles(shadow);
    // The lab's root: every view's width queries ask it (app/styles.css), so a view lays out by the
    // element's width, not the window's.
    this.#mount.className = 'lab-root';
    shadow.append(this.#mount);
  }

  /** Trains `n` more steps (1 to 1,000), starting the model first if needed. Rejects with the refusal's reason. */
  step(n = 1): Promise<void> {
    return this.#command({ type: 'step', payload: { steps: n } });
  }

  /** Trains continuously at `stepsPerSecond` (0.1 to 60), starting the model first if needed. */
  play(stepsPerSecond = 5): Promise<void> {
    return this.#command({ type: 'play', payload: { stepsPerSecond } });
  }

  /** Stops continuous training (after the commands before it); does not start an idle model. */
  pause(): void {
    void this.#command({ type: 'pause' }).catch((error: unknown) => console.error(error));
  }

  /** Sets fields of the shared state, all or nothing, with the link's names and bounds. */
  setState(fields: Partial<ShareState>): Promise<void> {
    return this.#command({ type: 'setState', payload: fields });
  }

  /** Checks a command exactly as the iframe checks a host's message, then queues it. */
  #command(data: unknown): Promise<void> {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) return Promise.reject(new Error(parsed.reason));
    const store = this.#store;
    const reporter = this.#reporter;
    const run = () => runHostMessage(store, parsed.message);
    const done = this.#queue.then(run, run);
    this.#queue = done.catch(() => {});
    // Its events fire before the promise resolves: `await lab.step(10)` has seen `lab-step`.
    return done.finally(() => reporter.flush());
  }

  #reportTo(store: LabStore) {
    return createReporter(store, (report) =>
      this.dispatchEvent(
        new CustomEvent(EVENT_OF[report.type], { detail: report.payload, bubbles: true, composed: true }),
      ),
    );
  }

  connectedCallback(): void {
    this.#root ??= createRoot(this.#mount);
    this.#unwatchWorkers ??= onWorkerBlocked(({ reason }) => {
      // Pack runs no Worker; every other view needs one, and this page would refuse it as it did.
      if (this.#blocked !== null || this.#store.getState().view === 'pack') return;
      this.#blocked = reason;
      this.#render();
    });
    this.#readView();
    this.#readLook();
    this.#readState();
    this.#render();
  }

  disconnectedCallback(): void {
    // Moving the element in the page disconnects and reconnects it at once: keep everything then.
    queueMicrotask(() => {
      if (this.isConnected || !this.#root) return;
      this.#root.unmount();
      this.#root = null;
      this.#unwatchWorkers?.();
      this.#unwatchWorkers = null;
      this.#reporter.stop();
      // Removed for good: stop its training Worker. Put back later, it starts afresh from its
      // attributes, as a new element would.
      const { training, trainingEngine } = this.#store.getState();
      if (training.status !== 'idle') trainingEngine().dispose();
      this.#store.getState().disposeLesson();
      this.#store = createLabStore({ assetBase: LAB_BASE });
      this.#reporter = this.#reportTo(this.#store);
      this.#queue = Promise.resolve();
    });
  }

  attributeChangedCallback(name: Attribute, previous: string | null, value: string | null): void {
    if (previous === value || !this.#root) return;
    if (name === 'view' || name === 'hide') this.#readView();
    else if (name === 'theme' || name === 'background') this.#readLook();
    else this.#readState();
    this.#render();
  }

  /** `view` and `hide` go through the same parser as the iframe's `embed=` and `hide=` flags. */
  #readView(): void {
    const params = readEmbedParams(
      new URLSearchParams({
        embed: this.getAttribute('view') ?? 'pack',
        hide: this.getAttribute('hide') ?? '',
      }).toString(),
    );
    if (!params) return;
    this.#store.getState().setView(params.view);
    this.#hide = params.hide;
    this.#notices = { ...this.#notices, view: params.notices.map((n) => n.replace(/^embed=/, 'view=')) };
  }

  /** `theme` and `background` as the iframe's `theme=` and `background=` flags, with the same notices. */
  #readLook(): void {
    const { theme, notice: themeNotice } = readTheme(this.getAttribute('theme'));
    const { background, notice: backgroundNotice } = readBackground(this.getAttribute('background'));
    this.#store.getState().setTheme(theme);
    this.#store.getState().setBackground(background);
    this.#notices = {
      ...this.#notices,
      look: [themeNotice, backgroundNotice].filter((n): n is string => n !== null),
    };
  }

  /** Sentences and max length are checked by the shared state's schema, as a link's are. */
  #readState(): void {
    const a = this.getAttribute('sentence-a');
    const b = this.getAttribute('sentence-b');
    const max = this.getAttribute('max-length');
    const { state, notices } = validateShareState({
      sentenceA: a ?? DEFAULT_SHARE_STATE.sentenceA,
      sentenceB: b ?? DEFAULT_SHARE_STATE.sentenceB,
      maxLength: max === null ? DEFAULT_SHARE_STATE.maxLength : maxLengthOf(max),
      chapter: this.getAttribute('chapter') ?? DEFAULT_SHARE_STATE.chapter,
    });
    this.#notices = {
      ...this.#notices,
      state: notices.map((n) =>
        n
          .replace(/^sentenceA:/, 'sentence-a:')
          .replace(/^sentenceB:/, 'sentence-b:')
          .replace(/^maxLength:/, 'max-length:'),
      ),
    };
    this.#applied = applyShareState(this.#store, state).catch((error: unknown) => console.error(error));
    this.#queue = this.#queue.then(() => this.#applied);
  }

  /** Says `lab-ready` once the view is in the page and the attributes' state is in. */
  readonly #onMounted = () => {
    const reporter = this.#reporter;
    void this.#applied.then(() => reporter.ready());
  };

  #render(): void {
    this.#root?.render(
      <StrictMode>
        <LabStoreProvider store={this.#store}>
          {this.#blocked !== null ? (
            <WorkerBlocked reason={this.#blocked} appUrl={LAB_BASE} hide={this.#hide} />
          ) : (
            <EmbedApp
              hide={this.#hide}
              notices={[
                ...(this.#notices.view ?? []),
                ...(this.#notices.look ?? []),
                ...(this.#notices.state ?? []),
              ]}
              appUrl={LAB_BASE}
              onMounted={this.#onMounted}
            />
          )}
        </LabStoreProvider>
      </StrictMode>,
    );
  }
}

if (!customElements.get('bert-embedding-lab'))
  customElements.define('bert-embedding-lab', BertEmbeddingLabElement);
