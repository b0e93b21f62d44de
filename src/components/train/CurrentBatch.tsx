import { useDeferredValue, type MouseEvent } from 'react';
import type { StepReport } from '../../core/train/pure';
import { useLab } from '../../store/context';
import { useKeptHeight } from '../useKeptHeight';
import { MASKING_DIFFERENCE } from './googleDifferences';
import './googleDifferences.css';
import { useShowNearest } from '../learned/NearestRows';
import { useEmbedding } from '../embedding';

/** Sequences shown at most; a batch can hold 64 sequences of 512 slots. */
const SHOWN = 6;

const OUTCOME_TEXT = { mask: '[MASK] (80%)', random: 'random token (10%)', keep: 'unchanged (10%)' } as const;

/**
 * The batch of the last step as chip rows, like Tokenize & Pack: which slots were masked and how
 * (the 80/10/10 rule), what the model predicted there, and each pair's IsNext label against the
 * model's guess. The predictions are the model's before this step's update.
 */
function Sequence({ report, b, vocab }: { report: StepReport; b: number; vocab: readonly string[] }) {
  const { batch } = report;
  const T = batch.seqLength;
  const masked = new Map<number, number>();
  for (let m = 0; m < batch.maskedPositions.length; m++) {
    if (batch.maskedBatchIndex[m] === b) masked.set(batch.maskedPositions[m]!, m);
  }
  const isNext = batch.isNext[b] === 1;
  const guess = report.nspPredictions[b] === 1;
  const token = (id: number) => vocab[id] ?? `#${id}`;
  const slots = [];
  for (let t = 0; t < T && batch.attentionMask[b * T + t] === 1; t++) {
    const id = batch.inputIds[b * T + t]!;
    const m = masked.get(t);
    if (m === undefined) {
      slots.push(
        <li key={t} className={`bchip seg-${batch.tokenTypeIds[b * T + t]}`} data-piece={token(id)}>
          {token(id)}
        </li>,
      );
      continue;
    }
    const outcome = batch.maskedOutcomes[m]!;
    const label = batch.maskedLabels[m]!;
    const predicted = report.mlmPredictions[m]!;
    slots.push(
      <li
        key={t}
        data-piece={token(label)}
        className={`bchip masked outcome-${outcome}`}
        data-testid="train.masked"
        data-outcome={outcome}
        data-label={label}
        data-predicted={predicted}
        title={`Masked: ${OUTCOME_TEXT[outcome]}. Original “${token(label)}”; the model predicted “${token(predicted)}”.`}
      >
        <span>{token(id)}</span>
        <small className={predicted === label ? 'hit' : 'miss'}>
          {token(label)} · {token(predicted)}
        </small>
      </li>,
    );
  }
  return (
    <div
      className="batch-pair"
      data-testid="train.pair"
      data-is-next={isNext ? 1 : 0}
      data-predicted-next={guess ? 1 : 0}
    >
      <p className="batch-label">
        Pair {b + 1}: <strong>{isNext ? 'IsNext' : 'NotNext'}</strong>; the model guessed{' '}
        <span className={guess === isNext ? 'hit' : 'miss'}>{guess ? 'IsNext' : 'NotNext'}</span>
      </p>
      <ol className="batch-chips" aria-label={`Pair ${b + 1}, ${isNext ? 'IsNext' : 'NotNext'}`}>
        {slots}
      </ol>
    </div>
  );
}

export function CurrentBatch() {
  // Hundreds of chips below the first screen: React renders them after the step's numbers and map,
  // in slices that leave frames room to paint (a deferred value renders at transition priority).
  const report = useDeferredValue(useLab((s) => s.training.lastReport));
  const vocab = useLab((s) => s.training.vocab);
  const showNearest = useShowNearest();
  const embedded = useEmbedding() !== null;
  // Each step's pairs wrap to a different number of lines: keep the tallest while Play runs.
  const keep = useKeptHeight<HTMLElement>();
  if (!report || !vocab) return null;
  // One listener for every chip: a click on a piece opens its nearest rows in the Learned rows view
  // (the Pack inspector and the Embedding sum offer the same with a button, for the keyboard).
  const onChipClick = (event: MouseEvent) => {
    const piece = (event.target as Element).closest<HTMLElement>('[data-piece]')?.dataset.piece;
    if (piece !== undefined) showNearest(piece);
  };
  const B = report.batch.batchSize;
  return (
    <section className="panel" aria-labelledby="batch-title" data-testid="train.current-batch" ref={keep}>
      <h2 id="batch-title">The batch of step {report.step}</h2>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch outcome-mask" aria-hidden="true" /> masked as [MASK]
        </li>
        <li>
          <span className="swatch outcome-random" aria-hidden="true" /> replaced by a random token
        </li>
        <li>
          <span className="swatch outcome-keep" aria-hidden="true" /> kept unchanged, still predicted
        </li>
        <li>under each: original · model&rsquo;s prediction</li>
      </ul>
      <p className="google-note muted" data-testid="train.masking-google">
        {MASKING_DIFFERENCE}
      </p>
      <p className="muted">
        Click a piece to see its nearest rows ({embedded ? 'in the full lab, a new tab' : 'Learned rows view'}
        ).
      </p>
      <div className="batch-pairs" onClick={onChipClick}>
        {Array.from({ length: Math.min(B, SHOWN) }, (_, b) => (
          <Sequence key={b} report={report} b={b} vocab={vocab} />
        ))}
      </div>
      {B > SHOWN && (
        <p className="muted">
          Showing {SHOWN} of the batch&rsquo;s {B} pairs.
        </p>
      )}
    </section>
  );
}
