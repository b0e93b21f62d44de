/**
 * The Worker's side of fault injection (see testHooks.ts): only reached behind TEST_HOOKS, so a
 * production bundle does not contain it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Session } from './session';
import type { FaultCommand } from './trainProtocol';

/** Destroys the WebGPU device; its `lost` promise then starts the engine's recovery. */
function loseWebgpuDevice(): boolean {
  const backend = tf.findBackend('webgpu') as { device?: { destroy(): void } } | null;
  if (!backend?.device) return false;
  backend.device.destroy();
  return true;
}

/** Runs a fault in the Worker; true when there was something to break. */
export function injectFault(message: FaultCommand, session: Session | null): boolean {
  switch (message.type) {
    case 'loseDevice':
      return loseWebgpuDevice();
    case 'corruptWeights': {
      // E_token becomes NaN, as after a diverged update; the next step must notice and restore.
      const table = session?.state.params.embeddings.token;
      if (table) tf.tidy(() => table.assign(tf.fill(table.shape, NaN)));
      return table !== undefined;
    }
    case 'failFusedStep':
      // The next fused step's submission is one WebGPU rejects (a real validation error).
      return session?.injectFusedFault({ type: 'invalid-step' }) ?? false;
    case 'capFusedLimits':
      // The next useDevice checks the fused buffers against `bytes` instead of the device's limits.
      return session?.injectFusedFault({ type: 'limit', bytes: message.bytes }) ?? false;
  }
}
