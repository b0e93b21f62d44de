import { describe, expect, it } from 'vitest';
import { view } from '../gpu';
import { program } from './program';

/** program() only compares buffers by identity: plain objects stand in for GPUBuffers in Node. */
const buffer = (label: string) => ({ label }) as unknown as GPUBuffer;

describe('program', () => {
  it('binds two written views of one buffer once, read_write, each with its own offset', () => {
    const grads = buffer('grads');
    const params = buffer('params');
    const p = program(
      {
        kernel: view(params, 0),
        bias: view(params, 64),
        dKernel: { view: view(grads, 0), write: true },
        dBias: { view: view(grads, 64), write: true },
      },
      {},
      'fn main() { dKernel_put(0u, kernel(0u)); dBias_put(0u, bias(0u)); }',
    );
    expect(p.buffers).toEqual([params, grads]);
    expect(p.code).toContain('@binding(1) var<storage, read> b0: array<f32>;');
    expect(p.code).toContain('@binding(2) var<storage, read_write> b1: array<f32>;');
    expect(p.code).toContain('fn dBias_put(i: u32, v: f32) { b1[u.dBias_off + i] = v; }');
    expect(p.words.map((w) => w.value)).toEqual([0, 64, 0, 64]);
  });

  it('lets a read of a written buffer share its binding, and keeps types apart for reads only', () => {
    const scratch = buffer('scratch');
    const ints = buffer('ints');
    const p = program(
      {
        losses: view(scratch, 0),
        stats: { view: view(scratch, 4), write: true },
        labels: { view: view(ints, 0), type: 'i32' },
        bits: { view: view(ints, 8), type: 'u32' },
      },
      { n: { type: 'u32', value: 3 } },
      'fn main() { stats_put(0u, losses(0u) + f32(labels(0u)) + f32(bits(0u))); }',
    );
    expect(p.buffers).toEqual([scratch, ints, ints]);
    expect(p.code).toContain(
      'struct U { losses_off: u32, stats_off: u32, labels_off: u32, bits_off: u32, n: u32 }',
    );
  });

  it('refuses what WebGPU would reject: mixed types on a written buffer, unused or too many bindings', () => {
    const b = buffer('b');
    const mixed = { x: { view: view(b), write: true }, y: { view: view(b, 4), type: 'i32' as const } };
    expect(() => program(mixed, {}, 'fn main() { x_put(0u, f32(y(0u))); }')).toThrow(/i32 view/);
    expect(() => program({ x: view(b) }, {}, 'fn main() {}')).toThrow(/never uses x/);
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, k) => [`a${k}`, view(buffer(`${k}`))]));
    const body = Object.keys(nine)
      .map((n) => `${n}(0u);`)
      .join(' ');
    expect(() => program(nine, {}, body)).toThrow(/8/);
  });
});
