/**
 * What one fused step costs in WebGPU calls, counted at the API (GPUComputePassEncoder and
 * GPUQueue are wrapped before the step runs), and that 150 steps leave as many GPU buffers and
 * tf tensors alive as one (a per-step leak would show 149 times over; each step costs ~0.17 s on
 * the software adapter, so more steps only make the suite slower).
 */
import * as tf from '@tensorflow/tfjs';
import { bertTinyConfig, microConfig } from '../../model/config';
import { Rng } from '../../math/rng';
import { defaultOptimizerConfig } from '../../train/optimizers';
import { padBatch, type PretrainingBatch } from '../../train/pretraining-data';
import { createTrainState, disposeState } from '../../train/step';
import { batchShape } from '../stepBuffers';
import { createFusedTrainer } from '../trainer';
import { countBuffers, gpu, register, type CaseResult } from './harness';

/** A batch of B random [CLS] a [SEP] b [SEP] sequences of length T with ~15 % of slots masked. */
function randomBatch(seed: number, B: number, T: number, V: number): PretrainingBatch {
  const rng = new Rng(seed);
  return padBatch(
    Array.from({ length: B }, () => {
      const a = 1 + rng.int(T - 5);
      const b = T - 3 - a - rng.int(3); // some sequences end with [PAD]
      const ids = [2, ...Array.from({ length: a }, () => 5 + rng.int(V - 5)), 3];
      ids.push(...Array.from({ length: Math.max(1, b) }, () => 5 + rng.int(V - 5)), 3);
      const positions = [...new Set(Array.from({ length: Math.round(0.15 * T) }, () => 1 + rng.int(a)))].sort(
        (x, y) => x - y,
      );
      return {
        inputIds: ids,
        tokenTypeIds: ids.map((_, i): 0 | 1 => (i <= a + 1 ? 0 : 1)),
        maskedPositions: positions,
        maskedLabels: positions.map((p) => ids[p]!),
        maskedOutcomes: positions.map(() => 'mask' as const),
        isNext: rng.float() < 0.5,
      };
    }),
    T,
    0, // [PAD]
  );
}

/** Counts calls of `name` on `proto` while installed. */
function countCalls(proto: object, name: string): { count: number; restore(): void } {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  const counter = {
    count: 0,
    restore: () => {
      target[name] = original;
    },
  };
  target[name] = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

register({
  async 'bert-tiny 8×64: dispatches and submits per step'(): Promise<CaseResult[]> {
    const ctx = await gpu();
    const config = bertTinyConfig();
    const state = createTrainState(config, {
      optimizer: defaultOptimizerConfig('adamw'),
      schedule: { peakLearningRate: 1e-4, warmupSteps: 0, totalSteps: 100 },
      clipNorm: 1,
      seed: 1,
    });
    const trainer = await createFusedTrainer(state, ctx.device, batchShape(8, 64, Math.round(0.15 * 64)));
    try {
      // The first step: it loads the weights with writeBuffer (no submit) and compiles the pipelines.
      const dispatches = countCalls(GPUComputePassEncoder.prototype, 'dispatchWorkgroups');
      const submits = countCalls(GPUQueue.prototype, 'submit');
      const report = await trainer.step(randomBatch(2, 8, 64, config.vocabSize));
      dispatches.restore();
      submits.restore();
      return [
        { what: `dispatches in one step (${dispatches.count})`, error: dispatches.count, bound: 100 },
        { what: `submits in one step (${submits.count})`, error: submits.count, bound: 3 },
        {
          what: 'the recorder counted the same dispatches',
          error: Math.abs(trainer.lastCounts.dispatches - dispatches.count),
          bound: 0,
        },
        { what: 'the step was applied', error: report.nonFinite || report.step !== 1 ? 1 : 0, bound: 0 },
      ];
    } finally {
      trainer.dispose();
      disposeState(state);
    }
  },
  async '150 steps: flat GPU buffers and tensors'(): Promise<CaseResult[]> {
    const STEPS = 150;
    const ctx = await gpu();
    // A small model: on a software adapter a step costs about its dispatches, not its size.
    const config = microConfig(60, { hidden: 8, heads: 2, intermediate: 16, layers: 1, maxPositions: 16 });
    const state = createTrainState(config, {
      optimizer: defaultOptimizerConfig('adamw'),
      schedule: { peakLearningRate: 1e-3, warmupSteps: 0, totalSteps: 1000 },
      clipNorm: 1,
      seed: 1,
    });
    // Live buffers: created minus destroyed, counted at the device.
    const device = ctx.device;
    const buffers = countBuffers(device);
    const trainer = await createFusedTrainer(state, device, batchShape(2, 12, Math.round(0.15 * 12)));
    try {
      await trainer.step(randomBatch(0, 2, 12, 60));
      const after1 = { buffers: buffers.live(), tensors: tf.memory().numTensors };
      for (let s = 1; s < STEPS; s++) await trainer.step(randomBatch(s, 2, 12, 60));
      const afterAll = { buffers: buffers.live(), tensors: tf.memory().numTensors };
      return [
        {
          what: `live GPU buffers after ${STEPS} steps (${afterAll.buffers}) minus after 1 (${after1.buffers})`,
          error: afterAll.buffers - after1.buffers,
          bound: 0,
        },
        {
          what: `tensors after ${STEPS} steps (${afterAll.tensors}) minus after 1 (${after1.tensors})`,
          error: afterAll.tensors - after1.tensors,
          bound: 0,
        },
        { what: 'steps applied', error: STEPS - state.step, bound: 0 },
      ];
    } finally {
      buffers.restore();
      trainer.dispose();
      disposeState(state);
    }
  },
});
