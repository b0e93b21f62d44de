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
 */
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { installFonts } from '../app/fonts';
import { LabStoreProvider } from '../store/context';
import { createLabStore } from '../store/labStore';
import type { LabStore } from '../store/types';
import { applyShareState, DEFAULT_SHARE_STATE, validateShareState } from '../store/share/state';
import { EmbedApp } from './EmbedApp';
import { readEmbedParams } from './embedParams';

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

const ATTRIBUTES = ['view', 'sentence-a', 'sentence-b', 'max-length', 'hide', 'chapter'] as const;
type Attribute = (typeof ATTRIBUTES)[number];

/** An attribute's text as a max length: digits become a number; anything else fails the schema check. */
const maxLengthOf = (raw: string): unknown => (/^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : raw);

export class BertEmbeddingLabElement extends HTMLElement {
  static get observedAttributes(): readonly Attribute[] {
    return ATTRIBUTES;
  }

  #store: LabStore = createLabStore({ assetBase: LAB_BASE });
  readonly #mount = document.createElement('div');
  #root: Root | null = null;
  #hide: readonly string[] = [];
  #notices: Partial<Record<'view' | 'state', readonly string[]>> = {};

  constructor() {
    super();
    // The faces go to the document's font set: @font-face inside the shadow root would be ignored.
    installFonts();
    const shadow = this.attachShadow({ mode: 'open' });
    adoptLabStyles(shadow);
    shadow.append(this.#mount);
  }

  connectedCallback(): void {
    this.#root ??= createRoot(this.#mount);
    this.#readView();
    this.#readState();
    this.#render();
  }

  disconnectedCallback(): void {
    // Moving the element in the page disconnects and reconnects it at once: keep everything then.
    queueMicrotask(() => {
      if (this.isConnected || !this.#root) return;
      this.#root.unmount();
      this.#root = null;
      // Removed for good: stop its training Worker. Put back later, it starts afresh from its
      // attributes, as a new element would.
      const { training, trainingEngine } = this.#store.getState();
      if (training.status !== 'idle') trainingEngine().dispose();
      this.#store.getState().disposeLesson();
      this.#store = createLabStore({ assetBase: LAB_BASE });
    });
  }

  attributeChangedCallback(name: Attribute, previous: string | null, value: string | null): void {
    if (previous === value || !this.#root) return;
    if (name === 'view' || name === 'hide') this.#readView();
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
    void applyShareState(this.#store, state);
  }

  #render(): void {
    this.#root?.render(
      <StrictMode>
        <LabStoreProvider store={this.#store}>
          <EmbedApp
            hide={this.#hide}
            notices={[...(this.#notices.view ?? []), ...(this.#notices.state ?? [])]}
            appUrl={LAB_BASE}
          />
        </LabStoreProvider>
      </StrictMode>,
    );
  }
}

if (!customElements.get('bert-embedding-lab'))
  customElements.define('bert-embedding-lab', BertEmbeddingLabElement);

declare global {
  interface HTMLElementTagNameMap {
    'bert-embedding-lab': BertEmbeddingLabElement;
  }
}
