import type { AbsentDrift } from '../../core/train/pure';
import type { OptimizerChoice } from '../../core/domain/settings';
import { useLab } from '../../store/context';
import { OPTIMIZER_LABELS } from './explain';

const count = (n: number) => n.toLocaleString('en-US');
const norm = (n: number) => (n > 0 ? n.toExponential(2) : '0');

function Side({ optimizer, drift, side }: { optimizer: OptimizerChoice; drift: AbsentDrift; side: string }) {
  return (
    <div className="compare-side" data-testid={`train.compare-${side}`} data-drifting={drift.drifting}>
      <h4>{OPTIMIZER_LABELS[optimizer]}</h4>
      <dl>
        <dt>Absent rows that moved</dt>
        <dd>
          <strong>{count(drift.drifting)}</strong> of {count(drift.absentRows)}
        </dd>
        <dt>Mean ‖Δrow‖ of those</dt>
        <dd>{norm(drift.meanDrift)}</dd>
        <dt>Max ‖Δrow‖</dt>
        <dd>{norm(drift.maxDrift)}</dd>
        <dt>Loss</dt>
        <dd>{Number.isFinite(drift.loss) ? drift.loss.toFixed(3) : String(drift.loss)}</dd>
      </dl>
    </div>
  );
}

/**
 * The A/B comparison: the same step of two runs that share the seed, the batches and the dropout
 * masks and differ only in the optimizer, told by the rows that were not in the batch.
 */
export function ComparePanel() {
  const c = useLab((s) => s.training.comparison);
  const tied = useLab((s) => s.training.settings.tieOutputEmbeddings);
  const stillRate = useLab((s) => s.training.lastReport?.learningRate === 0);
  if (!c) return null;
  return (
    <div
      className="compare"
      data-testid="train.compare"
      data-step={c.main.step}
      data-main-drifting={c.main.drifting}
      data-other-drifting={c.other.drifting}
    >
      <h3>Step {c.main.step}: rows absent from the batch, two optimizers on the same batches</h3>
      <div className="compare-sides">
        <Side side="main" optimizer={c.optimizer} drift={c.main} />
        <Side side="other" optimizer={c.compareOptimizer} drift={c.other} />
      </div>
      {tied && (
        <p className="stage-help">
          The output layer is tied to E_token, so every row gets a gradient through the softmax
          {stillRate
            ? ', but at this step’s learning rate of 0 no row moves under either'
            : ' and moves under both'}
          ; untie it to see what the optimizers alone do.
        </p>
      )}
    </div>
  );
}
