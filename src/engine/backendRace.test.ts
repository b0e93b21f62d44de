import { describe, expect, it } from 'vitest';
import { chooseBackend, raceCandidates } from './backendRace';
import type { BackendName, BackendStatus } from './trainProtocol';

const adapter = (isFallbackAdapter: boolean) => ({
  vendor: 'v',
  architecture: 'a',
  description: 'd',
  isFallbackAdapter,
});
const statuses = (gpu: 'hardware' | 'software' | 'none'): BackendStatus[] => [
  gpu === 'none'
    ? { name: 'webgpu', available: false, reason: 'no adapter' }
    : { name: 'webgpu', available: true, adapter: adapter(gpu === 'software') },
  { name: 'webgl', available: true },
  { name: 'wasm', available: true },
  { name: 'cpu', available: true },
];
const timings = (ms: Partial<Record<BackendName, number>>) => async (name: BackendName) => ms[name] ?? 1e9;

describe('the auto backend race', () => {
  it('lets a hardware GPU race instead of winning by default', async () => {
    expect(raceCandidates(statuses('hardware'))).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    const micro = await chooseBackend(
      'auto',
      statuses('hardware'),
      timings({ webgpu: 199, wasm: 20, webgl: 250 }),
    );
    expect(micro.name).toBe('wasm');
    expect(micro.measured.get('webgpu')).toBe(199);
    const tiny = await chooseBackend('auto', statuses('hardware'), timings({ webgpu: 247, wasm: 414 }));
    expect(tiny.name).toBe('webgpu');
  });

  it('leaves a software WebGPU adapter out of the race, and unavailable backends too', async () => {
    expect(raceCandidates(statuses('software'))).toEqual(['webgl', 'wasm', 'cpu']);
    expect(raceCandidates(statuses('none'))).toEqual(['webgl', 'wasm', 'cpu']);
    const timed: BackendName[] = [];
    const progress: string[] = [];
    const result = await chooseBackend(
      'auto',
      statuses('software'),
      async (name) => {
        timed.push(name);
        return name === 'webgl' ? 5 : 50;
      },
      (name, i, count) => progress.push(`${name} ${i + 1}/${count}`),
    );
    expect(result.name).toBe('webgl');
    expect(timed).toEqual(['webgl', 'wasm', 'cpu']);
    expect(progress).toEqual(['webgl 1/3', 'wasm 2/3', 'cpu 3/3']);
  });

  it('runs a backend asked for by name without timing, and refuses one that is not there', async () => {
    const none = async (): Promise<number> => {
      throw new Error('should not time');
    };
    await expect(chooseBackend('webgpu', statuses('software'), none)).resolves.toMatchObject({
      name: 'webgpu',
    });
    await expect(chooseBackend('webgpu', statuses('none'), none)).rejects.toThrow('not available');
  });
});
