/** The page's handle on the training Worker: commands as promises, pushes as callbacks. */
import type { SessionMeta } from '../persist/db';
import { TEST_HOOKS } from './testHooks';
import type { PairTrace, SessionTables } from './session';
import type {
  FaultCommand,
  FromEngine,
  RestoredSession,
  SaveSessionRequest,
  StepProfile,
  ToEngine,
} from './trainProtocol';
import type { BackendName, EngineSettings } from '../core/domain/settings';
import type { LearnedReport, LearnedRequest } from '../core/learned/types';
import trainWorkerUrl from './train.worker.ts?worker&url';
import { startLabWorker } from './labWorker';

type Command = ToEngine | FaultCommand extends infer M
  ? M extends { id: number }
    ? Omit<M, 'id'>
    : never
  : never;

export interface TrainEngineClient {
  /** Resolves with the vocabulary the model uses (trained in the Worker when `vocab` is null). */
  init(settings: EngineSettings, vocab: readonly string[] | null, corpus: string): Promise<readonly string[]>;
  step(steps: number): Promise<void>;
  play(stepsPerSecond: number): void;
  pause(): void;
  setLearningRate(learningRate: number): Promise<void>;
  setBackend(backend: BackendName): Promise<void>;
  snapshotRows(ids: readonly number[]): Promise<Float32Array[]>;
  probeGradients(): Promise<Record<string, Float32Array>>;
  profileStep(): Promise<StepProfile>;
  trace(a: string, b?: string): Promise<PairTrace>;
  tables(): Promise<SessionTables>;
  /** What the rows learned, for the weights as they are now. */
  learned(request: LearnedRequest): Promise<LearnedReport>;
  /** Pushes a `learned` report after every step for `request`; null stops. Rejects a bad request. */
  watchLearned(request: LearnedRequest | null): Promise<void>;
  /** Saves the running session to IndexedDB; 'stale' when a step ran after the page's state. */
  save(request: SaveSessionRequest): Promise<SessionMeta | 'stale'>;
  /** Replaces the running session with a saved one, after checking it completely. */
  restore(sessionId: string): Promise<RestoredSession>;
  /** Checks a session file and stores it as a new session; the bytes are transferred. */
  importFile(bytes: ArrayBuffer): Promise<SessionMeta>;
  /** A saved session as a file, built in the Worker: the page gets a Blob handle, not the bytes. */
  exportFile(sessionId: string): Promise<Blob>;
  /** Fault injection for the recovery tests; null except in a test-hooks build. */
  readonly faults: FaultHooks | null;
  dispose(): void;
}

export interface FaultHooks {
  loseDevice(): Promise<boolean>;
  corruptWeights(): Promise<boolean>;
  failFusedStep(): Promise<boolean>;
  capFusedLimits(bytes: number): Promise<boolean>;
}

export function createTrainEngineClient(
  onPush: (message: Exclude<FromEngine, { type: 'reply' }>) => void,
): TrainEngineClient {
  const worker = startLabWorker(trainWorkerUrl);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;

  worker.onmessage = (event: MessageEvent<FromEngine>) => {
    const message = event.data;
    if (message.type !== 'reply') return onPush(message);
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(message.error));
  };
  worker.onerror = (event) => {
    const error = new Error(event.message || 'The training engine stopped unexpectedly.');
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    onPush({ type: 'notice', level: 'warning', message: error.message });
  };

  const request = <T>(command: Command, transfer: Transferable[] = []): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...command, id } as ToEngine | FaultCommand, transfer);
    });

  return {
    init: (settings, vocab, corpus) => request({ type: 'init', settings, vocab, corpus }),
    step: (steps) => request({ type: 'step', steps }),
    play: (stepsPerSecond) => worker.postMessage({ type: 'play', stepsPerSecond } satisfies ToEngine),
    pause: () => worker.postMessage({ type: 'pause' } satisfies ToEngine),
    setLearningRate: (learningRate) => request({ type: 'setLearningRate', learningRate }),
    setBackend: (backend) => request({ type: 'setBackend', backend }),
    snapshotRows: (ids) => request({ type: 'snapshotRows', ids }),
    probeGradients: () => request({ type: 'probeGradients' }),
    profileStep: () => request({ type: 'profileStep' }),
    trace: (a, b) => request(b === undefined ? { type: 'trace', a } : { type: 'trace', a, b }),
    tables: () => request({ type: 'tables' }),
    learned: (learnedRequest) => request({ type: 'learned', request: learnedRequest }),
    watchLearned: (learnedRequest) => request({ type: 'watchLearned', request: learnedRequest }),
    save: (saveRequest) => request({ type: 'save', request: saveRequest }),
    restore: (sessionId) => request({ type: 'restore', sessionId }),
    importFile: (bytes) => request({ type: 'importFile', bytes }, [bytes]),
    exportFile: (sessionId) => request({ type: 'exportFile', sessionId }),
    faults: TEST_HOOKS
      ? {
          loseDevice: () => request({ type: 'loseDevice' }),
          corruptWeights: () => request({ type: 'corruptWeights' }),
          failFusedStep: () => request({ type: 'failFusedStep' }),
          capFusedLimits: (bytes) => request({ type: 'capFusedLimits', bytes }),
        }
      : null,
    dispose: () => worker.terminate(),
  };
}
