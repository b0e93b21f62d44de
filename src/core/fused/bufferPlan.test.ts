import { describe, expect, it } from 'vitest';
import { bertTinyConfig, microConfig } from '../model/config';
import { checkBufferLimits, fusedBufferPlan, type BufferLimits } from './bufferPlan';
import { FusedStepError } from './errors';
import { flatLayout } from './layout';
import { batchShape } from './stepBuffers';

/** Chromium's SwiftShader adapter on this machine (and the device tfjs-backend-webgpu asks for). */
const SWIFTSHADER: BufferLimits = { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 };
/** WebGPU's default limits, what a device gets unless it asks for more. */
const DEFAULTS: BufferLimits = { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 };

const tiny = bertTinyConfig();
// The engine's masking: round(0.15 · T) predictions per sequence (src/engine/session.ts).
const tiny64x512 = batchShape(64, 512, Math.round(0.15 * 512));
const plan = (config = tiny, shape = tiny64x512, slots = 2) =>
  fusedBufferPlan(config, flatLayout(config), slots, shape);
const bytesOf = (label: string, p = plan()) => p.find((b) => b.label === label)!.bytes;

function limitsError(run: () => void): FusedStepError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FusedStepError);
    return error as FusedStepError;
  }
  throw new Error('no error');
}

describe('the fused step sizes every buffer for what it holds', () => {
  it('sizes the MLM logits for the M masked rows, not all N = B·T positions', () => {
    const M = 64 * 77;
    expect(tiny64x512.maxMasked).toBe(M);
    // [M, V] floats: 4,928 × 30,522 × 4 bytes = 601.6 MB (all N = 32,768 rows were 4.0 GB).
    expect(bytesOf('logits')).toBe(M * 30522 * 4);
    expect(bytesOf('logits')).toBe(601_649_664);
    expect((64 * 512 * 30522 * 4) / bytesOf('logits')).toBeCloseTo(512 / 77, 6);
  });

  it('sizes the other MLM rows and the predictions by M too', () => {
    const M = tiny64x512.maxMasked;
    for (const label of [
      'mGathered',
      'mPre',
      'mAct',
      'mXhat',
      'mOut',
      'dmOut',
      'dmAct',
      'dmPre',
      'dmGathered',
    ]) {
      expect(bytesOf(label), label).toBe(M * 128 * 4);
    }
    expect(bytesOf('mRstd')).toBe(M * 4);
    expect(bytesOf('preds')).toBe((M + 64) * 4);
  });

  it('keeps one element for a buffer an option leaves unused (SGD has no second moment)', () => {
    expect(bytesOf('slot2', plan(tiny, tiny64x512, 0))).toBe(4);
    expect(bytesOf('slot2', plan(tiny, tiny64x512, 2))).toBe(bytesOf('params'));
  });

  it('fits bert-tiny at 64 × 512 on the SwiftShader adapter, whose limits the old N·V logits broke', () => {
    expect(() => checkBufferLimits(plan(), SWIFTSHADER, tiny64x512)).not.toThrow();
    const largest = Math.max(...plan().map((b) => b.bytes));
    expect(largest).toBe(bytesOf('logits'));
    expect(64 * 512 * 30522 * 4).toBeGreaterThan(SWIFTSHADER.maxStorageBufferBindingSize);
  });
});

describe('the buffers are checked against the device limits before any is made', () => {
  it('names the buffer, its size, the limit and what to change when one is too large', () => {
    const error = limitsError(() => checkBufferLimits(plan(), DEFAULTS, tiny64x512));
    expect(error.kind).toBe('limits');
    expect(error.weightsKept).toBe(true);
    // The largest buffer over 128 MiB is the logits; the attention probabilities are exactly
    // 128 MiB (64 · 2 · 512 · 512 floats), which fits.
    expect(bytesOf('l0.probs')).toBe(DEFAULTS.maxStorageBufferBindingSize);
    expect(error.message).toContain('601.6 MB buffer "logits" (601649664 bytes)');
    expect(error.message).toContain('maxStorageBufferBindingSize of 134.2 MB (134217728 bytes)');
    expect(error.message).toContain('a smaller batch size or sequence length (now 64 × 512');
  });

  it('checks a bound buffer against both limits and the staging buffer against maxBufferSize only', () => {
    const shape = batchShape(8, 64, 10);
    const p = plan(tiny, shape);
    const bound = p.filter((b) => b.bound);
    const largest = Math.max(...bound.map((b) => b.bytes));
    const roomy = 2 ** 31;
    expect(() =>
      checkBufferLimits(bound, { maxStorageBufferBindingSize: largest, maxBufferSize: roomy }, shape),
    ).not.toThrow();
    const binding = limitsError(() =>
      checkBufferLimits(bound, { maxStorageBufferBindingSize: largest - 4, maxBufferSize: roomy }, shape),
    );
    expect(binding.message).toContain('maxStorageBufferBindingSize');
    const buffer = limitsError(() =>
      checkBufferLimits(bound, { maxStorageBufferBindingSize: roomy, maxBufferSize: largest - 4 }, shape),
    );
    expect(buffer.message).toContain('maxBufferSize');
    // The report's staging buffer is mapped, never bound: a binding limit below it does not matter.
    const staging = p.filter((b) => b.label === 'report staging');
    const size = staging[0]!.bytes;
    expect(() =>
      checkBufferLimits(staging, { maxStorageBufferBindingSize: 4, maxBufferSize: size }, shape),
    ).not.toThrow();
    const e = limitsError(() =>
      checkBufferLimits(staging, { maxStorageBufferBindingSize: roomy, maxBufferSize: size - 4 }, shape),
    );
    expect(e.message).toContain('"report staging"');
  });

  it('says a model-sized buffer needs a smaller model, not a smaller batch', () => {
    const shape = batchShape(1, 8, 1);
    const e = limitsError(() =>
      checkBufferLimits(plan(tiny, shape), { maxStorageBufferBindingSize: 1e6, maxBufferSize: 1e6 }, shape),
    );
    expect(e.message).toContain('"params"');
    expect(e.message).toContain('a smaller model');
  });

  it('passes the micro model at the engine default shape under WebGPU default limits', () => {
    const micro = microConfig(400);
    const shape = batchShape(8, 32, 5);
    expect(() => checkBufferLimits(plan(micro, shape), DEFAULTS, shape)).not.toThrow();
  });
});
