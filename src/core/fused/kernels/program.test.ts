import { describe, expect, it } from 'vitest';
import { f32, u32, view } from '../gpu';
import { dropoutUniforms, program } from './program';

/** program() only compares buffers by identity: plain objects stand in for GPUBuffers in Node. */
const buffer = (label: string) => ({ label }) as unknown as GPUBuffer;

describe('program', () => {
  it('binds each distinct buffer once, in order of first use, read_write when any view of it is written', () => {
    const grads = buffer('grads');
    const params = buffer('params');
    const p = program(
      {
        kernel: view(params, 0),
        dKernel: { view: view(grads, 0), write: true },
        bias: view(params, 64),
        dBias: { view: view(grads, 64), write: true },
      },
      {},
      'fn main() { dKernel_put(0u, kernel(0u)); dBias_put(0u, bias(0u)); }',
    );
    expect(p.buffers).toEqual([params, grads]);
    expect(p.code).toContain('@binding(1) var<storage, read> b0: array<f32>;');
    expect(p.code).toContain('@binding(2) var<storage, read_write> b1: array<f32>;');
    expect(p.code).not.toContain('@binding(3)');
    expect(p.code).toContain('fn bias(i: u32) -> f32 { return b0[u.bias_off + i]; }');
    expect(p.code).toContain('fn dBias_put(i: u32, v: f32) { b1[u.dBias_off + i] = v; }');
    expect(p.code).not.toContain('fn bias_put');
  });

  it('makes a buffer read_write when one view writes it, even if another view only reads it', () => {
    const acts = buffer('acts');
    const p = program(
      { x: view(acts, 0), out: { view: view(acts, 4096), write: true } },
      {},
      'fn main() { out_put(0u, x(0u)); }',
    );
    expect(p.buffers).toEqual([acts]);
    expect(p.code).toContain('@binding(1) var<storage, read_write> b0: array<f32>;');
    expect(p.code).toContain('fn x(i: u32) -> f32 { return b0[u.x_off + i]; }');
  });

  it('puts every view offset, then the uniforms, in the struct and in the words, leaving out absent views', () => {
    const scratch = buffer('scratch');
    const p = program(
      { losses: view(scratch, 8), extra: undefined, stats: { view: view(scratch, 4), write: true } },
      { n: u32(3), clip: f32(0.5) },
      'fn main() { stats_put(0u, losses(0u)); }',
    );
    expect(p.code).toContain('struct U { losses_off: u32, stats_off: u32, n: u32, clip: f32 }');
    expect(p.words).toEqual([u32(8), u32(4), u32(3), f32(0.5)]);
  });

  it('stores a buffer whose views disagree on the type as u32 bits, with bitcasting accessors', () => {
    const scratch = buffer('scratch');
    const p = program(
      {
        labels: { view: view(scratch, 0), type: 'i32' },
        loss: { view: view(scratch, 16), write: true },
      },
      {},
      'fn main() { loss_put(0u, f32(labels(0u))); }',
    );
    expect(p.buffers).toEqual([scratch]);
    expect(p.code).toContain('@binding(1) var<storage, read_write> b0: array<u32>;');
    expect(p.code).toContain('fn labels(i: u32) -> i32 { return bitcast<i32>(b0[u.labels_off + i]); }');
    expect(p.code).toContain('fn loss_put(i: u32, v: f32) { b0[u.loss_off + i] = bitcast<u32>(v); }');
  });

  it('refuses what WebGPU would reject or a shadowed accessor would break', () => {
    const b = buffer('b');
    expect(() => program({ x: view(b) }, {}, 'fn main() {}')).toThrow(/never uses x/);
    expect(() => program({ x: view(b) }, {}, 'fn main() { let x = 1u; x(0u); }')).toThrow(/shadows/);
    expect(() => program({ X: view(b) }, {}, 'fn main() { X(0u); }')).toThrow(/Bad view name/);
    expect(() => program({ n: view(b) }, { n_off: u32(0) }, 'fn main() { n(0u); }')).toThrow(/twice/);
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, k) => [`a${k}`, view(buffer(`${k}`))]));
    const body = Object.keys(nine)
      .map((n) => `${n}(0u);`)
      .join(' ');
    expect(() => program(nine, {}, body)).toThrow(/9 storage buffers/);
  });
});

describe('dropoutUniforms', () => {
  it('passes the dropout key, and zeros (rate 0: keep everything) without dropout', () => {
    expect(dropoutUniforms({ seed: 7, step: 3, site: 2, rate: 0.1 })).toEqual({
      seed: u32(7),
      step: u32(3),
      site: u32(2),
      rate: f32(0.1),
    });
    expect(Object.values(dropoutUniforms(undefined)).map((w) => w.value)).toEqual([0, 0, 0, 0]);
  });
});
