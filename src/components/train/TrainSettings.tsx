import { useId, useState } from 'react';
import {
  BACKENDS,
  OPTIMIZER_CHOICES,
  SETTING_LIMITS as L,
  type EngineSettings,
  type OptimizerChoice,
  type PresetName,
} from '../../core/domain/settings';
import { useLab } from '../../store/context';
import { OPTIMIZER_LABELS } from './explain';
import { GELU_DIFFERENCE, optimizerDifference } from './googleDifferences';
import './googleDifferences.css';

interface NumberFieldProps {
  readonly label: string;
  readonly testId: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly min?: number | string;
  readonly max?: number;
  readonly step?: string;
}

/** A number typed as text: the engine, not the browser, says what is wrong with it. */
function NumberField({ label, testId, value, onChange, min, max, step }: NumberFieldProps) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        type="number"
        step={step}
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

interface PresetSelectProps {
  readonly value: PresetName;
  readonly onChange: (preset: PresetName) => void;
  /** Tokens in the vocabulary learned in the Vocabulary view, or null when none was used. */
  readonly learnedSize: number | null;
}

function PresetSelect({ value, onChange, learnedSize }: PresetSelectProps) {
  return (
    <label>
      Preset
      <select
        data-testid="train.preset"
        value={value}
        onChange={(e) => onChange(e.target.value as PresetName)}
      >
        <option value="lab">lab: L=2, H=32, bert-base-uncased (30,522)</option>
        <option value="micro">
          micro: L=2, H=32, vocabulary{' '}
          {learnedSize !== null ? `learned (${learnedSize})` : 'trained on the corpus (1,000)'}
        </option>
        <option value="bert-tiny">bert-tiny: L=2, H=128, bert-base-uncased (30,522)</option>
      </select>
    </label>
  );
}

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
      <PresetSelect value={preset} onChange={setPreset} learnedSize={learned?.tokens.length ?? null} />
      <p className="google-note muted" data-testid="train.gelu-google">
        {GELU_DIFFERENCE}
      </p>
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
      <p className="google-note muted" data-testid="train.optimizer-google" data-optimizer={optimizer}>
        {optimizerDifference(optimizer)}
      </p>
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
      <NumberField label="Learning rate" testId="train.lr" step="any" min="0" value={lr} onChange={setLr} />
      <NumberField
        label="Batch"
        testId="train.batch"
        min={L.batchSize.min}
        max={L.batchSize.max}
        value={batch}
        onChange={setBatch}
      />
      <NumberField
        label="Sequence length"
        testId="train.seq"
        min={L.seqLength.min}
        max={L.seqLength.max}
        value={seq}
        onChange={setSeq}
      />
      <NumberField label="Seed" testId="train.seed" min={L.seed.min} value={seed} onChange={setSeed} />
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
