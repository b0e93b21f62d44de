/**
 * Whether the views are embedded in a course page, and how to send the reader to the full lab
 * from there. An embed shows one view: a sentence or a button that sends the reader to another
 * view would point at something the page does not have, so it opens the full lab in a new tab
 * instead, at that view, with the embed's state. null in the full lab.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { LabView } from '../store/types';

export interface Embedding {
  /** The full lab's address at `view`, with what the embed shows and the `extra` link keys. */
  labHref(view: LabView, extra?: Readonly<Record<string, string>>): string;
}

const EmbeddingContext = createContext<Embedding | null>(null);

export function EmbeddingProvider({ embedding, children }: { embedding: Embedding; children: ReactNode }) {
  return <EmbeddingContext.Provider value={embedding}>{children}</EmbeddingContext.Provider>;
}

export function useEmbedding(): Embedding | null {
  return useContext(EmbeddingContext);
}

/** Opens the full lab at `view` in a new tab (from an embed), as an ordinary link says it will. */
export function FullLabLink(props: {
  readonly embedding: Embedding;
  readonly view: LabView;
  readonly extra?: Readonly<Record<string, string>>;
  readonly testId?: string;
  readonly title?: string;
  readonly className?: string;
  readonly children: ReactNode;
}) {
  return (
    <a
      href={props.embedding.labHref(props.view, props.extra)}
      target="_blank"
      rel="noopener"
      data-testid={props.testId}
      title={props.title}
      className={props.className}
    >
      {props.children}
      <span aria-hidden="true"> ↗</span>
      <span className="sr-only"> (opens the full lab in a new tab)</span>
    </a>
  );
}
