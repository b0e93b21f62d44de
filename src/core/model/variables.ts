/**
 * The model's parameters as tf.Variables, made from the TypeScript initial values of params.ts
 * (which stays free of tfjs at run time, so the page can compute the step-0 embeddings itself).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from './config';
import { flattenParams, initialValues, mapParams, type BertParams } from './params';

let modelCount = 0;

/** tf.Variables made from `initialValues`, named `bert<n>/<leaf name>` (tfjs needs unique names). */
export function createParams(config: BertConfig, seed: number): BertParams {
  const model = modelCount++;
  const init = initialValues(config, seed);
  return mapParams(config, init, (values, info) => {
    const initial = tf.tensor(values, [...info.shape], 'float32');
    const variable = tf.variable(initial, true, `bert${model}/${info.name}`);
    initial.dispose();
    return variable;
  });
}

/** Disposes every variable of a model. */
export function disposeParams(config: BertConfig, params: BertParams<tf.Tensor>): void {
  for (const leaf of flattenParams(config, params)) leaf.dispose();
}
