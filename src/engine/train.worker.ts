/// <reference lib="webworker" />
/**
 * The training Worker: owns tfjs, the backend choice, the model and the training loop. The page
 * sends commands and receives snapshots, step reports and notices as plain data.
 *
 * Health: a step with a non-finite loss applies nothing (the core refuses it); the engine then
 * pauses, restores the last good snapshot and says why. A lost WebGPU device is caught: training
 * moves to the next backend from the last good snapshot, and the page is told.
 */
import * as tf from '@tensorflow/tfjs-core';
import { flattenParams } from '../core/model';
import { absentDrift, snapshotRows, type StepReport } from '../core/train';
import { FusedStepError } from '../core/fused/errors';
import { raceKey, startBackend } from './backendRace';
import { probePending, raceInBackground, type BackgroundHost } from './backgroundRace';
import { defaultVocab } from './microVocab';
import { onWebgpuDeviceLost, probeBackend, unprobedBackends, useBackend } from './backends';
import { createWorkQueue } from './workQueue';
import { injectFault } from './faults';
import { isFaultCommand, TEST_HOOKS } from './testHooks';
import { getSessionRecord } from '../persist/db';
import {
  checkRecord,
  exportSessionFile,
  importSessionFile,
  restoreInto,
  saveSession,
  type CheckedSession,
} from './persistJobs';
import { checkInputs, createSession, type Session } from './session';
import {
  DEFAULT_ENGINE_SETTINGS,
  type BackendName,
  type BackendStatus,
  type EnginePhase,
  type EngineSettings,
  type EngineSnapshot,
  type FaultCommand,
  type FromEngine,
  type OptimizerComparison,
  type RestoredSession,
  type ToEngine,
} from './trainProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Snapshot the weights and optimizer state this often (steps), and whenever training pauses. */
const SNAPSHOT_EVERY = 25;

let backends: BackendStatus[] = unprobedBackends();
let backend: BackendName | null = null;
let session: Session | null = null;
/**
 * The B side of an A/B comparison: the same settings and seed with another optimizer, so it draws
 * the same batches and dropout masks and steps in lockstep with `session`. Only reductions of its
 * reports leave the Worker.
 */
let compare: Session | null = null;
let settings: EngineSettings = DEFAULT_ENGINE_SETTINGS;
let playing = false;
let stepsPerSecond = 5;
let lastMs: number | null = null;
const work = createWorkQueue();
/** Runs `job` after everything queued before it: commands never interleave with a step. */
const queue = <T>(job: () => Promise<T>): Promise<T> => work.run(job);
/** Counts starts, restores and backends chosen by hand: background work of an older one stops. */
let generation = 0;
/** What the engine does in the background, in words (the snapshot's `background`). */
let background: string | null = null;
let good: { step: number; updates: number; values: Float32Array[] } | null = null;

/** tfjs-backend-webgpu's device, on which the fused training step runs. */
function webgpuDevice(): GPUDevice {
  const device = (tf.findBackend('webgpu') as { device?: GPUDevice } | null)?.device;
  if (!device) throw new Error('The WebGPU backend has no device.');
  return device;
}

/** Puts a session on the fused WebGPU step when the backend is WebGPU, else on the tfjs ops. */
async function placeSession(s: Session | null, name: BackendName | null): Promise<void> {
  await s?.useDevice(name === 'webgpu' ? webgpuDevice() : null);
}

const post = (message: FromEngine, transfer: Transferable[] = []) => self.postMessage(message, transfer);
const notice = (level: 'info' | 'warning', message: string) => post({ type: 'notice', level, message });
const phase = (p: EnginePhase | null) => post({ type: 'phase', phase: p });

/** The engine's state now, as plain data for the page. */
function snapshotNow(): EngineSnapshot {
  return {
    backend,
    adapter: backends.find((b) => b.name === backend)?.adapter ?? null,
    backends,
    step: session?.state.step ?? 0,
    config: session?.config ?? null,
    settings,
    playing,
    msPerStep: lastMs,
    fusedStep: session?.fused ?? false,
    numTensors: tf.memory().numTensors,
    numBytes: tf.memory().numBytes,
    background,
  };
}

