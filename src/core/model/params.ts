/**
 * BERT's parameters as a plain typed structure of named leaves. The structure is generic in its
 * leaf so one walker serves every use: Float32Arrays for the initial values, tf.Variables for
 * training, plain tensors inside a gradient function, Float64Arrays in the reference test.
 *
 * Dense kernels are stored [in, out], as in Google's TensorFlow checkpoints: y = x · W + b.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '../math/rng';
import type { BertConfig } from './config';

export interface DenseParams<T> {
  readonly kernel: T; // [in, out]
  readonly bias: T; // [out]
}

export interface LayerNormParams<T> {
  readonly gamma: T; // [H], starts at 1
  readonly beta: T; // [H], starts at 0
}

export interface EncoderLayerParams<T> {
  readonly query: DenseParams<T>; // [H, H]
  readonly key: DenseParams<T>; // [H, H]
  readonly value: DenseParams<T>; // [H, H]
  readonly attentionOutput: DenseParams<T>; // [H, H]
  readonly attentionNorm: LayerNormParams<T>;
  readonly intermediate: DenseParams<T>; // [H, FFN]
  readonly output: DenseParams<T>; // [FFN, H]
  readonly outputNorm: LayerNormParams<T>;
}

export interface BertParams<T = tf.Variable> {
  readonly embeddings: {
    readonly token: T; // E_token [V, H]
    readonly segment: T; // E_segment [2, H]
    readonly position: T; // E_position [P, H]
    readonly norm: LayerNormParams<T>;
  };
  readonly layers: readonly EncoderLayerParams<T>[];
  readonly mlm: {
    readonly transform: DenseParams<T>; // [H, H], then GELU
    readonly norm: LayerNormParams<T>;
    /** W_out [V, H] when the output is untied; null when it reuses E_token. */
    readonly outputKernel: T | null;
    readonly outputBias: T; // [V]
  };
  readonly nsp: {
    readonly pooler: DenseParams<T>; // [H, H], then tanh
    readonly classifier: DenseParams<T>; // [H, 2]
  };
}

/**
 * What a leaf is, which decides how it starts and how optimizers treat it: embedding tables are
 * looked up row by row (LazyAdam updates them sparsely), weights get weight decay, biases and
 * LayerNorm γ/β do not.
 */
export type ParamKind = 'embedding' | 'weight' | 'bias' | 'normGamma' | 'normBeta';

export interface ParamInfo {
  /** A dotted path such as `layers.0.query.kernel`. */
  readonly name: string;
  readonly kind: ParamKind;
  readonly shape: readonly number[];
}

/** Rebuilds the parameter structure of `config` with every leaf replaced by `leaf(info)`. */
function buildParams<T>(config: BertConfig, leaf: (info: ParamInfo) => T): BertParams<T> {
  const { vocabSize: V, hidden: H, intermediate: F, maxPositions: P, typeVocabSize: S } = config;
  const make = (name: string, kind: ParamKind, shape: number[]): T => leaf({ name, kind, shape });
  const dense = (name: string, inputs: number, outputs: number): DenseParams<T> => ({
    kernel: make(`${name}.kernel`, 'weight', [inputs, outputs]),
    bias: make(`${name}.bias`, 'bias', [outputs]),
  });
  const norm = (name: string): LayerNormParams<T> => ({
    gamma: make(`${name}.gamma`, 'normGamma', [H]),
    beta: make(`${name}.beta`, 'normBeta', [H]),
  });
  // Built in reading order (embeddings, layers, heads): this is the order of `paramInfos`.
  const embeddings = {
    token: make('embeddings.token', 'embedding', [V, H]),
    segment: make('embeddings.segment', 'embedding', [S, H]),
    position: make('embeddings.position', 'embedding', [P, H]),
    norm: norm('embeddings.norm'),
  };
  const layers: EncoderLayerParams<T>[] = [];
  for (let l = 0; l < config.layers; l++) {
    const p = `layers.${l}`;
    layers.push({
      query: dense(`${p}.query`, H, H),
      key: dense(`${p}.key`, H, H),
      value: dense(`${p}.value`, H, H),
      attentionOutput: dense(`${p}.attentionOutput`, H, H),
      attentionNorm: norm(`${p}.attentionNorm`),
      intermediate: dense(`${p}.intermediate`, H, F),
      output: dense(`${p}.output`, F, H),
      outputNorm: norm(`${p}.outputNorm`),
    });
  }
  return {
    embeddings,
    layers,
    mlm: {
      transform: dense('mlm.transform', H, H),
      norm: norm('mlm.norm'),
      outputKernel: config.tieOutputEmbeddings ? null : make('mlm.outputKernel', 'weight', [V, H]),
      outputBias: make('mlm.outputBias', 'bias', [V]),
    },
    nsp: { pooler: dense('nsp.pooler', H, H), classifier: dense('nsp.classifier', H, 2) },
  };
}

