/** The A/B optimizer comparison: a second session stepped in lockstep on the same batches. */
import { absentDrift, type StepReport } from '../../core/train';
import { FusedStepError } from '../../core/fused/errors';
import type { OptimizerComparison } from '../../core/domain/history';
import { notice, type Engine } from './engine';

/** Ends an A/B comparison whose two runs can no longer be in lockstep. */
export function stopComparison(engine: Engine, why: string): void {
  if (!engine.compare) return;
  engine.compare.dispose();
  engine.compare = null;
  notice(engine, 'info', `The optimizer comparison stopped: ${why}. Start again to compare.`);
}

/** Steps the comparison run on the same batch and reduces both reports to a few numbers. */
export async function stepComparison(
  engine: Engine,
  report: StepReport,
): Promise<OptimizerComparison | null> {
  const { compare, settings } = engine;
  if (!compare || settings.compareOptimizer === 'off') return null;
  let other: StepReport;
  try {
    other = await compare.step();
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    // The main run stepped; the comparison cannot catch up with it on this backend.
    stopComparison(engine, `its fused WebGPU step failed (${error.message})`);
    return null;
  }
  return {
    optimizer: settings.optimizer,
    compareOptimizer: settings.compareOptimizer,
    main: absentDrift(report),
    other: absentDrift(other),
  };
}
