/**
 * The Worker's background work after a start: probe the backends not checked yet, then, for
 * 'auto', time the candidates that could beat the backend in use (backendRace.ts) on throwaway
 * copies of the model, and hand the model over to a faster one between two steps. Every piece runs
 * as background work of the Worker's queue, so the learner's commands always go first.
 */
import type { StepReport } from '../core/train/pure';
import { raceCandidates, runRace, type RaceResult, type RaceTimer } from './backendRace';
import type { Session } from './session';
import type { BackendStatus } from './trainProtocol';
import type { BackendName } from '../core/domain/settings';
import type { WorkQueue } from './workQueue';

export interface BackgroundHost {
  readonly queue: WorkQueue;
  /** True once a restart, a restore or a backend chosen by hand made this work pointless. */
  stale(): boolean;
  backends(): readonly BackendStatus[];
  setStatus(status: BackendStatus): void;
  /** The backend the model runs on now. */
  current(): BackendName;
  /** Switches tfjs's backend (no data moves until a tensor is used). */
  useBackend(name: BackendName): Promise<void>;
  probe(name: BackendName): Promise<BackendStatus>;
  /** A fresh copy of the running model's settings, placed on `name` (tfjs is on `name` already). */
  newTrial(name: BackendName): Promise<Session>;
  /** What the background does, in words, for the page; null when it is done. */
  say(text: string | null): void;
}

/** Probes each backend still pending, one at a time, going back to the model's backend after each. */
export async function probePending(host: BackgroundHost): Promise<void> {
  for (const { name } of host.backends().filter((b) => b.pending)) {
    await host.queue.background(async () => {
      if (host.stale()) return;
      host.say(`Checking whether ${name} works in this browser…`);
      const status = await host.probe(name);
      await host.useBackend(host.current());
      host.setStatus(status);
    });
  }
  host.say(null);
}

/** A step whose report cannot be true never counts in the race (a fast, empty step would win). */
export function checkReport(report: StepReport): void {
  const loss = report.loss.total;
  if (report.nonFinite || !Number.isFinite(loss) || loss <= 0)
    throw new Error(`its step gave an invalid report (loss ${loss}).`);
}

/** Times steps of throwaway sessions, each job on its own backend and back. */
function trialTimer(host: BackgroundHost): RaceTimer {
  let trial: { name: BackendName; session: Session } | null = null;
  const onTrial = <T>(name: BackendName, work: (s: Session) => Promise<T>): Promise<T> =>
    host.queue.background(async () => {
      if (host.stale()) throw new Error('the race was called off');
      await host.useBackend(name);
      try {
        if (trial?.name !== name) {
          trial?.session.dispose();
          trial = null;
          trial = { name, session: await host.newTrial(name) };
        }
        return await work(trial.session);
      } finally {
        await host.useBackend(host.current());
      }
    });
  return {
    warmUp: (name) => onTrial(name, async (s) => checkReport(await s.step())),
    timeStep: (name) =>
      onTrial(name, async (s) => {
        const t0 = performance.now();
        const report = await s.step();
        const ms = performance.now() - t0;
        checkReport(report);
        return ms;
      }),
    done: (name) => {
      if (trial?.name !== name) return;
      trial.session.dispose();
      trial = null;
    },
  };
}

/**
 * Races the candidates that could beat the backend in use; null when there is nothing to race
 * (the backend in use is the only candidate) or the race was called off.
 */
export async function raceInBackground(host: BackgroundHost): Promise<RaceResult | null> {
  const start = host.current();
  const candidates = raceCandidates(host.backends(), start);
  if (candidates.length < 2) return null;
  try {
    return await runRace(candidates, trialTimer(host), {
      cancelled: host.stale,
      onProgress: (name, i, count) =>
        host.say(
          name === start
            ? `Timing ${name}, the backend in use, as the baseline of a short race (${i + 1} of ${count}, about a second each)…`
            : `Timing ${name} in the background to see whether it trains faster than ${start} (${i + 1} of ${count}, a few seconds: its first step compiles shaders)…`,
        ),
    });
  } finally {
    host.say(null);
  }
}
