import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamInfo } from '../../core/model/params';
import { createOptimizer, defaultOptimizerConfig, type OptimizerConfig } from '../../core/train/optimizers';
import { learningRate } from '../../core/train/pure';
import {
  ADAM_BETA2,
  ADAM_EPSILON,
  ADAMW_WEIGHT_DECAY,
  GELU_DIFFERENCE,
  GELU_TANH_MAX_GAP,
  googleLearningRate,
  optimizerDifference,
  scheduleDifference,
  tf1EffectiveEpsilon,
} from './googleDifferences';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const schedule = { peakLearningRate: 1e-3, warmupSteps: 10, totalSteps: 1000 };

/** One update of one parameter by the engine's own optimizer; returns θ_new − θ_old. */
function delta(config: OptimizerConfig, info: ParamInfo, start: number[], g: number[]): number[] {
  const optimizer = createOptimizer(config);
  const p = tf.variable(tf.tensor(start, [...info.shape]));
  const grad = tf.tensor(g, [...info.shape]);
  optimizer.apply([p], [grad], [info], 1);
  const after = Array.from(p.dataSync());
  grad.dispose();
  p.dispose();
  optimizer.dispose();
  return after.map((x, i) => x - start[i]!);
}

describe('the learning-rate line against Google’s optimization.py', () => {
  it('gives Google’s first update rate 0 and the lab’s step 1 peak/warmup', () => {
    expect(googleLearningRate(schedule, 1)).toBe(0);
    expect(learningRate(schedule, 1)).toBeCloseTo(1e-4, 12);
    // Google's update 10 runs at global_step 9, still in the warm-up; update 11 at the decay.
    expect(googleLearningRate(schedule, 10)).toBeCloseTo(9e-4, 12);
    expect(googleLearningRate(schedule, 11)).toBeCloseTo(1e-3 * (1 - 10 / 1000), 12);
    expect(googleLearningRate(schedule, 5000)).toBe(0);
  });

  it('says the engine’s step-1 rate and Google’s drop after the warm-up', () => {
    const line = scheduleDifference(schedule);
    expect(line).toContain('step 1 trains at 0.0001.');
    expect(line).toContain('its first update runs at 0,');
    expect(line).toContain('drops the rate to 0.00099 as the warm-up ends');
  });

  it('without warm-up, Google’s first update runs at the peak', () => {
    const line = scheduleDifference({ ...schedule, warmupSteps: 0 });
    expect(line).toContain('step 1 trains at 0.000999.');
    expect(line).toContain('first update runs at 0.001.');
    expect(line).not.toContain('warm-up ends');
  });
});

describe('the optimizer line against the engine’s optimizers', () => {
  const table: ParamInfo = { name: 'embeddings.segment', kind: 'embedding', shape: [2, 2] };
  const weight: ParamInfo = { name: 'layers.0.query.kernel', kind: 'weight', shape: [1, 2] };

  it('names the constants the engine uses', () => {
    for (const kind of ['adam', 'adamw', 'lazyadam'] as const) {
      const config = defaultOptimizerConfig(kind);
      if (config.kind === 'sgd') throw new Error('not an Adam kind');
      expect(config.epsilon).toBe(ADAM_EPSILON);
      expect(config.beta2).toBe(ADAM_BETA2);
      expect(optimizerDifference(kind)).toContain(`ε = ${ADAM_EPSILON.toExponential(0)}`);
    }
    const adamw = defaultOptimizerConfig('adamw');
    expect(adamw.kind === 'adamw' && adamw.weightDecay).toBe(ADAMW_WEIGHT_DECAY);
  });

  it('Adam places ε as PyTorch, m̂ / (√v̂ + ε), not as TF1’s ε̂', () => {
    // g = 1e-7, far below ε: at step 1 m̂ = g and √v̂ = |g|, so the step is g / (|g| + ε).
    const g = 1e-7;
    const [d] = delta(defaultOptimizerConfig('adam'), weight, [0, 0], [g, 0]);
    const pytorch = g / (g + ADAM_EPSILON);
    const tf1 = g / (g + tf1EffectiveEpsilon(ADAM_EPSILON, ADAM_BETA2, 1));
    expect(-d!).toBeCloseTo(pytorch, 4);
    expect(Math.abs(-d! - tf1)).toBeGreaterThan(0.05);
    expect(optimizerDifference('adam')).toContain('3.2e-5 at step 1');
  });

  it('AdamW has no bias correction and decays weights by λθ, as the line says', () => {
    // Step 1 without correction: m = 0.1·g, √v = √0.001·|g|, so m / √v = 0.1 / √0.001 ≈ 3.16.
    const [d0, d1] = delta(defaultOptimizerConfig('adamw'), weight, [0, 2], [1, 0]);
    expect(-d0!).toBeCloseTo(0.1 / (Math.sqrt(0.001) + ADAM_EPSILON), 3);
    expect(-d1!).toBeCloseTo(ADAMW_WEIGHT_DECAY * 2, 6);
    expect(optimizerDifference('adamw')).toContain('no bias correction');
  });

  it('LazyAdam is lazy on the segment table too: its row with zero gradient stays', () => {
    const d = delta(defaultOptimizerConfig('lazyadam'), table, [0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0]);
    expect(d[0]).not.toBe(0);
    expect(d.slice(2)).toEqual([0, 0]);
    expect(optimizerDifference('lazyadam')).toContain('token, segment and position');
  });
});

describe('the GELU line', () => {
  it('states the largest gap between the exact and the tanh GELU', () => {
    const x = tf.linspace(-8, 8, 160_001);
    const exact = x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5));
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    const approx = x.mul(tf.tanh(inner).add(1).mul(0.5));
    const gap = exact.sub(approx).abs().max().dataSync()[0]!;
    tf.dispose([x, exact, inner, approx]);
    expect(gap).toBeGreaterThan(GELU_TANH_MAX_GAP * 0.95);
    expect(gap).toBeLessThan(GELU_TANH_MAX_GAP * 1.05);
    expect(GELU_DIFFERENCE).toContain('4.7e-4');
  });
});
