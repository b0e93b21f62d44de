import { useMemo } from 'react';
import { useLab } from '../../store/context';
import { divergingColor, maxAbsOf, type ValueColor } from '../../viz/heatStrip';
import { SumExport } from '../export/SumExport';
import { useColorScheme } from '../useColorScheme';
import { useKeptHeight } from '../useKeptHeight';
import { NormSparkline } from './NormSparkline';
import { SumMatrix } from './SumMatrix';
import { SumSequence } from './SumSequence';
import { SumStepper } from './SumStepper';
import { SumTables } from './SumTables';
import { fmt } from './sumData';
import { useSumEngine } from './useSumEngine';
import './sum.css';

function ScaleLegend({ color, label }: { color: ValueColor; label: string }) {
  const [hi] = color.domain() as [number, number, number];
  const stops = [-1, -0.5, 0, 0.5, 1].map((t) => color(t * hi)).join(', ');
  return (
    <span className="sum-legend">
      {label}
      <span className="num">−{fmt(hi, 3)}</span>
      <span
        className="sum-legend-bar"
        style={{ background: `linear-gradient(to right, ${stops})` }}
        aria-hidden="true"
      />
      <span className="num">+{fmt(hi, 3)}</span>
    </span>
  );
}

/** Waiting for the engine, or why it did not start: never a blank panel. */
function EngineState() {
  const status = useLab((s) => s.training.status);
  const error = useLab((s) => s.training.error);
  const sumError = useLab((s) => s.sumError);
  const startTraining = useLab((s) => s.startTraining);
  if (status === 'error' || sumError) {
    return (
      <div className="message error" role="alert" data-testid="sum.error">
        The model could not {status === 'error' ? 'start' : 'be read'}:{' '}
        {status === 'error' ? error : sumError}{' '}
        <button type="button" onClick={() => void startTraining()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className="message" role="status" data-testid="sum.loading">
      {status === 'ready'
        ? 'Reading the embeddings of this pair from the model…'
        : 'Starting the tiny BERT in its Worker: loading the vocabulary, the corpus and TensorFlow.js (a second or two)…'}
      <progress className="sum-progress" aria-label="Starting the model" />
    </div>
  );
}

/**
 * The Embedding sum view: BERT's Figure 2 made live. For the lab's sentence pair, each
 * position's input vector is E_token[id] + E_segment[segment] + E_position[position], then LayerNorm.
 */
export function SumView({ active }: { active: boolean }) {
  useSumEngine(active);
  const trace = useLab((s) => s.sumTrace);
  const tables = useLab((s) => s.sumTables);
  const drift = useLab((s) => s.sumDrift);
  const position = useLab((s) => s.sumPosition);
  const sumError = useLab((s) => s.sumError);
  const status = useLab((s) => s.training.status);
  const starting = useLab((s) => s.training.starting);
  // While a fresh run starts, its step 0 comes from the page (store/stepZero.ts).
  const fromSeed = status === 'starting' && starting !== null && trace?.step === 0;
  // The notes, the sparkline and the tables' drift column come and go with the steps: keep their
  // size while training starts or plays.
  const keepPair = useKeptHeight<HTMLElement>();
  const keepGrid = useKeptHeight<HTMLDivElement>();

  // One scale for the lookups and their sum, one for LayerNorm's side: shared across positions, so
  // a colour means the same number wherever it appears in the view.
  const scheme = useColorScheme();
  const colors = useMemo(() => {
    if (!trace) return null;
    return {
      embed: divergingColor(
        maxAbsOf(trace.tokenEmbedding, trace.segmentEmbedding, trace.positionEmbedding, trace.embeddingSum),
        scheme,
      ),
      norm: divergingColor(
        maxAbsOf(trace.embeddingNormalized, trace.embeddingOutput, trace.gamma, trace.beta),
        scheme,
      ),
    };
  }, [trace, scheme]);

  if (!trace || !tables || !colors || !(status === 'ready' || fromSeed) || sumError) {
    return (
      <div className="sum-view" data-testid="sum.view">
        <SumExport colors={null} />
        <EngineState />
      </div>
    );
  }
  const p = Math.min(position, trace.seqLength - 1);
  return (
    <div className="sum-view" data-testid="sum.view" data-step={trace.step}>
      <SumExport colors={colors} />
      <section className="panel" ref={keepPair}>
        <h2>Token + segment + position, then LayerNorm</h2>
        <p className="muted">
          “For a given token, its input representation is constructed by summing the corresponding token,
          segment, and position embeddings” (BERT, Figure 2). The numbers below are the lab&rsquo;s tiny BERT
          at step <b data-testid="sum.step-count">{trace.step}</b>, for the sentence pair whose word pieces
          are shown below.
        </p>
        {fromSeed && (
          <p className="muted" role="status" data-testid="sum.from-seed">
            The training engine is still loading. Step 0 needs no engine: these weights are BERT&rsquo;s
            initialization drawn from seed {starting.seed}, computed in this page, the same numbers the engine
            starts from.
          </p>
        )}
        {trace.truncatedPieces > 0 && (
          <p className="message warn" role="status" data-testid="sum.truncated">
            This pair is longer than the model&rsquo;s position table: it was truncated to{' '}
            {trace.maxPositions} positions ({trace.truncatedPieces} word{' '}
            {trace.truncatedPieces === 1 ? 'piece' : 'pieces'} cut, longest side first).
          </p>
        )}
        <SumSequence trace={trace} />
        <div className="sum-legends">
          <ScaleLegend color={colors.embed} label="Lookups and sum" />
          <ScaleLegend color={colors.norm} label="LayerNorm" />
        </div>
        <NormSparkline tokenId={trace.inputIds[p] ?? 0} token={trace.tokens[p] ?? ''} />
      </section>
      <div className="sum-grid" ref={keepGrid}>
        <SumStepper trace={trace} embedColor={colors.embed} normColor={colors.norm} />
        <SumTables tables={tables} drift={drift} trace={trace} position={p} color={colors.embed} />
      </div>
      <SumMatrix trace={trace} embedColor={colors.embed} normColor={colors.norm} />
    </div>
  );
}