/** Every leaf with its description, in the one fixed order `buildParams` visits them. */
export function paramInfos(config: BertConfig): ParamInfo[] {
  const infos: ParamInfo[] = [];
  buildParams(config, (info) => infos.push(info));
  return infos;
}

/** The leaf at a dotted path such as `layers.0.query.kernel`. */
function leafAt(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) throw new Error(`No parameter at ${path}.`);
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined) throw new Error(`No parameter at ${path}.`);
  return node;
}

/** The leaves of `params` in `paramInfos` order. */
export function flattenParams<T>(config: BertConfig, params: BertParams<T>): T[] {
  return paramInfos(config).map((info) => leafAt(params, info.name) as T);
}

/** The structure back from leaves in `paramInfos` order (the inverse of `flattenParams`). */
export function unflattenParams<T>(config: BertConfig, leaves: readonly T[]): BertParams<T> {
  let next = 0;
  const params = buildParams(config, (info) => {
    const leaf = leaves[next++];
    if (leaf === undefined) throw new Error(`No value for ${info.name}.`);
    return leaf;
  });
  if (next !== leaves.length) throw new Error(`${leaves.length} leaves for ${next} parameters.`);
  return params;
}

/** Applies `fn` to every leaf, keeping the structure. */
export function mapParams<A, B>(
  config: BertConfig,
  params: BertParams<A>,
  fn: (leaf: A, info: ParamInfo) => B,
): BertParams<B> {
  const leaves = flattenParams(config, params);
  const infos = paramInfos(config);
  return unflattenParams(
    config,
    leaves.map((leaf, i) => fn(leaf, infos[i]!)),
  );
}

export function parameterCount(config: BertConfig): number {
  return paramInfos(config).reduce((sum, info) => sum + info.shape.reduce((n, d) => n * d, 1), 0);
}

/**
 * BERT's initialization, made in TypeScript so the weights are bit-identical on every backend:
 * weights and embedding tables ~ truncated normal(0, initStd) (redrawn beyond 2σ), biases 0,
 * LayerNorm γ = 1 and β = 0. Each leaf draws from its own stream, named by the leaf, so adding
 * a layer does not change the embeddings' initial values.
 */
export function initialValues(config: BertConfig, seed: number): BertParams<Float32Array> {
  return buildParams(config, (info) => initialLeaf(config, seed, info));
}

/** One leaf's initial values: its own stream, so a view can make one table without the rest. */
function initialLeaf(config: BertConfig, seed: number, info: ParamInfo): Float32Array {
  const size = info.shape.reduce((n, d) => n * d, 1);
  const values = new Float32Array(size);
  if (info.kind === 'normGamma') values.fill(1);
  if (info.kind === 'embedding' || info.kind === 'weight') {
    const rng = new Rng(deriveSeed(seed, info.name));
    for (let i = 0; i < size; i++) values[i] = rng.truncatedNormal(config.initStd);
  }
  return values;
}

/** The step-0 values of the parameter called `name` ('embeddings.token', …), from the seed alone. */
export function initialLeafNamed(config: BertConfig, seed: number, name: string): Float32Array {
  const info = paramInfos(config).find((i) => i.name === name);
  if (!info) throw new Error(`No parameter ${name}.`);
  return initialLeaf(config, seed, info);
}
