/**
 * The four optimizers the lab compares, written out by hand (no tf.train) so every constant is
 * visible. With g the (clipped) gradient, η the learning rate and t the number of updates so far:
 *
 *   SGD       buf = μ·buf + g;  θ -= η·buf                      (μ = 0: plain SGD; TF's Momentum)
 *   Adam      m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
 *             θ -= η · m̂ / (√v̂ + ε),  m̂ = m / (1-β1ᵗ),  v̂ = v / (1-β2ᵗ)      (PyTorch's form)
 *   AdamW     BERT's AdamWeightDecayOptimizer (optimization.py): m and v as Adam, but no bias
 *             correction, and a decoupled decay added to the step: θ -= η · (m / (√v + ε) + λ·θ),
 *             with λ = 0.01 on weights and embedding tables, none on LayerNorm γ/β and biases.
 *   LazyAdam  Adam, but on an embedding table only the rows whose gradient is nonzero this step
 *             have their m, v and values updated (tf.contrib.opt.LazyAdamOptimizer, TF Addons'
 *             LazyAdam); every other parameter is updated as dense Adam. The bias correction uses
 *             the global t, as TF's LazyAdam does, not a per-row count.
 *
 * Adam keeps moving rows that got no gradient this step: m and v decay but are not zero. That is
 * what LazyAdam avoids, and what AdamW's decay does to every decayed row regardless. TF1's own
 * AdamOptimizer is not lazy, even given a sparse gradient (the IndexedSlices of an embedding
 * lookup): its _apply_sparse assigns m ← β1·m and v ← β2·v over the whole table and only then
 * scatter-adds (1−β1)·g and (1−β2)·g² into the looked-up rows, so every row with nonzero m still
 * moves. Only the contrib/Addons LazyAdam skips the rows without a gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamInfo } from '../model/params';

export type OptimizerConfig =
  | { readonly kind: 'sgd'; readonly momentum: number }
  | { readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | {
      readonly kind: 'adamw';
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly weightDecay: number;
    }
  | { readonly kind: 'lazyadam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number };

export type OptimizerKind = OptimizerConfig['kind'];

/** BERT's constants: β1 = 0.9, β2 = 0.999, ε = 1e-6, weight decay 0.01. */
const ADAM_CONSTANTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-6 } as const;

export function defaultOptimizerConfig(kind: OptimizerKind): OptimizerConfig {
  switch (kind) {
    case 'sgd':
      return { kind, momentum: 0 };
    case 'adam':
      return { kind, ...ADAM_CONSTANTS };
    case 'adamw':
      return { kind, ...ADAM_CONSTANTS, weightDecay: 0.01 };
    case 'lazyadam':
      return { kind, ...ADAM_CONSTANTS };
  }
}

/** BERT excludes LayerNorm and bias from weight decay (its `exclude_from_weight_decay`). */
export function decaysWeight(info: ParamInfo): boolean {
  return info.kind === 'weight' || info.kind === 'embedding';
}

export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Updates applied so far (t in the bias correction). */
  readonly updates: number;
  /** One update: `grads[i]` is the gradient of `params[i]`, described by `infos[i]`. */
  apply(
    params: readonly tf.Variable[],
    grads: readonly tf.Tensor[],
    infos: readonly ParamInfo[],
    lr: number,
  ): void;
  /**
   * Every state variable (the momentum buffer, or m and v) of `params`, in their order, created
   * (as zeros) where missing, so a snapshot taken before the first update has them too.
   */
  stateVariables(params: readonly tf.Variable[]): tf.Variable[];
  /**
   * What each parameter's state variables are, in `stateVariables` order: ['momentum'] for SGD
   * with momentum, ['m', 'v'] for the Adam kinds, none for plain SGD. Saved files name them so.
   */
  readonly slotNames: readonly string[];
  /** Sets the update count t, when the state is restored from a snapshot taken at update t. */
  setUpdates(t: number): void;
  dispose(): void;
}

function checkConfig(config: OptimizerConfig): void {
  const unit = (name: string, value: number): void => {
    if (!(value >= 0 && value < 1)) throw new RangeError(`${name} must be in [0, 1), not ${value}.`);
  };
  if (config.kind === 'sgd') return unit('momentum', config.momentum);
  unit('beta1', config.beta1);
  unit('beta2', config.beta2);
  if (!(config.epsilon > 0)) throw new RangeError(`epsilon must be positive, not ${config.epsilon}.`);
  if (config.kind === 'adamw' && !(config.weightDecay >= 0)) {
    throw new RangeError(`weightDecay must be at least 0, not ${config.weightDecay}.`);
  }
}

/** True on every entry of the rows of g that have any nonzero entry: [rows, H], bool. */
function rowsWithGradient(g: tf.Tensor): tf.Tensor {
  const anyNonzero = tf.notEqual(g.abs().sum(1, true), 0); // [rows, 1]
  // Spelled out to full shape once: three same-shape selects are cheaper than three broadcasts.
  return tf.broadcastTo(anyNonzero, g.shape); // [rows, H]
}

/** The scalars one update uses; null where the optimizer has no such term. */
interface Constants {
  readonly lr: tf.Scalar;
  readonly momentum: tf.Scalar | null;
  readonly adam?: AdamConstants;
}