function postSnapshot(): void {
  post({ type: 'snapshot', snapshot: snapshotNow() });
}

/** Every variable whose value is training state: parameters, then optimizer slots. */
function stateVariables(s: Session): tf.Variable[] {
  const params = flattenParams(s.config, s.state.params);
  return [...params, ...s.state.optimizer.stateVariables(params)];
}

async function takeSnapshot(): Promise<void> {
  if (!session) return;
  await session.sync();
  const variables = stateVariables(session);
  const values = await Promise.all(variables.map((v) => v.data<'float32'>()));
  good = { step: session.state.step, updates: session.state.optimizer.updates, values };
}

async function restoreSnapshot(): Promise<void> {
  if (!session || !good) return;
  const variables = stateVariables(session);
  if (variables.length !== good.values.length) return;
  const values = good.values;
  // assign() copies into the variable; the tensor made from the snapshot is a temporary that
  // tidy disposes, so a recovery leaves exactly as many live tensors as there were before.
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i]!, v.shape, 'float32'))));
  session.state.step = good.step;
  session.state.optimizer.setUpdates(good.updates);
  await session.reload();
}

async function weightsAreFinite(): Promise<boolean> {
  if (!session) return true;
  await session.sync();
  const finite = tf.tidy(() =>
    tf.stack(flattenParams(session!.config, session!.state.params).map((p) => tf.all(tf.isFinite(p)))).all(),
  );
  const ok = (await finite.data())[0] === 1;
  finite.dispose();
  return ok;
}

/**
 * The winner of the 'auto' race per model shape (raceKey). A restart that changes only what does
 * not change the cost of a step much (seed, learning rate, optimizer) starts on the backend the
 * race chose, and races no more.
 */
const raceWinners = new Map<string, BackendName>();

const statusOf = (name: BackendName) => backends.find((b) => b.name === name);
const setStatus = (status: BackendStatus) => {
  backends = backends.map((b) => (b.name === status.name ? status : b));
};

/** The status of `name`, probing it first if nobody has (leaves tfjs on it when it started). */
async function probed(name: BackendName): Promise<BackendStatus> {
  const known = statusOf(name);
  if (known && !known.pending) return known;
  const status = await probeBackend(name);
  setStatus(status);
  return status;
}

/**
 * The backend a start runs on, without timing anything: the one asked for, or for 'auto' the
 * race's winner for this model shape if a race has run, else wasm (cpu where wasm cannot start).
 */
async function startOn(preferred: EngineSettings['backend']): Promise<BackendName> {
  if (preferred !== 'auto') {
    const status = await probed(preferred);
    if (!status.available)
      throw new Error(
        `The ${preferred} backend is not available here${status.reason ? `: ${status.reason}` : '.'}`,
      );
    return preferred;
  }
  const known = raceWinners.get(raceKey(settings, currentVocab.length));
  if (known !== undefined && statusOf(known)?.available) return known;
  return fallbackBackend();
}

/**
 * Moves the running model to `name` between two steps: the fused path writes its buffers back to
 * the tf.Variables first, and tfjs moves each variable's data to the new backend on first use, so
 * weights, optimizer state, step, data stream and dropout seed all carry over.
 */
async function moveTo(name: BackendName): Promise<void> {
  await placeSession(session, null);
  await placeSession(compare, null);
  await useBackend(name);
  backend = name;
  if (name === 'webgpu') onWebgpuDeviceLost((reason) => void queue(() => recoverFromDeviceLoss(reason)));
  await placeOnBackend();
  lastMs = null;
}

/**
 * The background work waits for the page's first numbers: it starts after the first command that
 * follows a start (the Embedding sum's trace, a step), or after this long if none comes.
 */
const BACKGROUND_AFTER_MS = 1_500;
let backgroundDue: (() => void) | null = null;

