import { useLab } from '../../store/context';
import { useKeptHeight } from '../useKeptHeight';
import { LearnedExport } from '../export/LearnedExport';
import { LearnedControls } from './LearnedControls';
import { droppedNote, staleNote } from './learnedText';
import { NeighboursPanel } from './NeighboursPanel';
import { PositionsPanel } from './PositionsPanel';
import { SegmentsPanel } from './SegmentsPanel';
import { useDropUnknownPicks, useLearnedEngine } from './useLearnedEngine';
import { usePacedReport } from './usePacedReport';
import { VocabMapPanel } from './VocabMapPanel';
import './learned.css';

/** Waiting for the engine or its first report, or why there is none: never a blank panel. */
function LearnedState() {
  const status = useLab((s) => s.training.status);
  const error = useLab((s) => s.training.error);
  const learnedError = useLab((s) => s.learnedError);
  const startTraining = useLab((s) => s.startTraining);
  if (status === 'error' || learnedError !== null)
    return (
      <div className="message error" role="alert" data-testid="learned.error">
        The rows could not be {status === 'error' ? 'trained: the model did not start' : 'read'}:{' '}
        {status === 'error' ? error : learnedError}{' '}
        <button type="button" onClick={() => void startTraining()}>
          Try again
        </button>
      </div>
    );
  return (
    <div className="message" role="status" data-testid="learned.loading">
      {status === 'ready'
        ? 'Reading the embedding tables: cosines over every row of E_token, and two projections…'
        : 'Starting the tiny BERT in its Worker: loading the vocabulary, the corpus and TensorFlow.js (a second or two)…'}
      <progress className="learned-progress" aria-label="Starting the model" />
    </div>
  );
}

function Intro() {
  const dropped = droppedNote(useDropUnknownPicks());
  // Said when a paused model's report lags its step (a slow read); while playing, one always lags.
  const stale = useLab((s) =>
    s.learned && !(s.training.snapshot?.playing ?? false)
      ? staleNote(s.learned.step, s.training.snapshot?.step ?? 0)
      : null,
  );
  return (
    <section className="panel learned-intro">
      <h2>What the rows learned</h2>
      <p>
        BERT&rsquo;s three embedding tables are trained jointly with the rest of the model: every step moves
        their rows. Here is what those rows become. Train 300 steps (Play) and watch a band form along the
        diagonal of the position cosines, and see which rows a piece&rsquo;s row comes to sit nearest.
      </p>
      <LearnedControls />
      {stale !== null && (
        <p className="muted" role="status" data-testid="learned.stale">
          {stale}
        </p>
      )}
      {dropped !== null && (
        <p className="message warn" role="status" data-testid="learned.dropped">
          {dropped}
        </p>
      )}
    </section>
  );
}

/** The "What the rows learned" view: positions, a piece's neighbours, a map, the segment rows. */
export function LearnedView({ active }: { active: boolean }) {
  useLearnedEngine(active);
  const report = usePacedReport();
  const vocab = useLab((s) => s.training.vocab);
  const status = useLab((s) => s.training.status);
  const learnedError = useLab((s) => s.learnedError);
  const ready = report !== null && vocab !== null && status === 'ready' && learnedError === null;
  // A restart swaps the four panels for a one-line message until the new run's first report; the
  // panels' counts and map legend change with the steps: the view keeps its size meanwhile.
  const keep = useKeptHeight<HTMLDivElement>();
  return (
    <div className="learned-view" data-testid="learned.view" data-step={report?.step} ref={keep}>
      <LearnedExport />
      <Intro />
      {!ready && <LearnedState />}
      {ready && (
        <div className="learned-grid">
          <PositionsPanel report={report} />
          <NeighboursPanel report={report} />
          <VocabMapPanel report={report} vocab={vocab} />
          <SegmentsPanel report={report} />
        </div>
      )}
    </div>
  );
}
