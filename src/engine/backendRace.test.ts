import { describe, expect, it } from 'vitest';
import { DROP_FACTOR, raceCandidates, runRace, startBackend, type RaceTimer } from './backendRace';
import type { BackendStatus } from './trainProtocol';
import type { BackendName } from '../core/domain/settings';

const adapter = (isFallbackAdapter: boolean) => ({
  vendor: 'v',
  architecture: 'a',
  description: 'd',
  isFallbackAdapter,
});
const statuses = (
  gpu: 'hardware' | 'software' | 'none',
  options: { webgl?: 'hardware' | 'software'; wasm?: boolean } = {},
): BackendStatus[] => [
  gpu === 'none'
    ? { name: 'webgpu', available: false, reason: 'no adapter' }
    : { name: 'webgpu', available: true, adapter: adapter(gpu === 'software') },
  { name: 'webgl', available: true, softwareRenderer: options.webgl === 'software' },
  options.wasm === false
    ? { name: 'wasm', available: false, reason: 'no wasm' }
    : { name: 'wasm', available: true },
  { name: 'cpu', available: true },
];

/** A timer that replays given ms per step and records what it was asked. */
function fakeTimer(
  ms: Partial<Record<BackendName, number | readonly number[]>>,
  failing: BackendName[] = [],
) {
  const calls: string[] = [];
  const seen = new Map<BackendName, number>();
  const timer: RaceTimer = {
    warmUp: async (name) => {
      calls.push(`warm ${name}`);
      if (failing.includes(name)) throw new Error('its step gave an invalid report (loss 0).');
    },
    timeStep: async (name) => {
      calls.push(`time ${name}`);
      const i = seen.get(name) ?? 0;
      seen.set(name, i + 1);
      const m = ms[name] ?? 1e9;
      return typeof m === 'number' ? m : m[Math.min(i, m.length - 1)]!;
    },
    done: (name) => calls.push(`done ${name}`),
  };
  return { timer, calls };
}

describe('numbers first: where auto starts', () => {
  it('starts on wasm without timing anything, or on cpu where wasm cannot start', () => {
    expect(startBackend(statuses('hardware'))).toBe('wasm');
    expect(startBackend(statuses('none', { wasm: false }))).toBe('cpu');
  });
});

describe('the background race', () => {
  it('times only the backends that could beat the start: a hardware GPU and hardware WebGL', () => {
    expect(raceCandidates(statuses('hardware'), 'wasm')).toEqual(['wasm', 'webgpu', 'webgl']);
  });

  it('never times hopeless backends: cpu beside wasm, WebGPU or WebGL on a software rasterizer', () => {
    expect(raceCandidates(statuses('software', { webgl: 'software' }), 'wasm')).toEqual(['wasm']);
    expect(raceCandidates(statuses('none', { webgl: 'software' }), 'wasm')).toEqual(['wasm']);
    // Without wasm, cpu is the start and the baseline.
    expect(raceCandidates(statuses('none', { wasm: false }), 'cpu')).toEqual(['cpu', 'webgl']);
  });

  it('leaves out a backend not probed yet', () => {
    const pending: BackendStatus[] = [
      { name: 'webgpu', available: false, pending: true },
      { name: 'wasm', available: true },
    ];
    expect(raceCandidates(pending, 'wasm')).toEqual(['wasm']);
  });

  it('picks the fastest measured and frees every trial', async () => {
    const { timer, calls } = fakeTimer({ wasm: 110, webgpu: 9, webgl: 60 });
    const result = await runRace(['wasm', 'webgpu', 'webgl'], timer);
    expect(result?.name).toBe('webgpu');
    expect(result?.measured.get('wasm')).toBe(110);
    expect(calls.filter((c) => c.startsWith('done'))).toEqual(['done wasm', 'done webgpu', 'done webgl']);
  });

  it('drops a backend whose first timed step is several times slower than the best so far', async () => {
    const { timer, calls } = fakeTimer({ wasm: 100, webgl: DROP_FACTOR * 100 + 1 });
    const result = await runRace(['wasm', 'webgl'], timer);
    expect(result?.name).toBe('wasm');
    expect(result?.dropped).toEqual(['webgl']);
    expect(calls.filter((c) => c === 'time webgl')).toHaveLength(1);
    // Just under the factor it keeps timing.
    const close = fakeTimer({ wasm: 100, webgl: DROP_FACTOR * 100 - 1 });
    const kept = await runRace(['wasm', 'webgl'], close.timer);
    expect(kept?.dropped).toEqual([]);
    expect(close.calls.filter((c) => c === 'time webgl').length).toBeGreaterThan(1);
  });

  it('stops timing a backend once its steps pass the budget', async () => {
    const { timer, calls } = fakeTimer({ wasm: 600 });
    await runRace(['wasm'], timer);
    expect(calls.filter((c) => c === 'time wasm')).toHaveLength(2);
  });

  it('never accepts a backend whose trial step gave an invalid report, however fast', async () => {
    const { timer } = fakeTimer({ wasm: 100, webgpu: 1 }, ['webgpu']);
    const result = await runRace(['wasm', 'webgpu'], timer);
    expect(result?.name).toBe('wasm');
    expect(result?.failed.get('webgpu')).toMatch('invalid report');
    expect(result?.measured.has('webgpu')).toBe(false);
  });

  it('is called off between two steps when the run it was for has gone', async () => {
    let steps = 0;
    const { timer } = fakeTimer({ wasm: 100, webgpu: 1 });
    const counting: RaceTimer = { ...timer, timeStep: (name) => (steps++, timer.timeStep(name)) };
    const result = await runRace(['wasm', 'webgpu'], counting, { cancelled: () => steps >= 2 });
    expect(result).toBeNull();
    expect(steps).toBe(2);
  });
});
