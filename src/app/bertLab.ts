/**
 * `window.bertLab`: a small, typed facade for course pages and end-to-end tests, in every build. It
 * reads state and sends commands through the store; it never exposes tensors. The fault-injection
 * hooks (`loseDevice`, `corruptWeights`, `failFusedStep`, `capFusedLimits`) exist only in a
 * test-hooks build.
 */
import { movedRows, ROW_CAUSES, type RowCause } from '../core/train/pure';
import type { MoveSizes } from '../core/train/moveSizes';
import { TEST_HOOKS } from '../engine/testHooks';
import type { BackendStatus, StepProfile } from '../engine/trainProtocol';
import type { StepReport } from '../core/train/pure';
import type { BackendName, EngineSettings } from '../core/domain/settings';
import type { LabStore } from '../store/types';

export interface BertLabReport {
  readonly step: number;
  readonly nonFinite: boolean;
  readonly loss: { readonly mlm: number; readonly nsp: number; readonly total: number };
  readonly mlmAccuracy: number;
  readonly nspAccuracy: number;
  readonly learningRate: number;
  readonly gradNorm: number;
  /** The factor clipping scaled the gradient by (1 when under the limit): SGD's Δ = −η·clipScale·g. */
  readonly clipScale: number;
  readonly lookupRows: number[];
  readonly outputGradRowNorm: number[];
  readonly lookupGradRowNorm: number[];
  readonly updateRowNorm: number[];
  /** ‖ΔE_token[r] − mean_r ΔE_token‖ of this step; null for a report saved before it was measured. */
  readonly centredUpdateRowNorm: number[] | null;
  readonly movedWithoutGradient: number[];
  readonly positionUpdateRowNorm: number[];
  readonly segmentUpdateRowNorm: number[];
  readonly ms: { readonly forwardBackward: number; readonly optimizer: number; readonly report: number };
  readonly batch: {
    readonly inputIds: number[];
    readonly tokenTypeIds: number[];
    readonly maskedPositions: number[];
    readonly maskedLabels: number[];
    readonly maskedOutcomes: string[];
    readonly isNext: number[];
  };
}

export interface BertLabSnapshot {
  readonly backend: string | null;
  readonly adapter: unknown;
  /** Each backend's status: available, why not, not probed yet (pending), its measured ms. */
  readonly backends: BackendStatus[];
  /** What the engine does in the background (probing, timing a backend), in words; null when nothing. */
  readonly background: string | null;
  readonly step: number;
  readonly config: unknown;
  readonly settings: EngineSettings;
  readonly msPerStep: number | null;
  /** Whether steps run on the fused WebGPU kernels (the WebGPU backend) rather than tfjs ops. */
  readonly fusedStep: boolean;
  readonly numTensors: number | null;
  readonly numBytes: number | null;
  readonly report: BertLabReport | null;
  /** The last step's rows of E_token by cause: the counters', caption's and map's own numbers. */
  readonly rows: BertLabRows | null;
  /**
   * The last step's median and quartiles of ‖Δrow‖ and ‖g‖ by the path that gave each row its
   * gradient (lookup, output softmax only, none but moved): the Training view's move-size table.
   */
  readonly moveSizes: MoveSizes | null;
  /** The Lesson view: its chapter, and its own engine's step and last report (not the Training view's). */
  readonly lesson: BertLabLesson;
}

export interface BertLabLesson {
  readonly chapter: string;
  readonly step: number;
  readonly report: BertLabReport | null;
  /** The chapter running now, or null. */
  readonly running: string | null;
}

/**
 * The row classification of core/train/rowCauses.ts: lookup, output and momentum rows moved
 * (through the lookup, through the output softmax only, with no gradient); stalled rows had a
 * gradient and did not move (learning rate 0); unchanged rows had neither.
 */
export interface BertLabRows {
  readonly step: number;
  readonly counts: Readonly<Record<RowCause, number>>;
  /** lookup + output + momentum. */
  readonly moved: number;
  /** Each row's cause, by id. */
  readonly causes: RowCause[];
}

