/**
 * The engine's health: the snapshot the page reads, and the last good copy of the weights and
 * optimizer state that a non-finite step, a lost device or a failed fused step goes back to.
 */
import * as tf from '@tensorflow/tfjs-core';
import { flattenParams } from '../../core/model';
import type { Session } from '../session';
import type { EngineSnapshot } from '../trainProtocol';
import type { Engine } from './engine';

/** The engine's state now, as plain data for the page. */
export function snapshotNow(engine: Engine): EngineSnapshot {
  const { backend, backends, session } = engine;
  return {
    backend,
    adapter: backends.find((b) => b.name === backend)?.adapter ?? null,
    backends,
    step: session?.state.step ?? 0,
    config: session?.config ?? null,
    settings: engine.settings,
    playing: engine.playing,
    msPerStep: engine.lastMs,
    fusedStep: session?.fused ?? false,
    numTensors: tf.memory().numTensors,
    numBytes: tf.memory().numBytes,
    background: engine.background,
  };
}

export function postSnapshot(engine: Engine): void {
  engine.out.post({ type: 'snapshot', snapshot: snapshotNow(engine) });
}

/** Every variable whose value is training state: parameters, then optimizer slots. */
function stateVariables(s: Session): tf.Variable[] {
  const params = flattenParams(s.config, s.state.params);
  return [...params, ...s.state.optimizer.stateVariables(params)];
}

export async function takeSnapshot(engine: Engine): Promise<void> {
  const { session } = engine;
  if (!session) return;
  await session.sync();
  const variables = stateVariables(session);
  const values = await Promise.all(variables.map((v) => v.data<'float32'>()));
  engine.good = { step: session.state.step, updates: session.state.optimizer.updates, values };
}

export async function restoreSnapshot(engine: Engine): Promise<void> {
  const { session, good } = engine;
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

export async function weightsAreFinite(engine: Engine): Promise<boolean> {
  const { session } = engine;
  if (!session) return true;
  await session.sync();
  const finite = tf.tidy(() =>
    tf.stack(flattenParams(session.config, session.state.params).map((p) => tf.all(tf.isFinite(p)))).all(),
  );
  const ok = (await finite.data())[0] === 1;
  finite.dispose();
  return ok;
}
