/**
 * The Session's side of a failed fused step, in Node: the fused trainer is replaced by a stand-in
 * that trains with the composite step on the state's own variables (so "the buffers" and the
 * variables agree) and fails when told to, with the errors the real trainer throws. The limits
 * check runs the real createFusedTrainer against a device object that has only limits: it must
 * refuse before it touches the device.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FusedStepError } from '../core/fused/errors';
import type * as Trainer from '../core/fused/trainer';
import type { FusedTrainer } from '../core/fused/trainer';
import { trainStep, type PretrainingBatch, type TrainState } from '../core/train';
import { createSession } from './session';
import { corpus, corpusVocab } from './test/fixtures';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';

const fake = {
  failNext: null as FusedStepError | null,
  syncs: 0,
  disposed: 0,
  batches: [] as PretrainingBatch[],
};

vi.mock('../core/fused/trainer', async (importActual) => {
  const actual = await importActual<typeof Trainer>();
  return {
    ...actual,
    createFusedTrainer: async (...args: Parameters<typeof actual.createFusedTrainer>) => {
      const [state, device, shape] = args;
      if ('limits' in device) return actual.createFusedTrainer(...args);
      const current = state as () => TrainState;
      return {
        shape,
        async step(batch: PretrainingBatch) {
          fake.batches.push(batch);
          const failure = fake.failNext;
          fake.failNext = null;
          if (failure !== null) throw failure;
          return trainStep(current(), batch);
        },
        async syncToState() {
          fake.syncs++;
        },
        async loadFromState() {},
        breakNextStep() {},
        dispose() {
          fake.disposed++;
        },
      } as unknown as FusedTrainer;
    },
  };
});

const vocab = corpusVocab(400);
const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  preset: 'micro',
  backend: 'cpu',
  batchSize: 2,
  seqLength: 16,
  warmupSteps: 0,
};
const device = {} as GPUDevice;
const refused = () => new FusedStepError('validation', 'WebGPU refused fused step 3.', true);
const impossible = () => new FusedStepError('impossible-report', 'Fused step 3 cannot be true.', false);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  Object.assign(fake, { failNext: null, syncs: 0, disposed: 0, batches: [] });
});

async function losses(session: ReturnType<typeof createSession>, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await session.step()).loss.total);
  return out;
}

describe('a failed fused step', () => {
  it('is refused loudly, not counted, and its batch is trained next on the composite path, as if nothing failed', async () => {
    const reference = createSession(settings, vocab, corpus);
    const want = await losses(reference, 5);

    const session = createSession(settings, vocab, corpus);
    await session.useDevice(device);
    const first = await losses(session, 2);
    fake.failNext = refused();
    const error = await session.step().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FusedStepError);
    expect(error).toMatchObject({ kind: 'validation', weightsKept: true });
    expect((error as Error).message).toContain('weights and optimizer state of step 2 are kept');
    // Not counted: the step and update counters stay at the last good step.
    expect(session.state.step).toBe(2);
    expect(session.state.optimizer.updates).toBe(2);
    // Back on the composite path, the buffers synced into the variables once and released.
    expect(session.fused).toBe(false);
    expect(fake.syncs).toBe(1);
    expect(fake.disposed).toBe(1);
    expect(session.batchesDrawn).toBe(3);
    const rest = await losses(session, 3);
    expect(session.batchesDrawn).toBe(5);
    expect(session.state.step).toBe(5);
    // The same losses, bit for bit: the failed step's batch was trained next, none skipped.
    expect([...first, ...rest]).toEqual(want);
    reference.dispose();
    session.dispose();
  });

  it('after an impossible report, discards the buffers unread: weights kept only if nothing was unsynced', async () => {
    const session = createSession(settings, vocab, corpus);
    await session.useDevice(device);
    await session.step();
    fake.failNext = impossible();
    const stale = await session.step().catch((e: unknown) => e);
    expect(stale).toMatchObject({ kind: 'impossible-report', weightsKept: false });
    expect((stale as Error).message).toContain('restored from a snapshot');
    expect(fake.syncs).toBe(0);
    expect(session.fused).toBe(false);
    expect(session.state.step).toBe(1);

    // Straight after useDevice the variables are current: nothing is lost.
    await session.useDevice(device);
    fake.failNext = impossible();
    const fresh = await session.step().catch((e: unknown) => e);
    expect(fresh).toMatchObject({ kind: 'impossible-report', weightsKept: true });
    expect(fake.syncs).toBe(0);
    session.dispose();
  });

  it('passes any other error through unchanged, and stays on the fused path', async () => {
    const session = createSession(settings, vocab, corpus);
    await session.useDevice(device);
    fake.failNext = new Error('device lost') as FusedStepError;
    await expect(session.step()).rejects.toThrow('device lost');
    expect(session.fused).toBe(true);
    session.dispose();
  });
});

describe('buffers over the device limits', () => {
  it('make useDevice reject with kind "limits" before the device is touched; the composite path stays', async () => {
    const session = createSession(settings, vocab, corpus);
    const small = { limits: { maxStorageBufferBindingSize: 4096, maxBufferSize: 4096 } } as GPUDevice;
    const error = await session.useDevice(small).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FusedStepError);
    expect(error).toMatchObject({ kind: 'limits', weightsKept: true });
    expect((error as Error).message).toMatch(
      /needs a .* buffer ".+" .* over this device's maxStorageBufferBindingSize/,
    );
    expect(session.fused).toBe(false);
    expect((await session.step()).step).toBe(1);
    session.dispose();
  });

  it('follow the test-hooks cap on the limits', async () => {
    const session = createSession(settings, vocab, corpus);
    const roomy = { limits: { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 } } as GPUDevice;
    expect(session.injectFusedFault({ type: 'limit', bytes: 1024 })).toBe(true);
    await expect(session.useDevice(roomy)).rejects.toMatchObject({ kind: 'limits' });
    expect(session.fused).toBe(false);
    session.dispose();
  });
});
