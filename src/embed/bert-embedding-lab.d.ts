/**
 * Types for the <bert-embedding-lab> web component (bert-embedding-lab.js, next to this file).
 * Shipped by the build as dist/bert-embedding-lab.d.ts; src/embed/elementTypes.test.ts checks at
 * type-check time that the implementation (element.tsx, reports.ts, the shared state's schema)
 * matches every type here.
 *
 * Copy it into a course site's TypeScript sources (it is a module: `import type` from it, or
 * `import type {} from './bert-embedding-lab'` for its global tag and event types alone), then:
 *
 *   const lab = document.querySelector('bert-embedding-lab')!;
 *   lab.addEventListener('lab-step', (event) => console.log(event.detail.step, event.detail.loss));
 *   await lab.step(10);
 */

export type LabView = 'pack' | 'vocab' | 'train' | 'sum' | 'learned' | 'lesson';

/** The shared state: the fields of a share link, by name (the README's link table gives bounds). */
export interface LabState {
  view: LabView;
  sentenceA: string;
  sentenceB: string;
  maxLength: number;
  vocab: 'bert-base-uncased' | 'learned';
  preset: 'lab' | 'micro' | 'bert-tiny';
  seed: number;
  optimizer: 'sgd' | 'momentum' | 'adam' | 'adamw' | 'lazyadam';
  learningRate: number;
  tieOutputEmbeddings: boolean;
  batchSize: number;
  seqLength: number;
  step: number;
  position: number | null;
  chapter: string;
  picks: readonly string[];
  focus: string;
  k: number;
  centred: boolean;
}

/** `lab-ready`: the element is listening, and its attributes' state is in. */
export interface LabReadyDetail {
  readonly version: number;
  readonly view: LabView;
  readonly state: LabState;
}

/** `lab-step`: the step the model is at and its loss there (MLM + NSP; null before the first step). */
export interface LabStepDetail {
  readonly step: number;
  readonly loss: number | null;
}

/** The observed attributes (strings, as in HTML); bad values become notices in the element. */
export interface BertEmbeddingLabAttributes {
  /** pack, vocab, train, sum, learned or lesson (default pack). */
  view: string;
  'sentence-a': string;
  'sentence-b': string;
  /** A whole number, as in a link's `max`. */
  'max-length': string;
  /** Comma-separated control names, as the iframe's `hide=`. */
  hide: string;
  /** The Lesson view's chapter id. */
  chapter: string;
  /** light, dark or auto (default auto: the reader's system), as the iframe's `theme=`. */
  theme: string;
  /** transparent: the page's own colour shows through, as the iframe's `background=`. */
  background: string;
}

export interface BertEmbeddingLabElement extends HTMLElement {
  /**
   * Trains `n` more steps (a whole number from 1 to 1,000), starting the model first if needed.
   * Rejects with an Error whose message says why, for exactly the inputs the iframe's `step`
   * message refuses. Its `lab-step` event has fired when the promise resolves.
   */
  step(n?: number): Promise<void>;
  /** Trains continuously at `stepsPerSecond` (0.1 to 60, default 5), starting the model if needed. */
  play(stepsPerSecond?: number): Promise<void>;
  /** Stops continuous training, after the calls made before it. */
  pause(): void;
  /** Sets fields of the shared state, all or nothing (a refused field rejects and changes nothing). */
  setState(fields: Partial<LabState>): Promise<void>;
}

declare global {
  interface HTMLElementTagNameMap {
    'bert-embedding-lab': BertEmbeddingLabElement;
  }
  interface HTMLElementEventMap {
    'lab-ready': CustomEvent<LabReadyDetail>;
    'lab-state': CustomEvent<LabState>;
    'lab-step': CustomEvent<LabStepDetail>;
  }
}
