/**
 * Which backend the model runs on, and moving it: the start without timing anything, a move
 * between two steps (a race's winner, or a switch by hand), and the two ways WebGPU can fail: a lost
 * device, and a fused step that refuses to run (src/core/fused/errors.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedStepError } from '../../core/fused/errors';
import { raceKey, startBackend } from '../backendRace';
import { onWebgpuDeviceLost, probeBackend, useBackend } from '../backends';
import type { Session } from '../session';
import type { BackendStatus } from '../trainProtocol';
import type { BackendName, EngineSettings } from '../../core/domain/settings';
import { stopComparison } from './comparison';
import { notice, queue, type Engine } from './engine';
import { postSnapshot, restoreSnapshot } from './health';

/** tfjs-backend-webgpu's device, on which the fused training step runs. */
function webgpuDevice(): GPUDevice {
  const device = (tf.findBackend('webgpu') as { device?: GPUDevice } | null)?.device;
  if (!device) throw new Error('The WebGPU backend has no device.');
  return device;
}

/** Puts a session on the fused WebGPU step when the backend is WebGPU, else on the tfjs ops. */
export async function placeSession(s: Session | null, name: BackendName | null): Promise<void> {
  await s?.useDevice(name === 'webgpu' ? webgpuDevice() : null);
}

export const statusOf = (engine: Engine, name: BackendName): BackendStatus | undefined =>
  engine.backends.find((b) => b.name === name);

export function setStatus(engine: Engine, status: BackendStatus): void {
  engine.backends = engine.backends.map((b) => (b.name === status.name ? status : b));
}

/** The status of `name`, probing it first if nobody has (leaves tfjs on it when it started). */
export async function probed(engine: Engine, name: BackendName): Promise<BackendStatus> {
  const known = statusOf(engine, name);
  if (known && !known.pending) return known;
  const status = await probeBackend(name);
  setStatus(engine, status);
  return status;
}

/** Where 'auto' starts, and where training goes when WebGPU fails: wasm, or cpu where wasm cannot start. */
async function fallbackBackend(engine: Engine): Promise<BackendName> {
  await probed(engine, 'wasm');
  return startBackend(engine.backends);
}

/**
 * The backend a start runs on, without timing anything: the one asked for, or for 'auto' the
 * race's winner for this model shape if a race has run, else wasm (cpu where wasm cannot start).
 */
export async function startOn(engine: Engine, preferred: EngineSettings['backend']): Promise<BackendName> {
  if (preferred !== 'auto') {
    const status = await probed(engine, preferred);
    if (!status.available)
      throw new Error(
        `The ${preferred} backend is not available here${status.reason ? `: ${status.reason}` : '.'}`,
      );
    return preferred;
  }
  const known = engine.raceWinners.get(raceKey(engine.settings, engine.vocab.length));
  if (known !== undefined && statusOf(engine, known)?.available) return known;
  return fallbackBackend(engine);
}

/** Makes `name` tfjs's backend; on WebGPU, a lost device later moves training elsewhere. */
export async function switchTo(engine: Engine, name: BackendName): Promise<void> {
  await useBackend(name);
  engine.backend = name;
  if (name === 'webgpu')
    onWebgpuDeviceLost((reason) => void queue(engine, () => recoverFromDeviceLoss(engine, reason)));
}

/**
 * Moves the running model to `name` between two steps: the fused path writes its buffers back to
 * the tf.Variables first, and tfjs moves each variable's data to the new backend on first use, so
 * weights, optimizer state, step, data stream and dropout seed all carry over.
 */
export async function moveTo(engine: Engine, name: BackendName): Promise<void> {
  await placeSession(engine.session, null);
  await placeSession(engine.compare, null);
  await switchTo(engine, name);
  await placeOnBackend(engine);
  engine.lastMs = null;
}

/** Puts the sessions on the backend in use; a fused step that cannot be built there falls back. */
export async function placeOnBackend(engine: Engine): Promise<void> {
  try {
    await placeSession(engine.session, engine.backend);
    await placeSession(engine.compare, engine.backend);
  } catch (error) {
    if (!(error instanceof FusedStepError)) throw error;
    await fallBackFromFused(engine, error);
  }
}

/**
 * The fused WebGPU step failed loudly: a buffer over the device's limits, an allocation refused, a
 * command rejected, or a report that cannot be true. The Session has already left the fused path
 * with the last good weights where it could keep them; the model moves to the fallback backend,
 * WebGPU is marked unusable for this page, and the learner is told.
 */
export async function fallBackFromFused(engine: Engine, error: FusedStepError): Promise<void> {
  const reason = `The fused WebGPU step failed: ${error.message}`;
  setStatus(engine, { ...(statusOf(engine, 'webgpu') ?? { name: 'webgpu' }), available: false, reason });
  engine.generation++; // a race under way would time a backend that no longer works
  await placeSession(engine.session, null);
  await placeSession(engine.compare, null);
  const fallback = await fallbackBackend(engine);
  await switchTo(engine, fallback);
  if (!error.weightsKept) await restoreSnapshot(engine);
  if (engine.settings.backend === 'auto')
    engine.raceWinners.set(raceKey(engine.settings, engine.vocab.length), fallback);
  engine.lastMs = null;
  notice(
    engine,
    'warning',
    `WebGPU could not run the training step (${error.message}). Training continues on ${fallback} from step ${engine.session?.state.step ?? 0}${error.weightsKept ? ', with nothing lost' : ', the last good snapshot'}.`,
  );
  postSnapshot(engine);
}

async function recoverFromDeviceLoss(engine: Engine, reason: string): Promise<void> {
  const { session } = engine;
  if (engine.backend !== 'webgpu' || !session) return;
  engine.backends = engine.backends.map((b) =>
    b.name === 'webgpu' ? { ...b, available: false, reason } : b,
  );
  const fallback = await fallbackBackend(engine);
  await switchTo(engine, fallback);
  // The lost device's data cannot be read; carry on from the last snapshot.
  await session.useDevice(null, { deviceLost: true });
  await engine.compare?.useDevice(null, { deviceLost: true });
  await restoreSnapshot(engine);
  stopComparison(engine, 'the weights were restored after a lost device');
  notice(
    engine,
    'warning',
    `WebGPU stopped working (${reason}). Training continues on ${fallback} from step ${engine.good?.step ?? 0}.`,
  );
  postSnapshot(engine);
}
