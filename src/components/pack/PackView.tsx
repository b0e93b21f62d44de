import { lazy, Suspense, useMemo } from 'react';
import { createBertTokenizer } from '../../core/tokenizer';
import { useIdle } from '../useIdle';
import { Inspector } from './Inspector';
import { PackedSequence } from './PackedSequence';
import { SentenceInputs } from './SentenceInputs';
import { Stages } from './Stages';
import { usePackView } from './usePackView';
import './pack.css';
import '../export/exportBox.css';

/**
 * The export menu's code (figures, CSV, JSON, d3 colour scales) is a third of the view's: it loads
 * once the view is on screen and the browser is idle, so it never delays the first tokens.
 */
const PackExport = lazy(() => import('../export/PackExport').then((m) => ({ default: m.PackExport })));

/**
 * The Export menu's box while its code loads: the same button, invisible and inert, so its arrival
 * moves nothing below it (an embedded view's height, which its host page follows, included).
 */
const EXPORT_PLACEHOLDER = (
  <div className="export-menu" aria-hidden="true" inert>
    <button type="button" className="export-toggle" tabIndex={-1} style={{ visibility: 'hidden' }}>
      Export <span>▾</span>
    </button>
  </div>
);

/** The Tokenize & Pack view: what bert-base-uncased is fed for a sentence pair, step by step. */
export function PackView({ vocab, vocabName }: { vocab: readonly string[]; vocabName: string }) {
  const tokenizer = useMemo(() => createBertTokenizer(vocab), [vocab]);
  const { view, stale } = usePackView(tokenizer);
  const idle = useIdle();
  return (
    <div className="pack-view" data-testid="pack.view" aria-busy={stale}>
      <Suspense fallback={EXPORT_PLACEHOLDER}>
        {idle ? (
          <PackExport view={view} stale={stale} vocabName={vocabName} vocabSize={vocab.length} />
        ) : (
          EXPORT_PLACEHOLDER
        )}
      </Suspense>
      <SentenceInputs maxLength={view.maxLength} vocabName={vocabName} vocabSize={vocab.length} />
      <div className="pack-body">
        <div className="pack-main">
          <section className="panel" aria-labelledby="packed-title">
            <h2 id="packed-title">The packed input BERT sees</h2>
            {view.packed.ok && view.maxLength.ok ? (
              <PackedSequence packed={view.packed.value} maxLength={view.maxLength.value} />
            ) : (
              <p className="message error" role="alert" data-testid="pack.packed-error">
                {view.packed.ok ? '' : view.packed.message}
              </p>
            )}
          </section>
          <Stages a={view.a} b={view.b} />
        </div>
        <Inspector view={view} />
      </div>
    </div>
  );
}
