/**
 * The training Worker's state in one place: what runs (backend, sessions, settings), what it last
 * did (step time, last good snapshot), and what it does in the background. Every part of the Worker
 * (health, placement, stepping, the background race, the message handlers) takes this object, so
 * none of them keeps state of its own.
 */
import { unprobedBackends } from '../backends';
import type { Session } from '../session';
import { type BackendStatus, type EnginePhase, type FromEngine } from '../trainProtocol';
import type { LearnedRequest } from '../../core/learned/types';
import { DEFAULT_ENGINE_SETTINGS, type BackendName, type EngineSettings } from '../../core/domain/settings';
import { createWorkQueue, type WorkQueue } from '../workQueue';

/** Where the engine's messages go: the page, through the Worker's postMessage. */
export interface Outbox {
  post(message: FromEngine, transfer?: Transferable[]): void;
}

/** A copy of every training variable's values, taken when they were known to be good. */
export interface GoodSnapshot {
  step: number;
  updates: number;
  values: Float32Array[];
}

export interface Engine {
  readonly out: Outbox;
  /** Runs jobs one at a time: commands never interleave with a step; background work yields. */
  readonly work: WorkQueue;
  backends: BackendStatus[];
  backend: BackendName | null;
  session: Session | null;
  /**
   * The B side of an A/B comparison: the same settings and seed with another optimizer, so it draws
   * the same batches and dropout masks and steps in lockstep with `session`. Only reductions of its
   * reports leave the Worker.
   */
  compare: Session | null;
  settings: EngineSettings;
  vocab: readonly string[];
  corpus: string;
  playing: boolean;
  stepsPerSecond: number;
  lastMs: number | null;
  /** Counts starts, restores and backends chosen by hand: background work of an older one stops. */
  generation: number;
  /** What the engine does in the background, in words (the snapshot's `background`). */
  background: string | null;
  good: GoodSnapshot | null;
  /**
   * The winner of the 'auto' race per model shape (raceKey). A restart that changes only what does
   * not change the cost of a step much (seed, learning rate, optimizer) starts on the backend the
   * race chose, and races no more.
   */
  readonly raceWinners: Map<string, BackendName>;
  /** Starts the background work of the latest start now, if it is still waiting (background.ts). */
  backgroundDue: (() => void) | null;
  /** The "What the rows learned" request computed and pushed after every step; null when none is open. */
  learnedWatch: LearnedRequest | null;
}

export function createEngine(out: Outbox): Engine {
  return {
    out,
    work: createWorkQueue(),
    backends: unprobedBackends(),
    backend: null,
    session: null,
    compare: null,
    settings: DEFAULT_ENGINE_SETTINGS,
    vocab: [],
    corpus: '',
    playing: false,
    stepsPerSecond: 5,
    lastMs: null,
    generation: 0,
    background: null,
    good: null,
    raceWinners: new Map(),
    backgroundDue: null,
    learnedWatch: null,
  };
}

/** Runs `job` after everything queued before it. */
export const queue = <T>(engine: Engine, job: () => Promise<T>): Promise<T> => engine.work.run(job);

export const notice = (engine: Engine, level: 'info' | 'warning', message: string): void =>
  engine.out.post({ type: 'notice', level, message });

export const phase = (engine: Engine, p: EnginePhase | null): void =>
  engine.out.post({ type: 'phase', phase: p });

/** The session, or the error every command that needs a model gives before the first start. */
export function requireSession(engine: Engine, what = 'The model is not initialised yet.'): Session {
  if (!engine.session) throw new Error(what);
  return engine.session;
}
