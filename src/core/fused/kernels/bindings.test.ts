import { describe, expect, it } from 'vitest';
import { f32, u32 } from '../gpu';
import { declarations, type KernelSpec } from './bindings';

// Stand-ins: declarations only compares buffers by identity.
const params = { label: 'params' } as unknown as GPUBuffer;
const grads = { label: 'grads' } as unknown as GPUBuffer;

const spec: KernelSpec = {
  label: 'test',
  fields: [
    ['rows', u32(3)],
    ['eps', f32(1e-12)],
  ],
  tensors: [
    { name: 'gamma', view: { buffer: params, offset: 64 } },
    { name: 'dGamma', view: { buffer: grads, offset: 64 }, written: true },
    { name: 'dBeta', view: { buffer: grads, offset: 128 }, written: true },
    { name: 'beta', view: { buffer: params, offset: 128 } },
  ],
  body: '',
  groups: [1],
};

describe('declarations', () => {
  it('binds each distinct buffer once, read_write when any tensor in it is written', () => {
    const { code, buffers } = declarations(spec);
    expect(buffers).toEqual([params, grads]);
    expect(code).toContain('@group(0) @binding(1) var<storage, read> buf0: array<u32>;');
    expect(code).toContain('@group(0) @binding(2) var<storage, read_write> buf1: array<u32>;');
    expect(code).not.toContain('@binding(3)');
  });

  it('gives every tensor accessors at its own offset word, and setters only to written ones', () => {
    const { code } = declarations(spec);
    expect(code).toContain(
      'struct U { rows: u32, eps: f32, o_gamma: u32, o_dGamma: u32, o_dBeta: u32, o_beta: u32 }',
    );
    expect(code).toContain('fn dBeta_set(i: u32, v: f32) { buf1[u.o_dBeta + i] = bitcast<u32>(v); }');
    expect(code).toContain('fn beta_f(i: u32) -> f32 { return bitcast<f32>(buf0[u.o_beta + i]); }');
    expect(code).not.toContain('fn beta_set');
  });

  it('refuses more than 8 distinct storage buffers', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({
      name: `t${i}`,
      view: { buffer: { i } as unknown as GPUBuffer, offset: 0 },
    }));
    expect(() => declarations({ ...spec, tensors: many })).toThrow(/9 storage buffers/);
  });
});
