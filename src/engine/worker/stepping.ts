/** One training step and Play: the step, its health checks, and its report to the page. */
import type { StepReport } from '../../core/train';
import { FusedStepError } from '../../core/fused/errors';
import type { Session } from '../session';
import type { OptimizerComparison } from '../../core/domain/history';
import { stepComparison, stopComparison } from './comparison';
import { notice, phase, queue, requireSession, type Engine } from './engine';
import { postSnapshot, restoreSnapshot, snapshotNow, takeSnapshot, weightsAreFinite } from './health';
import { fallBackFromFused } from './placement';
import { errorMessage } from '../../core/errorMessage';
import { learnedTransfer } from '../../core/learned/report';

/** Snapshot the weights and optimizer state this often (steps), and whenever training pauses. */
const SNAPSHOT_EVERY = 25;

/** Steps `s`; the first step on WebGPU or WebGL compiles its shaders, so the page is told while it runs. */
async function stepExplained(engine: Engine, s: Session): Promise<StepReport> {
  const { backend } = engine;
  if (engine.lastMs !== null || (backend !== 'webgpu' && backend !== 'webgl')) return s.step();
  const software = engine.backends.find((b) => b.name === backend)?.adapter?.isFallbackAdapter === true;
  phase(engine, {
    name: 'compile',
    detail:
      backend === 'webgl'
        ? 'Compiling WebGL shaders for the first step…'
        : `Compiling shaders for the first step (WebGPU${software ? ', can take ~30 s on a software adapter' : ''})…`,
  });
  try {
    return await s.step();
  } finally {
    phase(engine, null);
  }
}

/**
 * A step whose loss is not finite applied nothing (the core refuses it). If the weights themselves
 * went bad, go back to the last snapshot; either way training pauses and the learner is told why.
 */
async function refuseNonFinite(engine: Engine, session: Session, report: StepReport): Promise<void> {
  engine.playing = false;
  const restored = !(await weightsAreFinite(engine)) && engine.good !== null;
  if (restored) await restoreSnapshot(engine);
  stopComparison(engine, `step ${report.step} of the main run was not finite`);
  notice(
    engine,
    'warning',
    restored
      ? `Step ${report.step} gave a non-finite loss because the weights were no longer finite. Training paused and the weights of step ${session.state.step} were restored.`
      : `Step ${report.step} gave a non-finite loss, so it was not applied (try a smaller learning rate). Training paused; the weights are those of step ${session.state.step}.`,
  );
  postReport(engine, report, null);
  postSnapshot(engine);
}

export async function runStep(engine: Engine): Promise<StepReport | null> {
  const session = requireSession(engine);
  if (engine.good === null) await takeSnapshot(engine);
  const t0 = performance.now();
  let report: StepReport;
  try {
    report = await stepExplained(engine, session);
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    await fallBackFromFused(engine, error);
    // The failed step was not counted and its batch comes again: take it on the fallback.
    return runStep(engine);
  }
  engine.lastMs = performance.now() - t0;
  if (report.nonFinite) {
    await refuseNonFinite(engine, session, report);
    return report;
  }
  const comparison = await stepComparison(engine, report);
  if (session.state.step % SNAPSHOT_EVERY === 0) await takeSnapshot(engine);
  postReport(engine, report, comparison);
  await postLearned(engine, session);
  return report;
}

/**
 * While the page watches what the rows learned, the report for this step follows the step's own.
 * A report that cannot be made stops the watch and says why, rather than failing every step.
 */
async function postLearned(engine: Engine, session: Session): Promise<void> {
  const request = engine.learnedWatch;
  if (request === null) return;
  try {
    const report = await session.learned(request);
    engine.out.post({ type: 'learned', report }, learnedTransfer(report));
  } catch (error) {
    engine.learnedWatch = null;
    notice(engine, 'warning', `What the rows learned stopped updating: ${errorMessage(error)}`);
  }
}

/** Posts a step report, transferring (not copying) its per-row arrays. */
function postReport(engine: Engine, r: StepReport, comparison: OptimizerComparison | null): void {
  const transfer = [
    r.outputGradRowNorm,
    r.lookupGradRowNorm,
    r.updateRowNorm,
    r.positionGradRowNorm,
    r.positionUpdateRowNorm,
    r.segmentGradRowNorm,
    r.segmentUpdateRowNorm,
  ].map((a) => a.buffer as ArrayBuffer);
  // The snapshot rides along: one message, one store update and one render a step, not two.
  engine.out.post({ type: 'report', report: r, comparison, snapshot: snapshotNow(engine) }, transfer);
}

/** Steps at the rate asked for until paused; each step waits its turn in the queue. */
export async function playLoop(engine: Engine): Promise<void> {
  while (engine.playing) {
    const started = performance.now();
    // The step's report carries the engine's snapshot.
    await queue(engine, () => runStep(engine));
    const wait = Math.max(0, 1000 / engine.stepsPerSecond - (performance.now() - started));
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