export interface BertLab {
  readonly version: 1;
  snapshot(): BertLabSnapshot;
  /** Starts (or restarts) the engine; settings not given keep their current values. */
  start(settings?: Partial<EngineSettings>): Promise<BertLabSnapshot>;
  step(steps?: number): Promise<BertLabSnapshot>;
  setBackend(name: BackendName): Promise<BertLabSnapshot>;
  /** Gradients of a fixed batch on the current backend, by parameter name (nothing is applied). */
  probeGradients(): Promise<Record<string, number[]>>;
  /** The model's intermediates for a sentence pair: embeddings, their sum, LayerNorm, attention. */
  trace(a: string, b?: string): Promise<Record<string, unknown>>;
  /**
   * E_token now and at step 0 (from the seed), read from the engine: [vocabSize × hidden] each, as
   * Float32Arrays (4 MB each for the lab preset), for in-page scripts that measure the drift.
   */
  tokenTables(): Promise<BertLabTokenTables>;
  /** Runs one training step under tf.profile: kernels dispatched, new tensors, peak bytes. */
  profileStep(): Promise<StepProfile>;
  /**
   * The `k` (1..50) rows of E_token nearest to `piece`'s by centred cosine, computed in the engine
   * from the weights as they are: cos(x_r − m, x_q − m), m the mean of all V rows, over every row
   * but the piece's own, highest first (ties by the lower id). Rejects a piece that is not in the
   * model's vocabulary, or k out of bounds, with a sentence that says why.
   */
  neighbours(piece: string, k: number): Promise<BertLabNeighbour[]>;
  /**
   * cos(E_position[i], E_position[j]) for every pair of the position table's P rows, as P rows of
   * P numbers, computed in the engine from the weights as they are.
   */
  positionCosines(): Promise<number[][]>;
  /** Test-hooks builds only: destroys the WebGPU device, to exercise recovery. */
  loseDevice?(): Promise<boolean>;
  /** Test-hooks builds only: sets E_token to NaN, to exercise the non-finite recovery path. */
  corruptWeights?(): Promise<boolean>;
  /** Test-hooks builds only: the next fused WebGPU step hits a real WebGPU validation error. */
  failFusedStep?(): Promise<boolean>;
  /**
   * Test-hooks builds only: the next switch to the fused step (setBackend('webgpu')) checks its
   * buffers against a limit of `bytes` instead of the device's, so they are over it.
   */
  capFusedLimits?(bytes: number): Promise<boolean>;
  /** The saved sessions in this browser and the one this tab trains, read afresh. */
  sessions(): Promise<BertLabSessions>;
  /** Saves the current session now instead of within the autosave interval. */
  saveSession(name?: string): Promise<BertLabSessions>;
  /** The loss history the Training view draws, oldest first. */
  trainingHistory(): { step: number; mlm: number; nsp: number; total: number }[];
}

export interface BertLabTokenTables {
  readonly step: number;
  readonly vocabSize: number;
  readonly hidden: number;
  readonly token: Float32Array;
  readonly tokenAtStart: Float32Array;
}

export interface BertLabNeighbour {
  readonly piece: string;
  readonly id: number;
  readonly cosine: number;
}

export interface BertLabSessions {
  readonly current: {
    readonly id: string;
    readonly name: string;
    readonly readOnly: boolean;
    readonly savedStep: number | null;
  } | null;
  readonly list: readonly {
    readonly id: string;
    readonly name: string;
    readonly step: number;
    readonly preset: string;
    readonly optimizer: string;
    readonly savedAt: number;
    readonly bytes: number;
  }[];
  readonly error: string | null;
}

declare global {
  interface Window {
    bertLab?: BertLab;
  }
}

const list = (values: ArrayLike<number>) => Array.from(values);

/** A step report as plain JSON (the Training view's and the Lesson's engines report alike). */
function reportOf(r: StepReport): BertLabReport {
  return {
    step: r.step,
    nonFinite: r.nonFinite,
    loss: r.loss,
    mlmAccuracy: r.mlmAccuracy,
    nspAccuracy: r.nspAccuracy,
    learningRate: r.learningRate,
    gradNorm: r.gradNorm,
    clipScale: r.clipScale,
    lookupRows: list(r.lookupRows),
    outputGradRowNorm: list(r.outputGradRowNorm),
    lookupGradRowNorm: list(r.lookupGradRowNorm),
    updateRowNorm: list(r.updateRowNorm),
    centredUpdateRowNorm: r.centredUpdateRowNorm && list(r.centredUpdateRowNorm),
    movedWithoutGradient: list(r.movedWithoutGradient),
    positionUpdateRowNorm: list(r.positionUpdateRowNorm),
    segmentUpdateRowNorm: list(r.segmentUpdateRowNorm),
    ms: r.ms,
    batch: {
      inputIds: list(r.batch.inputIds),
      tokenTypeIds: list(r.batch.tokenTypeIds),
      maskedPositions: list(r.batch.maskedPositions),
      maskedLabels: list(r.batch.maskedLabels),
      maskedOutcomes: [...r.batch.maskedOutcomes],
      isNext: list(r.batch.isNext),
    },
  };
}

/** The engine's state and last report as plain JSON, for scripts and course pages. */
function snapshotOf(store: LabStore): BertLabSnapshot {
  const { snapshot: s, lastReport: r, settings, frames, stepFacts } = store.getState().training;
  const { lesson } = store.getState();
  const frame = frames.at(-1);
  return {
    backend: s?.backend ?? null,
    adapter: s?.adapter ?? null,
    backends: [...(s?.backends ?? [])],
    background: s?.background ?? null,
    step: s?.step ?? 0,
    config: s?.config ?? null,
    settings,
    msPerStep: s?.msPerStep ?? null,
    fusedStep: s?.fusedStep ?? false,
    numTensors: s?.numTensors ?? null,
    numBytes: s?.numBytes ?? null,
    report: r && reportOf(r),
    rows: frame
      ? {
          step: frame.step,
          counts: frame.counts,
          moved: movedRows(frame.counts),
          causes: Array.from(frame.causes, (c) => ROW_CAUSES[c]!),
        }
      : null,
    moveSizes: r && stepFacts?.step === r.step ? stepFacts.moveSizes : null,
    lesson: {
      chapter: lesson.chapter,
      step: lesson.step,
      report: lesson.lastReport && reportOf(lesson.lastReport),
      running: lesson.running,
    },
  };
}

