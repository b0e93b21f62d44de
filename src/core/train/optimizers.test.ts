import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamInfo } from '../model/params';
import { createOptimizer, decaysWeight, defaultOptimizerConfig, type OptimizerConfig } from './optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const table: ParamInfo = { name: 'embeddings.token', kind: 'embedding', shape: [3, 2] };
const weight: ParamInfo = { name: 'layers.0.query.kernel', kind: 'weight', shape: [2, 2] };
const bias: ParamInfo = { name: 'layers.0.query.bias', kind: 'bias', shape: [2] };
const gamma: ParamInfo = { name: 'embeddings.norm.gamma', kind: 'normGamma', shape: [2] };

/** Runs `grads.length` updates of one parameter and returns its values after each. */
function run(
  config: OptimizerConfig,
  info: ParamInfo,
  start: number[],
  grads: number[][],
  lr = 0.1,
): number[][] {
  const optimizer = createOptimizer(config);
  const p = tf.variable(tf.tensor(start, [...info.shape]));
  const after: number[][] = [];
  for (const g of grads) {
    const grad = tf.tensor(g, [...info.shape]);
    optimizer.apply([p], [grad], [info], lr);
    grad.dispose();
    after.push(Array.from(p.dataSync()));
  }
  optimizer.dispose();
  p.dispose();
  return after;
}

/** Equal within float32 rounding of values near 1. */
const close = (got: number[], want: number[]): void =>
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));

describe('optimizers', () => {
  it('SGD steps against the gradient, and with momentum accumulates it', () => {
    close(run(defaultOptimizerConfig('sgd'), bias, [1, 2], [[0.5, -1]])[0]!, [0.95, 2.1]);
    const [first, second] = run(
      { kind: 'sgd', momentum: 0.9 },
      bias,
      [0, 0],
      [
        [1, 1],
        [1, 1],
      ],
    );
    close(first!, [-0.1, -0.1]);
    close(second!, [-0.1 - 0.1 * 1.9, -0.1 - 0.1 * 1.9]); // buf = 0.9·1 + 1
  });

  it('Adam (bias-corrected) first moves each entry by about the learning rate, whatever the gradient size', () => {
    // m̂ = g and v̂ = g², so the step is lr · g / (|g| + 1e-6).
    const step = (g: number): number => (-0.1 * g) / (Math.abs(g) + 1e-6);
    close(run(defaultOptimizerConfig('adam'), bias, [0, 0], [[0.001, -50]])[0]!, [step(0.001), step(-50)]);
    expect(step(0.001)).toBeCloseTo(-0.1, 3);
  });

  it('Adam keeps moving an entry whose gradient became zero: its m decays but is not zero', () => {
    const [first, second] = run(
      defaultOptimizerConfig('adam'),
      bias,
      [0, 0],
      [
        [1, 0],
        [0, 0],
      ],
    );
    expect(second![0]).toBeLessThan(first![0]!);
    expect(second![1]).toBe(0);
  });

  it('AdamW has the constants of BERT’s optimization.py: β1 0.9, β2 0.999, ε 1e-6, weight decay 0.01', () => {
    expect(defaultOptimizerConfig('adamw')).toEqual({
      kind: 'adamw',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-6,
      weightDecay: 0.01,
    });
  });

  it('AdamW decays weights and embedding tables but not LayerNorm γ/β or biases', () => {
    const zero = [[0, 0, 0, 0]];
    // With no gradient, m = v = 0 and the whole step is the decay: θ -= lr · 0.01 · θ.
    close(run(defaultOptimizerConfig('adamw'), weight, [1, -2, 3, 0], zero)[0]!, [0.999, -1.998, 2.997, 0]);
    expect(run(defaultOptimizerConfig('adamw'), bias, [1, -2], [[0, 0]])[0]).toEqual([1, -2]);
    expect(run(defaultOptimizerConfig('adamw'), gamma, [1, 1], [[0, 0]])[0]).toEqual([1, 1]);
    expect([table, weight, bias, gamma].map(decaysWeight)).toEqual([true, true, false, false]);
  });

  it('AdamW, like BERT, has no bias correction: its first step is (1-β1)/√(1-β2) ≈ 3.16 times the rate', () => {
    const [first] = run(
      { ...defaultOptimizerConfig('adamw'), weightDecay: 0 } as OptimizerConfig,
      bias,
      [0, 0],
      [[2, -2]],
    );
    close(first!, [-0.1 * (0.1 / Math.sqrt(0.001)), 0.1 * (0.1 / Math.sqrt(0.001))]);
  });

  it('LazyAdam updates only the embedding rows that have a gradient, and is dense elsewhere', () => {
    const lazy = defaultOptimizerConfig('lazyadam');
    const [first, second] = run(
      lazy,
      table,
      [0, 0, 0, 0, 0, 0],
      [
        [1, 1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0],
      ],
    );
    close(first!, [-0.1, -0.1, 0, 0, 0, 0]);
    // Step 2: row 0 has no gradient and stays; row 1 has one (in one entry) and moves as a row.
    expect(second!.slice(0, 2)).toEqual(first!.slice(0, 2));
    expect(second![2]).toBeLessThan(0);
    expect(second!.slice(4)).toEqual([0, 0]);
    const [, dense] = run(
      lazy,
      bias,
      [0, 0],
      [
        [1, 1],
        [0, 0],
      ],
    );
    expect(dense![0]).toBeLessThan(-0.1);
  });

  it('counts its updates and releases its state', () => {
    const optimizer = createOptimizer(defaultOptimizerConfig('adam'));
    const p = tf.variable(tf.zeros([2]));
    const before = tf.memory().numTensors;
    const g = tf.ones([2]);
    optimizer.apply([p], [g], [bias], 0.1);
    optimizer.apply([p], [g], [bias], 0.1);
    expect(optimizer.updates).toBe(2);
    optimizer.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});

describe('optimizer state for snapshots', () => {
  it('lists m and v of every parameter in order, zeros before the first update, and restores t', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3]));
    const adam = createOptimizer(defaultOptimizerConfig('adam'));
    const state = adam.stateVariables([a, b]);
    expect(state.map((v) => v.shape)).toEqual([[2], [2], [1], [1]]);
    expect(Array.from(state[0]!.dataSync())).toEqual([0, 0]);
    expect(adam.stateVariables([a, b])).toEqual(state);
    adam.setUpdates(7);
    expect(adam.updates).toBe(7);
    expect(createOptimizer(defaultOptimizerConfig('sgd')).stateVariables([a, b])).toEqual([]);
    adam.dispose();
    tf.dispose([a, b]);
  });
});
