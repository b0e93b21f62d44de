/**
 * Each kernel variant's WGSL is generated (and checked, and compiled) once per shape key, not per
 * dispatch: two whole recorded steps of a small model on a device that only counts, the second
 * generating no source at all. Before the cache, every dispatch of every step built its source.
 */
import { describe, expect, it } from 'vitest';
import { microConfig } from '../model/config';
import { defaultOptimizerConfig } from '../train/optimizers';
import type { PretrainingBatch } from '../train/pretraining-data';
import { makeTrainerCore, recordStep } from './recordStep';
import { batchShape } from './stepBuffers';

/** A GPUDevice that makes inert objects and counts shader modules and dispatches. */
function countingDevice() {
  const counts = { modules: 0, dispatches: 0 };
  const pass = {
    setPipeline() {},
    setBindGroup() {},
    dispatchWorkgroups: () => void counts.dispatches++,
    end() {},
  };
  const device = {
    limits: {
      maxComputeWorkgroupsPerDimension: 65535,
      maxStorageBufferBindingSize: 2 ** 27,
      maxBufferSize: 2 ** 28,
    },
    createBuffer: (d: { label?: string; size: number }) => ({
      label: d.label ?? '',
      size: d.size,
      destroy() {},
    }),
    createShaderModule: ({ code }: { code: string }) => (counts.modules++, { code }),
    createComputePipeline: () => ({ getBindGroupLayout: () => ({}) }),
    createBindGroup: () => ({}),
    createCommandEncoder: () => ({
      beginComputePass: () => pass,
      clearBuffer() {},
      copyBufferToBuffer() {},
      finish: () => ({}),
    }),
    queue: { writeBuffer() {}, submit() {} },
    pushErrorScope() {},
    popErrorScope: () => Promise.resolve(null),
  } as unknown as GPUDevice;
  return { device, counts };
}

/** B = 2 sequences of T = 8 slots, 2 masked tokens each. */
function batch(): PretrainingBatch {
  const ids = Int32Array.from({ length: 16 }, (_, i) => 5 + (i % 7));
  return {
    batchSize: 2,
    seqLength: 8,
    inputIds: ids,
    tokenTypeIds: Int32Array.from({ length: 16 }, (_, i) => (i % 8 >= 4 ? 1 : 0)),
    attentionMask: new Int32Array(16).fill(1),
    maskedSlots: Int32Array.from([1, 3, 9, 12]),
    maskedLabels: Int32Array.from([6, 7, 8, 9]),
    isNext: [true, false],
  } as unknown as PretrainingBatch;
}

describe('the fused step builds each kernel variant once', () => {
  it('generates every WGSL source in the first step and none in the second', async () => {
    const { device, counts } = countingDevice();
    const config = microConfig(40, { hiddenDropout: 0.1, attentionDropout: 0.1 });
    const optimizer = { config: defaultOptimizerConfig('adam'), slots: 2 };
    const core = await makeTrainerCore(device, config, optimizer, batchShape(2, 8, 2));
    const inputs = { lr: 1e-3, dropoutSeed: 7, clipNorm: 1, breakSubmission: false };
    const first = recordStep(core, batch(), { ...inputs, step: 1, t: 1 });
    const builtFirst = core.ctx.sourceBuilds;
    expect(builtFirst).toBeGreaterThan(0);
    // Far fewer sources than dispatches: a variant serves every layer and both passes.
    expect(builtFirst).toBeLessThan(first.dispatches);
    expect(counts.modules).toBe(builtFirst);

    const second = recordStep(core, batch(), { ...inputs, step: 2, t: 2 });
    expect(second.dispatches).toBe(first.dispatches);
    expect(core.ctx.sourceBuilds).toBe(builtFirst);
    expect(counts.modules).toBe(builtFirst);
    expect(counts.dispatches).toBe(2 * first.dispatches);
  });
});