interface AdamConstants {
  readonly beta1: tf.Scalar;
  readonly beta2: tf.Scalar;
  readonly oneMinusBeta1: tf.Scalar;
  readonly oneMinusBeta2: tf.Scalar;
  readonly epsilon: tf.Scalar;
  /** 1 − β1ᵗ and 1 − β2ᵗ, the bias corrections at update t. */
  readonly correction1: tf.Scalar;
  readonly correction2: tf.Scalar;
  /** AdamW's λ; its presence also means "no bias correction". */
  readonly weightDecay: tf.Scalar | null;
}

export function createOptimizer(config: OptimizerConfig): Optimizer {
  checkConfig(config);
  // Optimizer state per parameter, made on first use: [m] for SGD momentum, [m, v] for Adam kinds.
  const slots = new Map<tf.Variable, tf.Variable[]>();
  const slotsOf = (param: tf.Variable, count: number): tf.Variable[] => {
    let s = slots.get(param);
    if (s === undefined) {
      s = Array.from({ length: count }, () => tf.tidy(() => tf.variable(tf.zerosLike(param), false)));
      slots.set(param, s);
    }
    return s;
  };
  let updates = 0;
  const slotNames = config.kind === 'sgd' ? (config.momentum === 0 ? [] : ['momentum']) : ['m', 'v'];

  const sgdStep = (p: tf.Variable, g: tf.Tensor, c: Constants): void => {
    if (c.momentum === null) {
      p.assign(p.sub(g.mul(c.lr)));
      return;
    }
    const [buf] = slotsOf(p, 1) as [tf.Variable];
    buf.assign(buf.mul(c.momentum).add(g));
    p.assign(p.sub(buf.mul(c.lr)));
  };

  const adamStep = (p: tf.Variable, g: tf.Tensor, info: ParamInfo, lr: tf.Scalar, c: AdamConstants): void => {
    const [m, v] = slotsOf(p, 2) as [tf.Variable, tf.Variable];
    const newM = m.mul(c.beta1).add(g.mul(c.oneMinusBeta1));
    const newV = v.mul(c.beta2).add(g.square().mul(c.oneMinusBeta2));
    if (c.weightDecay !== null) {
      // No bias correction, as BERT's optimizer; decay decoupled from the gradient.
      let step = newM.div(newV.sqrt().add(c.epsilon));
      if (decaysWeight(info)) step = step.add(p.mul(c.weightDecay));
      m.assign(newM);
      v.assign(newV);
      p.assign(p.sub(step.mul(lr)));
      return;
    }
    const mHat = newM.div(c.correction1);
    const vHat = newV.div(c.correction2);
    const step = mHat.div(vHat.sqrt().add(c.epsilon)).mul(lr);
    if (config.kind === 'lazyadam' && info.kind === 'embedding') {
      // Rows without gradient keep their m, v and value.
      const hasGradient = rowsWithGradient(g);
      m.assign(tf.where(hasGradient, newM, m));
      v.assign(tf.where(hasGradient, newV, v));
      p.assign(tf.where(hasGradient, p.sub(step), p));
      return;
    }
    m.assign(newM);
    v.assign(newV);
    p.assign(p.sub(step));
  };

  /**
   * The update's constants as scalar tensors, made once per update rather than once per use: for
   * each JS number an op is given, tfjs makes and uploads a scalar tensor, which cost about 1.2 ms
   * apiece on WebGPU across the parameters' shapes (measured on an H100 through Dawn), so Adam's
   * ~370 of them took ~600 ms a step.
   */
  const constants = (lr: number, t: number): Constants => {
    const lrTensor = tf.scalar(lr);
    if (config.kind === 'sgd') {
      return { lr: lrTensor, momentum: config.momentum === 0 ? null : tf.scalar(config.momentum) };
    }
    const { beta1, beta2, epsilon } = config;
    return {
      lr: lrTensor,
      momentum: null,
      adam: {
        beta1: tf.scalar(beta1),
        beta2: tf.scalar(beta2),
        oneMinusBeta1: tf.scalar(1 - beta1),
        oneMinusBeta2: tf.scalar(1 - beta2),
        epsilon: tf.scalar(epsilon),
        correction1: tf.scalar(1 - beta1 ** t),
        correction2: tf.scalar(1 - beta2 ** t),
        weightDecay: config.kind === 'adamw' ? tf.scalar(config.weightDecay) : null,
      },
    };
  };

  return {
    config,
    get updates() {
      return updates;
    },
    apply(params, grads, infos, lr) {
      if (params.length !== grads.length || params.length !== infos.length) {
        throw new RangeError(
          `${params.length} parameters, ${grads.length} gradients, ${infos.length} descriptions.`,
        );
      }
      const t = updates + 1;
      tf.tidy(() => {
        const c = constants(lr, t);
        params.forEach((p, i) => {
          const g = grads[i]!;
          if (c.adam === undefined) sgdStep(p, g, c);
          else adamStep(p, g, infos[i]!, c.lr, c.adam);
        });
      });
      updates = t;
    },
    stateVariables(params) {
      const count = slotNames.length;
      return count === 0 ? [] : params.flatMap((p) => slotsOf(p, count));
    },
    slotNames,
    setUpdates(t) {
      if (!Number.isInteger(t) || t < 0)
        throw new RangeError(`The update count must be a whole number, not ${t}.`);
      updates = t;
    },
    dispose() {
      for (const s of slots.values()) for (const variable of s) variable.dispose();
      slots.clear();
    },
  };
}
