/**
 * How the engine picks a backend for 'auto': numbers first, the race after. Plain logic with the
 * timing passed in, so the rules can be tested in Node without a GPU.
 *
 * 1. Start at once on a backend that is known to work without timing anything: wasm (tfjs's
 *    WebAssembly kernels, SIMD where the browser has it), or cpu where wasm cannot start. So the
 *    step-0 model, and Step, exist within a second or two of being asked for.
 * 2. Then, in the background, time the start backend against the candidates that could beat it,
 *    and hand the model over to the winner between two steps.
 *
 * Candidates: a hardware WebGPU adapter (the lab's fused kernels: ~86 dispatches in one submission
 * a step) and WebGL on a hardware renderer. Left out, since they are hopeless and timing them
 * costs the learner seconds: cpu whenever wasm works (tfjs's plain-JS kernels; measured on the
 * default model 1.3 s against 0.11 s a step), and WebGPU or WebGL on a software rasterizer
 * (SwiftShader: the fused step 4.6 s, WebGL 3.2 s a step on the default model's 30,522-row
 * table, against 0.11 s on wasm, plus seconds of shader compilation).
 */
import { errorMessage } from '../core/errorMessage';
import type { BackendStatus } from './trainProtocol';
import type { BackendName, EngineSettings } from '../core/domain/settings';

/** The backend 'auto' starts on without timing anything: wasm if it started, else cpu. */
export function startBackend(statuses: readonly BackendStatus[]): BackendName {
  return statuses.some((b) => b.name === 'wasm' && b.available) ? 'wasm' : 'cpu';
}

/** A backend that runs on the CPU even though it is called a GPU backend. */
const isSoftware = (b: BackendStatus): boolean =>
  b.adapter?.isFallbackAdapter === true || b.softwareRenderer === true;

/**
 * The backends to time against `start` (which comes first, as the baseline): only those that
 * could beat it. A backend not probed yet (available false, pending true) is not a candidate.
 */
export function raceCandidates(statuses: readonly BackendStatus[], start: BackendName): BackendName[] {
  const could = (b: BackendStatus): boolean => {
    if (!b.available || b.name === start) return false;
    if (b.name === 'webgpu') return b.adapter != null && !isSoftware(b);
    if (b.name === 'webgl') return !isSoftware(b);
    // wasm always beats cpu, so cpu races only when it is the start (wasm did not start).
    return b.name === 'wasm';
  };
  return [start, ...statuses.filter(could).map((b) => b.name)];
}

/**
 * A backend whose first timed step is this many times slower than the best so far is dropped at
 * once: more steps would not change the outcome, and each costs the learner time.
 */
export const DROP_FACTOR = 3;
/** Timed steps of one candidate stop once they add up to this. */
const RACE_BUDGET_MS = 1_000;
/** Timed steps per candidate at most (after one untimed warm-up step, which compiles shaders). */
const TIMED_STEPS = 3;

export interface RaceTimer {
  /** One untimed step on `name` (compiles its shaders); rejects when the backend cannot train. */
  warmUp(name: BackendName): Promise<void>;
  /** One timed step on `name`, in ms; rejects when the step's report is not valid. */
  timeStep(name: BackendName): Promise<number>;
  /** Frees what timing `name` built (called for every candidate that was started). */
  done(name: BackendName): void;
}

export interface RaceResult {
  readonly name: BackendName;
  /** Median ms per step of every backend timed, by name. */
  readonly measured: ReadonlyMap<BackendName, number>;
  /** Backends that failed their warm-up or a step (an invalid report, say), with the reason. */
  readonly failed: ReadonlyMap<BackendName, string>;
  /** Backends dropped after one timed step, DROP_FACTOR or more times slower than the best. */
  readonly dropped: readonly BackendName[];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Times each candidate in order and returns the fastest, or null when `cancelled()` turns true
 * between two steps (a restart or a backend chosen by hand made the race pointless). The first
 * candidate is the backend the model runs on, so it is the fallback whatever happens to the others.
 */
export async function runRace(
  candidates: readonly BackendName[],
  timer: RaceTimer,
  options: {
    readonly cancelled?: () => boolean;
    readonly onProgress?: (name: BackendName, index: number, count: number) => void;
  } = {},
): Promise<RaceResult | null> {
  const cancelled = options.cancelled ?? (() => false);
  const measured = new Map<BackendName, number>();
  const failed = new Map<BackendName, string>();
  const dropped: BackendName[] = [];
  let best: { name: BackendName; ms: number } | null = null;
  for (const [i, name] of candidates.entries()) {
    if (cancelled()) return null;
    options.onProgress?.(name, i, candidates.length);
    const times: number[] = [];
    try {
      await timer.warmUp(name);
      while (times.length < TIMED_STEPS && !cancelled()) {
        times.push(await timer.timeStep(name));
        if (best && times.length === 1 && times[0]! > DROP_FACTOR * best.ms) {
          dropped.push(name);
          break;
        }
        if (times.reduce((sum, t) => sum + t, 0) > RACE_BUDGET_MS) break;
      }
    } catch (error) {
      failed.set(name, errorMessage(error));
      continue;
    } finally {
      timer.done(name);
    }
    if (times.length === 0) return null; // cancelled before a step was timed
    const ms = median(times);
    measured.set(name, ms);
    if (!best || ms < best.ms) best = { name, ms };
  }
  if (cancelled()) return null;
  return { name: best?.name ?? candidates[0] ?? 'cpu', measured, failed, dropped };
}

/**
 * What the race result is kept under: the model's shape (preset, vocabulary, batch, sequence,
 * tied output). Seed, learning rate and optimizer barely change the cost of a step, so a restart
 * with other values of those keeps the backend the race chose. The Worker lives as long as the
 * page, so the device is the same for every key it holds.
 */
export const raceKey = (s: EngineSettings, vocabSize: number): string =>
  [s.preset, vocabSize, s.batchSize, s.seqLength, s.tieOutputEmbeddings].join('/');
