import { useId, useState } from 'react';
import {
  BACKENDS,
  OPTIMIZER_CHOICES,
  type EngineSettings,
  type OptimizerChoice,
  type PresetName,
} from '../../core/domain/settings';
import { useLab } from '../../store/context';
import { OPTIMIZER_LABELS } from './explain';

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
          <option value="lab">lab: L=2, H=32, bert-base-uncased (30,522)</option>
          <option value="micro">
            micro: L=2, H=32, vocabulary{' '}
            {learned ? `learned (${learned.tokens.length})` : 'trained on the corpus (1,000)'}
          </option>
          <option value="bert-tiny">bert-tiny: L=2, H=128, bert-base-uncased (30,522)</option>
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
        Restart with these settings
      </button>
    </form>
  );
}

/**
 * The run's settings, folded: the summary line says what is running, and opening it shows the
 * form. Submitting restarts the run (same seed: same initial weights and batches).
 */
export function TrainSettings() {
  const s = useLab((state) => state.training.settings);
  const backend = useLab((state) => state.training.snapshot?.backend);
  const startTraining = useLab((state) => state.startTraining);
  return (
    <details className="panel train-fold" data-testid="train.settings">
      <summary data-testid="train.settings-toggle">
        <h2>Settings</h2>{' '}
        <span className="muted" data-testid="train.settings-summary">
          {s.preset}, {OPTIMIZER_LABELS[s.optimizer]}, learning rate {s.learningRate}, batch {s.batchSize} ×{' '}
          {s.seqLength}, seed {s.seed}, backend {s.backend}
          {s.backend === 'auto' && backend ? ` (${backend})` : ''}
        </span>
      </summary>
      {/* Remounted when the running settings change (e.g. a start through window.bertLab), so the
          form shows them; a refused start keeps the old settings, and the form keeps the typed values. */}
      <SettingsForm key={JSON.stringify(s)} onStart={(settings) => void startTraining(settings)} />
    </details>
  );
}
