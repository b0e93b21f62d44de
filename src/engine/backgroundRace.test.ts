import { describe, expect, it } from 'vitest';
import type { StepReport } from '../core/train/pure';
import { checkReport, probePending, raceInBackground, type BackgroundHost } from './backgroundRace';
import type { Session } from './session';
import type { BackendStatus } from './trainProtocol';
import type { BackendName } from '../core/domain/settings';
import { createWorkQueue } from './workQueue';

const report = (loss: number, nonFinite = false) =>
  ({ loss: { total: loss }, nonFinite }) as unknown as StepReport;

/** A host whose backends and trial sessions are stand-ins; it records what the engine would do. */
function fakeHost(statuses: BackendStatus[], lossOn: Partial<Record<BackendName, number>> = {}) {
  const log: string[] = [];
  let backends = statuses;
  let tf: BackendName = 'wasm';
  const said: (string | null)[] = [];
  const host: BackgroundHost = {
    queue: createWorkQueue(),
    stale: () => false,
    backends: () => backends,
    setStatus: (status) => {
      backends = backends.map((b) => (b.name === status.name ? status : b));
    },
    current: () => 'wasm',
    useBackend: async (name) => {
      tf = name;
    },
    probe: async (name) => {
      log.push(`probe ${name} (tf on ${tf})`);
      tf = name;
      return { name, available: true, ...(name === 'webgl' ? { softwareRenderer: false } : {}) };
    },
    newTrial: async (name) => {
      log.push(`trial ${name}`);
      return {
        step: async () => report(lossOn[name] ?? 5),
        dispose: () => log.push(`dispose ${name}`),
      } as unknown as Session;
    },
    say: (text) => said.push(text),
  };
  return { host, log, said, tfNow: () => tf };
}

describe('the background work after a start', () => {
  it('probes each backend not checked yet, back on the model’s backend after each, and then says nothing', async () => {
    const { host, log, said, tfNow } = fakeHost([
      { name: 'webgpu', available: false, pending: true },
      { name: 'webgl', available: false, pending: true },
      { name: 'wasm', available: true },
      { name: 'cpu', available: false, pending: true },
    ]);
    await probePending(host);
    expect(log).toEqual(['probe webgpu (tf on wasm)', 'probe webgl (tf on wasm)', 'probe cpu (tf on wasm)']);
    expect(tfNow()).toBe('wasm');
    expect(host.backends().every((b) => !b.pending && b.available)).toBe(true);
    expect(said.at(-1)).toBeNull();
  });

  it('races nothing when nothing could beat the backend in use', async () => {
    const { host, log } = fakeHost([
      { name: 'webgl', available: true, softwareRenderer: true },
      { name: 'wasm', available: true },
      { name: 'cpu', available: true },
    ]);
    expect(await raceInBackground(host)).toBeNull();
    expect(log).toEqual([]);
  });

  it('times a hardware WebGL against wasm on throwaway trials, disposes them and goes back to wasm', async () => {
    const { host, log, said, tfNow } = fakeHost([
      { name: 'webgl', available: true, softwareRenderer: false },
      { name: 'wasm', available: true },
    ]);
    const result = await raceInBackground(host);
    expect([...(result?.measured.keys() ?? [])]).toEqual(['wasm', 'webgl']);
    expect(log).toEqual(['trial wasm', 'dispose wasm', 'trial webgl', 'dispose webgl']);
    expect(tfNow()).toBe('wasm');
    expect(said.some((t) => t?.includes('Timing webgl'))).toBe(true);
    expect(said.at(-1)).toBeNull();
  });

  it('fails a backend whose trial reports an impossible loss, so it cannot win', async () => {
    const { host } = fakeHost(
      [
        { name: 'webgl', available: true, softwareRenderer: false },
        { name: 'wasm', available: true },
      ],
      { webgl: 0 },
    );
    const result = await raceInBackground(host);
    expect(result?.name).toBe('wasm');
    expect(result?.failed.get('webgl')).toMatch('invalid report');
  });

  it('accepts only reports that can be true', () => {
    expect(() => checkReport(report(2.5))).not.toThrow();
    for (const bad of [report(0), report(-1), report(NaN), report(2.5, true)])
      expect(() => checkReport(bad)).toThrow('invalid report');
  });
});
