/**
 * A session's training state as named arrays, and back: every parameter, every optimizer slot
 * (SGD's momentum buffer, Adam's m and v, LazyAdam's too), the update count t of the bias
 * correction, the step, and the position in the data stream. Restoring all of it into a fresh
 * session built from the same settings, vocabulary and corpus makes the next step exactly the
 * step the saved session would have taken: same batch, same dropout (seeded by the step), same
 * weights and moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { flattenParams, paramInfos, type BertConfig } from '../core/model';
import { SessionFileError, type TypedArray } from '../persist/format';
import type { Session } from './session';
import type { OptimizerChoice } from '../core/domain/settings';

/** The counters that, with the arrays, pin down where training stands. */
export interface TrainCounters {
  readonly step: number;
  /** Optimizer updates applied: t in Adam's bias correction. */
  readonly updates: number;
  /** Batches taken from the seeded data stream (non-finite steps take one but apply nothing). */
  readonly batchesDrawn: number;
}

export interface SavedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The optimizer's state slots per parameter, as `Optimizer.slotNames` names them. */
function slotNamesFor(optimizer: OptimizerChoice): readonly string[] {
  if (optimizer === 'sgd') return [];
  return optimizer === 'momentum' ? ['momentum'] : ['m', 'v'];
}

/** The names and shapes a session of this model and optimizer saves, parameters first. */
function expectedArrays(
  config: BertConfig,
  optimizer: OptimizerChoice,
): { name: string; shape: readonly number[] }[] {
  const infos = paramInfos(config);
  const slots = slotNamesFor(optimizer);
  return [
    ...infos.map(({ name, shape }) => ({ name, shape })),
    ...infos.flatMap(({ name, shape }) => slots.map((slot) => ({ name: `${name}#${slot}`, shape }))),
  ];
}

function namedVariables(session: Session): { name: string; variable: tf.Variable }[] {
  const infos = paramInfos(session.config);
  const params = flattenParams(session.config, session.state.params);
  const optimizer = session.state.optimizer;
  const k = optimizer.slotNames.length;
  const slots = optimizer.stateVariables(params);
  return [
    ...params.map((variable, i) => ({ name: infos[i]!.name, variable })),
    ...slots.map((variable, j) => ({
      name: `${infos[Math.floor(j / k)]!.name}#${optimizer.slotNames[j % k]!}`,
      variable,
    })),
  ];
}

/** Copies of every state variable's values, named with `prefix`. */
export async function readTrainState(
  session: Session,
  prefix: string,
): Promise<{ counters: TrainCounters; arrays: SavedArray[] }> {
  const named = namedVariables(session);
  const values = await Promise.all(named.map(({ variable }) => variable.data<'float32'>()));
  return {
    counters: {
      step: session.state.step,
      updates: session.state.optimizer.updates,
      batchesDrawn: session.batchesDrawn,
    },
    arrays: named.map(({ name, variable }, i) => ({
      name: prefix + name,
      shape: variable.shape,
      // Some backends hand out their own storage: copy, the next step would change it.
      values: Float32Array.from(values[i]!),
    })),
  };
}

/**
 * Checks that `arrays` holds every array this session needs under `prefix`, with the right
 * length and dtype and nothing unknown; throws a SessionFileError naming the first problem.
 */
export function checkTrainArrays(
  config: BertConfig,
  optimizer: OptimizerChoice,
  arrays: ReadonlyMap<string, TypedArray>,
  prefix: string,
): void {
  const expected = expectedArrays(config, optimizer);
  for (const { name, shape } of expected) {
    const values = arrays.get(prefix + name);
    const count = shape.reduce((a, b) => a * b, 1);
    if (values === undefined)
      throw new SessionFileError(
        'arrays',
        `The file has no "${prefix + name}" for this model and optimizer.`,
      );
    if (!(values instanceof Float32Array))
      throw new SessionFileError('arrays', `"${prefix + name}" must be float32.`);
    if (values.length !== count)
      throw new SessionFileError(
        'arrays',
        `"${prefix + name}" has ${values.length} numbers; its shape ${shape.join('×')} needs ${count}.`,
      );
  }
  const known = new Set(expected.map(({ name }) => prefix + name));
  const model = prefix === '' ? (n: string) => !n.includes('/') : (n: string) => n.startsWith(prefix);
  for (const name of arrays.keys())
    if (model(name) && !known.has(name))
      throw new SessionFileError('arrays', `The file has an array "${name}" this model does not have.`);
}

/**
 * Puts saved state into a session that has not trained yet. Call `checkTrainArrays` first: by
 * the time this runs, nothing may fail half way.
 */
export function restoreTrainState(
  session: Session,
  counters: TrainCounters,
  arrays: ReadonlyMap<string, TypedArray>,
  prefix: string,
): void {
  if (session.state.step !== 0 || session.batchesDrawn !== 0)
    throw new Error('State is restored into a fresh session only.');
  const named = namedVariables(session);
  tf.tidy(() => {
    for (const { name, variable } of named) {
      // A copy: the CPU backend would otherwise keep the file's buffer as the variable's storage.
      const values = Float32Array.from(arrays.get(prefix + name)!);
      variable.assign(tf.tensor(values, variable.shape, 'float32'));
    }
  });
  session.state.step = counters.step;
  session.state.optimizer.setUpdates(counters.updates);
  session.skipBatches(counters.batchesDrawn);
}
