import { useId, useState } from 'react';
import {
  BACKENDS,
  OPTIMIZER_CHOICES,
  type BackendName,
  type EngineSettings,
  type OptimizerChoice,
  type PresetName,
} from '../../engine/trainProtocol';
import { useLab } from '../../store/context';
import { TrainExport } from '../export/TrainExport';
import { SessionsPanel } from '../sessions/SessionsPanel';
import { ComparePanel } from './ComparePanel';
import { OPTIMIZER_LABELS } from './explain';
import { MatrixMap } from './MatrixMap';
import { RowCounts } from './RowCounts';
import { FrequencyPlot, LossCurves } from './TrainCharts';
import { CurrentBatch } from './CurrentBatch';
import { EngineProgress } from './EngineProgress';
import { ScheduleChart } from './ScheduleChart';
import { StepCaption } from './StepCaption';

const number = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Settings that need a restart: the model, the data stream and the optimizer are rebuilt. */
function SettingsForm({ onStart }: { onStart: (settings: Partial<EngineSettings>) => void }) {
  const settings = useLab((s) => s.training.settings);
  const learned = useLab((s) => s.learnedVocab);
  const id = useId();
  const [preset, setPreset] = useState<PresetName>(settings.preset);
  const [optimizer, setOptimizer] = useState<OptimizerChoice>(settings.optimizer);
  const [compare, setCompare] = useState<EngineSettings['compareOptimizer']>(settings.compareOptimizer);
  const [lr, setLr] = useState(String(settings.learningRate));
  const [tie, setTie] = useState(settings.tieOutputEmbeddings);
  const [batch, setBatch] = useState(String(settings.batchSize));
  const [seq, setSeq] = useState(String(settings.seqLength));
  const [seed, setSeed] = useState(String(settings.seed));
  const [backend, setBackend] = useState<EngineSettings['backend']>(settings.backend);

  return (
    <form
      className="train-settings"
      // The engine checks every setting and says what is wrong in the page, in words.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onStart({
          preset,
          optimizer,
          compareOptimizer: compare,
          learningRate: Number(lr),
          tieOutputEmbeddings: tie,
          batchSize: Number(batch),
          seqLength: Number(seq),
          seed: Number(seed),
          backend,
        });
      }}
    >
      <label>
        Preset
        <select
          data-testid="train.preset"
          value={preset}
          onChange={(e) => setPreset(e.target.value as PresetName)}
        >
          <option value="micro">
            micro: L=2, H=32, vocabulary{' '}
            {learned ? `learned (${learned.tokens.length})` : 'trained on the corpus (1,000)'}
          </option>
          <option value="bert-tiny">bert-tiny (H=128), bert-base-uncased (30,522)</option>
        </select>
      </label>
      <label>
        Optimizer
        <select
          data-testid="train.optimizer"
          value={optimizer}
          onChange={(e) => setOptimizer(e.target.value as OptimizerChoice)}
        >
          {OPTIMIZER_CHOICES.map((o) => (
            <option key={o} value={o}>
              {OPTIMIZER_LABELS[o]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Compare with
        <select
          data-testid="train.compare-optimizer"
          value={compare}
          onChange={(e) => setCompare(e.target.value as EngineSettings['compareOptimizer'])}
        >
          <option value="off">off</option>
          {OPTIMIZER_CHOICES.map((o) => (
            <option key={o} value={o}>
              {OPTIMIZER_LABELS[o]}, same seed and batches
            </option>
          ))}
        </select>
      </label>
      <label>
        Learning rate
        <input
          data-testid="train.lr"
          type="number"
          step="any"
          min="0"
          value={lr}
          onChange={(e) => setLr(e.target.value)}
        />
      </label>
      <label>
        Batch
        <input
          data-testid="train.batch"
          type="number"
          min={1}
          max={64}
          value={batch}
          onChange={(e) => setBatch(e.target.value)}
        />
      </label>
      <label>
        Sequence length
        <input
          data-testid="train.seq"
          type="number"
          min={8}
          max={512}
          value={seq}
          onChange={(e) => setSeq(e.target.value)}
        />
      </label>
      <label>
        Seed
        <input
          data-testid="train.seed"
          type="number"
          min={0}
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
        />
      </label>
      <label>
        Backend
        <select
          id={`${id}-backend`}
          data-testid="train.backend"
          value={backend}
          onChange={(e) => setBackend(e.target.value as EngineSettings['backend'])}
        >
          <option value="auto">auto (fastest here)</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input
          data-testid="train.tie"
          type="checkbox"
          checked={tie}
          onChange={(e) => setTie(e.target.checked)}
        />
        Tie the output layer to E_token (as BERT)
      </label>
      <button type="submit" data-testid="train.start">
        Start / reset
      </button>
    </form>
  );
}

function BackendBadge() {
  const snapshot = useLab((s) => s.training.snapshot);
  const setTrainingBackend = useLab((s) => s.setTrainingBackend);
  if (!snapshot?.backend) return null;
  const adapter = snapshot.adapter;
  return (
    <div className="backend-badge" data-testid="train.backend-badge" data-backend={snapshot.backend}>
      <strong>{snapshot.backend}</strong>
      {adapter && (
        <span className="muted">
          {' '}
          {adapter.description || adapter.vendor || 'GPU'}
          {adapter.isFallbackAdapter ? ' (software adapter)' : ''}
        </span>
      )}
      {' · '}
      <span data-testid="train.ms">
        {snapshot.msPerStep === null ? '—' : `${Math.round(snapshot.msPerStep)} ms/step`}
      </span>
      <label className="switch-backend">
        Switch to{' '}
        <select
          aria-label="Switch backend, keeping the weights"
          value={snapshot.backend}
          onChange={(e) => void setTrainingBackend(e.target.value as BackendName)}
        >
          {snapshot.backends.map((b) => (
            <option key={b.name} value={b.name} disabled={!b.available}>
              {b.name}
              {b.measuredMs === undefined ? '' : ` (${Math.round(b.measuredMs)} ms)`}
              {b.available ? '' : ' (unavailable)'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** A minimal training panel: start, step, play and pause, with loss, backend and ms/step. */
export function TrainPanel() {
  const training = useLab((s) => s.training);
  const startTraining = useLab((s) => s.startTraining);
  const stepTraining = useLab((s) => s.stepTraining);
  const playTraining = useLab((s) => s.playTraining);
  const pauseTraining = useLab((s) => s.pauseTraining);
  const [rate, setRate] = useState('5');
  const ready = training.status === 'ready';
  const playing = training.snapshot?.playing ?? false;
  const r = training.lastReport;
  const V = training.snapshot?.config?.vocabSize ?? 0;

  return (
    <div className="train-view" data-testid="train.view">
      <TrainExport />
      <section className="panel">
        <h2>Pretraining the tiny BERT</h2>
        <p className="stage-help">
          Masked-language-model and next-sentence training on the built-in corpus, in a Web Worker with
          TensorFlow.js. Every step reports which rows of the token embedding table moved, and why.
        </p>
        {/* Remounted when the running settings change (e.g. a start through window.bertLab), so the
            form shows them; a refused start keeps the old settings, and the form keeps the typed values. */}
        <SettingsForm
          key={JSON.stringify(training.settings)}
          onStart={(settings) => void startTraining(settings)}
        />
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
      </section>
      <SessionsPanel />
      <section className="panel">
        <BackendBadge />
        <div className="button-row">
          <button
            type="button"
            data-testid="train.step"
            disabled={!ready || playing}
            onClick={() => void stepTraining(1)}
          >
            Step
          </button>
          <button
            type="button"
            data-testid="train.step10"
            disabled={!ready || playing}
            onClick={() => void stepTraining(10)}
          >
            10 steps
          </button>
          {playing ? (
            <button type="button" data-testid="train.pause" onClick={pauseTraining}>
              Pause
            </button>
          ) : (
            <button
              type="button"
              data-testid="train.play"
              disabled={!ready}
              onClick={() => playTraining(Number(rate) || 5)}
            >
              Play
            </button>
          )}
          <label className="field-inline">
            steps/s
            <input
              type="number"
              min={0.1}
              max={60}
              step="any"
              value={rate}
              onChange={(e) => setRate(e.target.value)}
            />
          </label>
        </div>
        <dl className="trainer-stats" data-testid="train.stats">
          <div>
            <dt>Step</dt>
            <dd data-testid="train.step-count">{training.snapshot?.step ?? 0}</dd>
          </div>
          <div>
            <dt>MLM loss</dt>
            <dd data-testid="train.mlm-loss">{r ? number(r.loss.mlm) : '—'}</dd>
          </div>
          <div>
            <dt>NSP loss</dt>
            <dd>{r ? number(r.loss.nsp) : '—'}</dd>
          </div>
          <div>
            <dt>MLM accuracy</dt>
            <dd>{r ? `${Math.round(r.mlmAccuracy * 100)}%` : '—'}</dd>
          </div>
          <div>
            <dt>Learning rate</dt>
            <dd>{r ? r.learningRate.toExponential(2) : '—'}</dd>
          </div>
        </dl>
        <StepCaption />
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
        <RowCounts />
      </section>
      <CurrentBatch />
      <section className="panel">
        <MatrixMap />
      </section>
      <section className="panel train-charts">
        <LossCurves />
        <FrequencyPlot />
      </section>
    </div>
  );
}