function startBackground(): void {
  const go = () => {
    if (backgroundDue !== go) return;
    backgroundDue = null;
    afterStart().catch((error: unknown) =>
      notice(
        'warning',
        `Checking the other backends failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  };
  backgroundDue = go;
  setTimeout(go, BACKGROUND_AFTER_MS);
}

/** The background work of one start: probe the other backends, then race them for 'auto'. */
async function afterStart(): Promise<void> {
  const mine = generation;
  await work.background(async () => {
    if (mine === generation && good === null) await takeSnapshot();
  });
  const host: BackgroundHost = {
    queue: work,
    stale: () => mine !== generation || session === null,
    backends: () => backends,
    setStatus: (status) => {
      setStatus(status);
      postSnapshot();
    },
    current: () => backend ?? 'cpu',
    useBackend,
    probe: probeBackend,
    newTrial: async (name) => {
      const trial = createSession(settings, currentVocab, currentCorpus);
      try {
        await placeSession(trial, name);
      } catch (error) {
        trial.dispose();
        throw error;
      }
      return trial;
    },
    say: (text) => {
      background = text;
      postSnapshot();
    },
  };
  await probePending(host);
  if (host.stale() || settings.backend !== 'auto') return;
  const key = raceKey(settings, currentVocab.length);
  if (raceWinners.has(key)) return;
  const result = await raceInBackground(host);
  if (host.stale()) return;
  if (!result) {
    raceWinners.set(key, host.current());
    return;
  }
  for (const [name, reason] of result.failed)
    setStatus({ ...statusOf(name)!, available: false, reason: `It failed a trial step: ${reason}` });
  backends = backends.map((b) => {
    const ms = result.measured.get(b.name);
    return ms === undefined ? b : { ...b, measuredMs: ms };
  });
  raceWinners.set(key, result.name);
  const from = host.current();
  if (result.name !== from)
    await queue(async () => {
      if (host.stale()) return;
      await moveTo(result.name);
      const ms = (name: BackendName) => Math.round(result.measured.get(name) ?? NaN);
      notice(
        'info',
        `Training moved to ${result.name}, which the background race timed at ${ms(result.name)} ms a step against ${ms(from)} ms on ${from}. The weights, the optimizer state and the step carried over.`,
      );
    });
  postSnapshot();
}

let currentVocab: readonly string[] = [];
let currentCorpus = '';

/**
 * Starts a new session and replies with its vocabulary (the page shows tokens by id). With
 * `saved`, the new session continues a saved one: its weights, moments, step and data stream.
 */
async function init(
  next: EngineSettings,
  given: readonly string[] | null,
  corpus: string,
  saved: CheckedSession | null = null,
): Promise<readonly string[]> {
  const vocab =
    given ??
    defaultVocab(corpus, (size, target) =>
      phase({
        name: 'vocab',
        detail: `Training the micro vocabulary on the corpus: ${size} of ${target} word pieces…`,
        fraction: size / target,
      }),
    );
  // Bad settings are refused here, before the running session is dropped: it keeps training.
  checkInputs(next, vocab);
  playing = false;
  session?.dispose();
  session = null;
  compare?.dispose();
  compare = null;
  good = null;
  settings = next;
  currentVocab = vocab;
  currentCorpus = corpus;
  generation++;
  try {
    // Numbers first: no backend is timed before the model exists (backendRace.ts).
    phase({
      name: 'probe',
      detail: `Starting the ${next.backend === 'auto' ? 'wasm' : next.backend} backend…`,
    });
    backend = await startOn(next.backend);
    await useBackend(backend);
    if (backend === 'webgpu') onWebgpuDeviceLost((reason) => void queue(() => recoverFromDeviceLoss(reason)));
    phase({ name: 'model', detail: `Building the model on ${backend} from seed ${next.seed}…` });
    session = createSession(next, vocab, corpus);
    if (next.compareOptimizer !== 'off')
      compare = createSession({ ...next, optimizer: next.compareOptimizer }, vocab, corpus);
    if (saved) restoreInto(saved, session, compare);
    await placeOnBackend();
    lastMs = null;
    // The first good snapshot is taken in the background or before the first step, whichever
    // comes first (runStep), so the first numbers do not wait for a copy of every weight.
    return vocab;
  } catch (error) {
    // A half-built session (say, a restore that failed) must not stay behind as if it were good.
    session?.dispose();
    session = null;
    compare?.dispose();
    compare = null;
    throw error;
  } finally {
    // Also on failure: the page learns that there is no model now (config null).
    phase(null);
    postSnapshot();
  }
}

/** Loads a saved session: every check passes before the running session is touched. */
async function restore(sessionId: string): Promise<RestoredSession> {
  const record = await getSessionRecord(sessionId);
  if (!record) throw new Error('That saved session no longer exists.');
  const checked = checkRecord(record);
  const { header } = checked;
  // A session saved on a backend this machine lacks (say, WebGPU) continues on 'auto' here.
  const saved = header.settings.backend;
  const usable = saved === 'auto' || (await probed(saved)).available;
  const next: EngineSettings = usable ? header.settings : { ...header.settings, backend: 'auto' };
  await init(next, header.vocab, header.corpus, checked);
  if (!usable)
    notice(
      'info',
      `This session was trained on ${saved}, which is not available here; it continues on ${backend}.`,
    );
  return { settings: next, vocab: header.vocab, step: header.main.step, page: checked.page };
}

async function recoverFromDeviceLoss(reason: string): Promise<void> {
  if (backend !== 'webgpu' || !session) return;
  backends = backends.map((b) => (b.name === 'webgpu' ? { ...b, available: false, reason } : b));
  const fallback = await fallbackBackend();
  await useBackend(fallback);
  backend = fallback;
  // The lost device's data cannot be read; carry on from the last snapshot.
  await session.useDevice(null, { deviceLost: true });
  await compare?.useDevice(null, { deviceLost: true });
  await restoreSnapshot();
  stopComparison('the weights were restored after a lost device');
  notice(
    'warning',
    `WebGPU stopped working (${reason}). Training continues on ${fallback} from step ${good?.step ?? 0}.`,
  );
  postSnapshot();
}

/** Where 'auto' starts, and where training goes when WebGPU fails: wasm, or cpu where wasm cannot start. */
async function fallbackBackend(): Promise<BackendName> {
  await probed('wasm');
  return startBackend(backends);
}

/** Puts the sessions on the backend in use; a fused step that cannot be built there falls back. */
async function placeOnBackend(): Promise<void> {
  try {
    await placeSession(session, backend);
    await placeSession(compare, backend);
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    await fallBackFromFused(error);
  }
}

/**
 * The fused WebGPU step failed loudly (src/core/fused/errors.ts): a buffer over the device's
 * limits, an allocation refused, a command rejected, or a report that cannot be true. The Session
 * has already left the fused path with the last good weights where it could keep them; the model
 * moves to the fallback backend, WebGPU is marked unusable for this page, and the learner is told.
 */
async function fallBackFromFused(error: FusedStepError): Promise<void> {
  const reason = `The fused WebGPU step failed: ${error.message}`;
  setStatus({ ...(statusOf('webgpu') ?? { name: 'webgpu' }), available: false, reason });
  generation++; // a race under way would time a backend that no longer works
  await placeSession(session, null);
  await placeSession(compare, null);
  const fallback = await fallbackBackend();
  await useBackend(fallback);
  backend = fallback;
  if (!error.weightsKept) await restoreSnapshot();
  if (settings.backend === 'auto') raceWinners.set(raceKey(settings, currentVocab.length), fallback);
  lastMs = null;
  notice(
    'warning',
    `WebGPU could not run the training step (${error.message}). Training continues on ${fallback} from step ${session?.state.step ?? 0}${error.weightsKept ? ', with nothing lost' : ', the last good snapshot'}.`,
  );
  postSnapshot();
}

/** Ends an A/B comparison whose two runs can no longer be in lockstep. */
function stopComparison(why: string): void {
  if (!compare) return;
  compare.dispose();
  compare = null;
  notice('info', `The optimizer comparison stopped: ${why}. Start again to compare.`);
}

/** Steps the comparison run on the same batch and reduces both reports to a few numbers. */
async function stepComparison(report: StepReport): Promise<OptimizerComparison | null> {
  if (!compare || settings.compareOptimizer === 'off') return null;
  let other: StepReport;
  try {
    other = await compare.step();
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    // The main run stepped; the comparison cannot catch up with it on this backend.
    stopComparison(`its fused WebGPU step failed (${error.message})`);
    return null;
  }
  return {
    optimizer: settings.optimizer,
    compareOptimizer: settings.compareOptimizer,
    main: absentDrift(report),
    other: absentDrift(other),
  };
}

/** Steps `s`; the first step on WebGPU or WebGL compiles its shaders, so the page is told while it runs. */
async function stepExplained(s: Session): Promise<StepReport> {
  if (lastMs !== null || (backend !== 'webgpu' && backend !== 'webgl')) return s.step();
  const software = backends.find((b) => b.name === backend)?.adapter?.isFallbackAdapter === true;
  phase({
    name: 'compile',
    detail:
      backend === 'webgl'
        ? 'Compiling WebGL shaders for the first step…'
        : `Compiling shaders for the first step (WebGPU${software ? ', can take ~30 s on a software adapter' : ''})…`,
  });
  try {
    return await s.step();
  } finally {
    phase(null);
  }
}

async function runStep(): Promise<StepReport | null> {
  if (!session) throw new Error('The model is not initialised yet.');
  if (good === null) await takeSnapshot();
  const t0 = performance.now();
  let report: StepReport;
  try {
    report = await stepExplained(session);
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    await fallBackFromFused(error);
    // The failed step was not counted and its batch comes again: take it on the fallback.
    return runStep();
  }
  lastMs = performance.now() - t0;
  if (report.nonFinite) {
    // The core applied nothing. If the weights themselves went bad, go back to the last snapshot.
    playing = false;
    const restored = !(await weightsAreFinite()) && good !== null;
    if (restored) await restoreSnapshot();
    stopComparison(`step ${report.step} of the main run was not finite`);
    notice(
      'warning',
      restored
        ? `Step ${report.step} gave a non-finite loss because the weights were no longer finite. Training paused and the weights of step ${session.state.step} were restored.`
        : `Step ${report.step} gave a non-finite loss, so it was not applied (try a smaller learning rate). Training paused; the weights are those of step ${session.state.step}.`,
    );
    postReport(report, null);
    postSnapshot();
    return report;
  }
  const comparison = await stepComparison(report);
  if (session.state.step % SNAPSHOT_EVERY === 0) await takeSnapshot();
  postReport(report, comparison);
  return report;
}

/** Posts a step report, transferring (not copying) its per-row arrays. */
function postReport(r: StepReport, comparison: OptimizerComparison | null): void {
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
  post({ type: 'report', report: r, comparison, snapshot: snapshotNow() }, transfer);
}

async function playLoop(): Promise<void> {
  while (playing) {
    const started = performance.now();
    // The step's report carries the engine's snapshot.
    await queue(runStep);
    const wait = Math.max(0, 1000 / stepsPerSecond - (performance.now() - started));
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function handle(message: ToEngine | FaultCommand): Promise<unknown> {
  // TEST_HOOKS is a build-time constant: a production build drops this branch and the hooks with it.
  if (TEST_HOOKS && isFaultCommand(message))
    return queue(async () => {
      // The weights before the fault are the last good ones, as before any real failure.
      if (good === null && session) await takeSnapshot();
      // Faults act on the variables; the fused path's buffers are brought in line around them.
      if (message.type !== 'loseDevice') await session?.sync();
      const broke = injectFault(message, session);
      if (message.type !== 'loseDevice') await session?.reload();
      return broke;
    });
  switch (message.type) {
    case 'init':
      return queue(async () => {
        const vocab = await init(message.settings, message.vocab, message.corpus);
        startBackground();
        return vocab;
      });
    case 'step':
      return queue(async () => {
        for (let i = 0; i < message.steps; i++) if ((await runStep())?.nonFinite) break;
        postSnapshot();
      });
    case 'play':
      stepsPerSecond = Math.min(60, Math.max(0.1, message.stepsPerSecond));
      if (!playing && session) {
        playing = true;
        postSnapshot();
        void playLoop();
      }
      return;
    case 'pause':
      playing = false;
      await queue(takeSnapshot);
      postSnapshot();
      return;
    case 'setLearningRate':
      return queue(async () => {
        session?.setLearningRate(message.learningRate);
        compare?.setLearningRate(message.learningRate);
        settings = { ...settings, learningRate: message.learningRate };
        postSnapshot();
      });
    case 'setBackend':
      return queue(async () => {
        if (!session) throw new Error('The model is not initialised yet.');
        // tfjs moves each variable's data to the new backend on first use, so the weights and
        // the optimizer state carry over unchanged; the fused path writes its buffers back first.
        generation++; // chosen by hand: a race under way is called off
        const status = await probed(message.backend);
        if (!status.available) {
          await useBackend(backend ?? 'cpu');
          throw new Error(`The ${message.backend} backend is not available here: ${status.reason ?? ''}`);
        }
        await moveTo(message.backend);
        settings = { ...settings, backend: message.backend };
        postSnapshot();
      });
    case 'snapshotRows':
      return queue(async () => {
        if (!session) throw new Error('The model is not initialised yet.');
        await session.sync();
        return snapshotRows(session.state, message.ids);
      });
    case 'probeGradients':
      return queue(async () => {
        if (!session) throw new Error('The model is not initialised yet.');
        return session.probeGradients();
      });
    case 'trace':
      return queue(async () => {
        if (!session) throw new Error('The model is not initialised yet.');
        return session.trace(message.a, message.b);
      });
    case 'tables':
      return queue(async () => {
        if (!session) throw new Error('The model is not initialised yet.');
        return session.tables();
      });
    case 'profileStep':
      return queue(async () => {
        let report: StepReport | null = null;
        const info = await tf.profile(async () => {
          report = await runStep();
        });
        postSnapshot();
        return {
          kernels: info.kernels.length,
          newTensors: info.newTensors,
          peakBytes: info.peakBytes,
          kernelMs: info.kernels.reduce(
            (sum, k) => sum + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0),
            0,
          ),
          step: (report as StepReport | null)?.step ?? 0,
        };
      });
    case 'save':
      return queue(async () => {
        if (!session) throw new Error('There is no model to save yet.');
        const { request } = message;
        if (request.expectStep !== null && request.expectStep !== session.state.step) return 'stale';
        await session.sync();
        await compare?.sync();
        return saveSession(
          { main: session, compare, settings, vocab: currentVocab, corpus: currentCorpus, backend },
          request,
        );
      });
    case 'restore':
      return queue(async () => {
        const restored = await restore(message.sessionId);
        startBackground();
        return restored;
      });
    case 'importFile':
      // Not queued behind training: it checks a file and writes a new record, touching no model.
      return importSessionFile(message.bytes);
    case 'exportFile':
      return exportSessionFile(message.sessionId);
    default:
      // Fault injection (test builds only) lands here in a production build and is refused.
      throw new Error(
        `The training engine does not know the command “${(message as { type: string }).type}”.`,
      );
  }
}

/** The tables are large copies made for the page: move their buffers instead of cloning them. */
function transferables(message: ToEngine | FaultCommand, value: unknown): Transferable[] {
  if (message.type !== 'tables' || typeof value !== 'object' || value === null) return [];
  return Object.values(value)
    .filter((v): v is Float32Array => v instanceof Float32Array)
    .map((v) => v.buffer as ArrayBuffer);
}

self.onmessage = (event: MessageEvent<ToEngine | FaultCommand>) => {
  const message = event.data;
  const id = 'id' in message ? message.id : null;
  handle(message).then(
    (value) => {
      if (id !== null) post({ type: 'reply', id, ok: true, value }, transferables(message, value));
      if (message.type !== 'init' && message.type !== 'restore') backgroundDue?.();
    },
    (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      if (id !== null) post({ type: 'reply', id, ok: false, error: text });
      else notice('warning', text);
    },
  );
};
