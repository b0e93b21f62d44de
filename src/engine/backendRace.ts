/**
 * How the engine picks a backend for 'auto': a short timed race. Plain logic with the timing
 * passed in, so the rules can be tested in Node without a GPU.
 */
import type { BackendName, BackendStatus, EngineSettings } from './trainProtocol';

/**
 * The backends that enter the race. On WebGPU the engine runs the lab's fused kernels
 * (src/core/fused: ~86 dispatches in one submission a step, where the stock tfjs path issued
 * ~1,300 dispatches in ~98 submits), so a hardware GPU races like any other backend and wins
 * whenever it is the fastest measured. A software WebGPU adapter (SwiftShader) stays out: the
 * fused step runs there at about 1 s a step for the micro model and 8 s for the default model
 * with its 30,522-row table (measured in Chromium on a 2-core machine), against well under a
 * tenth of a second on wasm, and its first step adds ~10 s of shader compilation; it can still
 * be picked by hand.
 */
export function raceCandidates(statuses: readonly BackendStatus[]): BackendName[] {
  const webgpu = statuses.find((b) => b.name === 'webgpu');
  const hardwareGpu = webgpu?.adapter != null && !webgpu.adapter.isFallbackAdapter;
  return statuses.filter((b) => b.available && (b.name !== 'webgpu' || hardwareGpu)).map((b) => b.name);
}

export interface RaceResult {
  readonly name: BackendName;
  /** Median ms per step of every backend timed, by name (empty when one was asked for by name). */
  readonly measured: ReadonlyMap<BackendName, number>;
}

/**
 * The backend to run on: the one asked for, if available, or for 'auto' the fastest candidate by
 * `time` (ms per step). `onProgress(name, index, count)` is told before each is timed.
 */
export async function chooseBackend(
  preferred: EngineSettings['backend'],
  statuses: readonly BackendStatus[],
  time: (name: BackendName) => Promise<number>,
  onProgress: (name: BackendName, index: number, count: number) => void = () => {},
): Promise<RaceResult> {
  const measured = new Map<BackendName, number>();
  if (preferred !== 'auto') {
    if (!statuses.some((b) => b.name === preferred && b.available)) {
      throw new Error(`The ${preferred} backend is not available here.`);
    }
    return { name: preferred, measured };
  }
  const candidates = raceCandidates(statuses);
  let best: { name: BackendName; ms: number } | null = null;
  for (const [i, name] of candidates.entries()) {
    onProgress(name, i, candidates.length);
    const ms = await time(name);
    measured.set(name, ms);
    if (!best || ms < best.ms) best = { name, ms };
  }
  return { name: best?.name ?? 'cpu', measured };
}
