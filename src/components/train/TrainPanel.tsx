import { useEffect } from 'react';
import { PacedLab, useLab } from '../../store/context';
import { DrawShown } from '../useDraw';
import { useKeptHeight } from '../useKeptHeight';
import { TrainExport } from '../export/TrainExport';
import { SessionsPanel } from '../sessions/SessionsPanel';
import { ComparePanel } from './ComparePanel';
import { CurrentBatch } from './CurrentBatch';
import { EngineProgress } from './EngineProgress';
import { MatrixMap } from './MatrixMap';
import { MoveSizes } from './MoveSizes';
import { RowCounts } from './RowCounts';
import { rowFactsSentence } from './rowFactsText';
import { ScheduleChart } from './ScheduleChart';
import { StepCaption } from './StepCaption';
import { BackendBadge, StepControls } from './StepControls';
import { FrequencyPlot, LossCurves } from './TrainCharts';
import { TrainSettings } from './TrainSettings';
import './trainParts.css';
import './train.css';

/**
 * Starts the engine the first time the view is shown, unless a link or a saved session is starting
 * or resuming a run (the store's hold), or something already started it.
 */
function useStartWhenShown(): void {
  const shown = useLab((s) => s.view === 'train');
  const idle = useLab((s) => s.training.status === 'idle');
  const held = useLab((s) => s.training.autoStartHolds > 0);
  const autoStartTraining = useLab((s) => s.autoStartTraining);
  const trainingEngine = useLab((s) => s.trainingEngine);
  useEffect(() => {
    if (shown && idle) trainingEngine();
    if (shown && idle && !held) autoStartTraining();
  }, [shown, idle, held, autoStartTraining, trainingEngine]);
}

/** The engine's error and its notices: re-rendered when they change, not on every step. */
function Messages() {
  const error = useLab((s) => s.training.error);
  const notices = useLab((s) => s.training.notices);
  return (
    <>
      {error && (
        <p className="message error" role="alert" data-testid="train.error">
          {error}
        </p>
      )}
      {notices.map((n, i) => (
        <p key={i} className="message warn" role="status" data-testid="train.notice">
          {n}
        </p>
      ))}
    </>
  );
}

/** The last step's rows by path, in words; the counts come from the store, counted once per step. */
function RowFacts() {
  const facts = useLab((s) => s.training.stepFacts);
  const report = useLab((s) => s.training.lastReport);
  const settings = useLab((s) => s.training.settings);
  const V = useLab((s) => s.training.snapshot?.config?.vocabSize ?? 0);
  if (!facts || !report || report.step !== facts.step) return null;
  return (
    <p className="row-facts" data-testid="train.row-facts">
      {rowFactsSentence({
        vocabSize: V,
        lookupGradient: facts.lookupGradient,
        outputGradient: facts.outputGradient,
        moved: facts.moved,
        movedWithoutGradient: report.movedWithoutGradient.length,
        optimizer: settings.optimizer,
        tied: settings.tieOutputEmbeddings,
        learningRate: report.learningRate,
      })}
    </p>
  );
}

/**
 * While Play runs, the view shows a step at most this often (the store and window.bertLab see every
 * step): each step of the default model costs the page tens of milliseconds of commits, draws,
 * layout and paint, and at 9 or more steps a second that made frames of 33 ms and more. Paused or
 * stepping by hand, every step shows at once.
 */
const PLAY_PACE_MS = 200;
/**
 * The batch's hundreds of chips change more slowly still while Play runs: laying them out took ten
 * milliseconds and more a step, and no one reads 256 chips in a fifth of a second.
 */
const BATCH_PACE_MS = 1000;

/**
 * The Training view. Its first screen is the point of it: the step controls, the numbers and the
 * caption beside the map of E_token's rows. The settings and the saved sessions are folded below;
 * the batch, the curves and the comparison follow.
 */
export function TrainPanel() {
  useStartWhenShown();
  const shown = useLab((s) => s.view === 'train');
  // The parts that change with each step keep their size while training starts or plays.
  const keepFirst = useKeptHeight<HTMLDivElement>();
  const keepFacts = useKeptHeight<HTMLElement>();
  const keepCharts = useKeptHeight<HTMLElement>();

  return (
    <PacedLab intervalMs={PLAY_PACE_MS}>
      <DrawShown value={shown}>
        <div className="train-view" data-testid="train.view">
          <section className="panel train-main" aria-labelledby="train-heading">
            <div className="train-head">
              <h2 id="train-heading">Pretraining the tiny BERT</h2>
              <BackendBadge />
              <TrainExport />
            </div>
            <p className="stage-help">
              Masked-word and next-sentence training on the built-in corpus: which rows of E_token each step
              reaches, by which path, and how far they move.
            </p>
            <EngineProgress />
            <Messages />
            <div className="train-first" ref={keepFirst}>
              <div className="train-controls">
                <StepControls />
                <StepCaption />
                <RowCounts />
              </div>
              <div className="train-map">
                <MatrixMap below={<MoveSizes />} />
              </div>
            </div>
          </section>
          <div className="train-secondary">
            <TrainSettings />
            <SessionsPanel />
          </div>
          <section className="panel" ref={keepFacts}>
            <RowFacts />
            <ScheduleChart />
            <ComparePanel />
          </section>
          <PacedLab intervalMs={BATCH_PACE_MS}>
            <CurrentBatch />
          </PacedLab>
          <section className="panel train-charts" ref={keepCharts}>
            <LossCurves />
            <FrequencyPlot />
          </section>
        </div>
      </DrawShown>
    </PacedLab>
  );
}