/** The saved sessions and the one this tab trains, as plain JSON. */
function sessionsOfStore(store: LabStore): BertLabSessions {
  const { current, list, savedStep, error } = store.getState().sessions;
  return {
    current: current && { id: current.id, name: current.name, readOnly: current.readOnly, savedStep },
    list: list.map(({ id, name, step, preset, optimizer, savedAt, bytes }) => ({
      id,
      name,
      step,
      preset,
      optimizer,
      savedAt,
      bytes,
    })),
    error,
  };
}

export function createBertLab(store: LabStore): BertLab {
  const snapshot = () => snapshotOf(store);
  const started = async () => {
    const { training, startTraining } = store.getState();
    if (training.status === 'idle' || training.status === 'error') await startTraining();
    const after = store.getState().training;
    if (after.status === 'error') throw new Error(after.error ?? 'The training engine did not start.');
  };
  const state = () => store.getState();
  const sessionsOf = () => sessionsOfStore(store);
  const faults = async () => {
    await started();
    const hooks = state().trainingEngine().faults;
    if (!hooks) throw new Error('Fault injection exists only in a test-hooks build.');
    return hooks;
  };
  const lab: BertLab = {
    version: 1,
    snapshot,
    start: async (settings) => {
      await state().startTraining(settings);
      const after = state().training;
      // A refused start leaves the previous model running (status 'ready') but sets the error.
      if (after.status === 'error' || after.error !== null)
        throw new Error(after.error ?? 'The training engine did not start.');
      return snapshot();
    },
    step: async (steps = 1) => {
      await started();
      await state().trainingEngine().step(steps);
      return snapshot();
    },
    setBackend: async (name) => {
      await started();
      await state().trainingEngine().setBackend(name);
      return snapshot();
    },
    probeGradients: async () => {
      await started();
      const grads = await state().trainingEngine().probeGradients();
      return Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, list(v)]));
    },
    trace: async (a, b) => {
      await started();
      const t = await state().trainingEngine().trace(a, b);
      return Object.fromEntries(
        Object.entries(t).map(([k, v]) => [
          k,
          v instanceof Float32Array
            ? list(v)
            : Array.isArray(v) && v[0] instanceof Float32Array
              ? v.map((x: Float32Array) => list(x))
              : v,
        ]),
      );
    },
    tokenTables: async () => {
      await started();
      const t = await state().trainingEngine().tables();
      return {
        step: t.step,
        vocabSize: t.vocabSize,
        hidden: t.hidden,
        token: t.token,
        tokenAtStart: t.tokenAtStart,
      };
    },
    profileStep: async () => {
      await started();
      return state().trainingEngine().profileStep();
    },
    neighbours: async (piece, k) => {
      await started();
      const vocab = state().training.vocab ?? [];
      if (typeof piece !== 'string' || !vocab.includes(piece))
        throw new Error(
          `“${String(piece).slice(0, 40)}” is not a piece of this model's vocabulary, so it has no row of its own.`,
        );
      const request = { pieces: [piece], mapPieces: [], k, centred: true, mapSize: 0 };
      const report = await state().trainingEngine().learned(request);
      return report.neighbours[0]!.neighbours.map(({ piece, id, cosine }) => ({ piece, id, cosine }));
    },
    positionCosines: async () => {
      await started();
      const request = { pieces: [], mapPieces: [], k: 1, centred: true, mapSize: 0 };
      const { positions } = await state().trainingEngine().learned(request);
      const P = positions.count;
      return Array.from({ length: P }, (_, i) => list(positions.cosines.subarray(i * P, (i + 1) * P)));
    },
    sessions: async () => {
      await state().refreshSessions();
      return sessionsOf();
    },
    trainingHistory: () =>
      state().training.history.map(({ step, mlm, nsp, total }) => ({ step, mlm, nsp, total })),
    saveSession: async (name) => {
      await state().saveSession(name);
      await state().refreshSessions();
      return sessionsOf();
    },
  };
  // A production build folds TEST_HOOKS to false and drops these, names and all.
  if (TEST_HOOKS)
    return {
      ...lab,
      loseDevice: async () => (await faults()).loseDevice(),
      corruptWeights: async () => (await faults()).corruptWeights(),
      failFusedStep: async () => (await faults()).failFusedStep(),
      capFusedLimits: async (bytes: number) => (await faults()).capFusedLimits(bytes),
    };
  return lab;
}
