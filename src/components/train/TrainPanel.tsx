import { useEffect } from 'react';
import { useLab } from '../../store/context';
import { TrainExport } from '../export/TrainExport';
import { SessionsPanel } from '../sessions/SessionsPanel';
import { ComparePanel } from './ComparePanel';
import { CurrentBatch } from './CurrentBatch';
import { EngineProgress } from './EngineProgress';
import { MatrixMap } from './MatrixMap';
import { RowCounts } from './RowCounts';
import { ScheduleChart } from './ScheduleChart';
import { StepCaption } from './StepCaption';
import { BackendBadge, StepControls } from './StepControls';
import { FrequencyPlot, LossCurves } from './TrainCharts';
import { TrainSettings } from './TrainSettings';
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
  useEffect(() => {
    if (shown && idle && !held) autoStartTraining();
  }, [shown, idle, held, autoStartTraining]);
}

/**
 * The Training view. Its first screen is the point of it: the step controls, the numbers and the
 * caption beside the map of E_token's rows. The settings and the saved sessions are folded below;
 * the batch, the curves and the comparison follow.
 */
export function TrainPanel() {
  useStartWhenShown();
  const training = useLab((s) => s.training);
  const r = training.lastReport;
  const V = training.snapshot?.config?.vocabSize ?? 0;

  return (
    <div className="train-view" data-testid="train.view">
      <section className="panel train-main" aria-labelledby="train-heading">
        <div className="train-head">
          <h2 id="train-heading">Pretraining the tiny BERT</h2>
          <BackendBadge />
          <TrainExport />
        </div>
        <p className="stage-help">
          Masked-language-model and next-sentence training on the built-in corpus, in a Web Worker: each step
          shows which rows of the token embedding table moved, and why.
        </p>
        <EngineProgress />
        {training.error && (
          <p className="message error" role="alert" data-testid="train.error">
            {training.error}
          </p>
        )}
        {training.notices.map((n, i) => (
          <p key={i} className="message warn" role="status" data-testid="train.notice">
            {n}
          </p>
        ))}
        <div className="train-first">
          <div className="train-controls">
            <StepControls />
            <StepCaption />
            <RowCounts />
          </div>
          <div className="train-map">
            <MatrixMap />
          </div>
        </div>
      </section>
      <div className="train-secondary">
        <TrainSettings />
        <SessionsPanel />
      </div>
      <section className="panel">
        {r && (
          <p className="row-facts" data-testid="train.row-facts">
            Last step: {r.lookupGradRowNorm.filter((x) => x > 0).length} of {V.toLocaleString('en-US')} token
            rows got a gradient through the lookup;{' '}
            {r.outputGradRowNorm.filter((x) => x > 0).length.toLocaleString('en-US')} through the output
            softmax (tied only); {r.updateRowNorm.filter((x) => x > 0).length.toLocaleString('en-US')} moved,{' '}
            {r.movedWithoutGradient.length.toLocaleString('en-US')} of them with no gradient at all (optimizer
            momentum or weight decay).
          </p>
        )}
        <ScheduleChart />
        <ComparePanel />
      </section>
      <CurrentBatch />
      <section className="panel train-charts">
        <LossCurves />
        <FrequencyPlot />
      </section>
    </div>
  );
}
