import { describe, expect, it } from 'vitest';
import type { View } from '../gpu';
import { bindOperands } from './bind';

/** Stand-ins for GPUBuffers: bindOperands only compares them by identity. */
const buffer = (label: string) => ({ label }) as unknown as GPUBuffer;
const at = (b: GPUBuffer, offset: number): View => ({ buffer: b, offset });

describe('bindOperands', () => {
  it('binds each distinct buffer once, in order of first use, starting at binding 1', () => {
    const params = buffer('params');
    const acts = buffer('acts');
    const { buffers, ref, declarations } = bindOperands([
      { name: 'a', view: at(acts, 0), write: false },
      { name: 'gamma', view: at(params, 64), write: false },
      { name: 'beta', view: at(params, 128), write: false },
    ]);
    expect(buffers).toEqual([acts, params]);
    expect(ref).toEqual({ a: 'buf1', gamma: 'buf2', beta: 'buf2' });
    expect(declarations.split('\n')).toEqual([
      '@group(0) @binding(1) var<storage, read> buf1: array<f32>;',
      '@group(0) @binding(2) var<storage, read> buf2: array<f32>;',
    ]);
  });

  it('makes a shared buffer read_write when any operand in it is written (WebGPU forbids binding it twice)', () => {
    const acts = buffer('acts');
    const { buffers, ref, declarations } = bindOperands([
      { name: 'x', view: at(acts, 0), write: false },
      { name: 'out', view: at(acts, 4096), write: true },
    ]);
    expect(buffers).toEqual([acts]);
    expect(ref).toEqual({ x: 'buf1', out: 'buf1' });
    expect(declarations).toBe('@group(0) @binding(1) var<storage, read_write> buf1: array<f32>;');
  });

  it('rejects operands of different element types in one buffer, and more than 8 buffers', () => {
    const b = buffer('b');
    expect(() =>
      bindOperands([
        { name: 'ids', view: at(b, 0), write: false, type: 'i32' },
        { name: 'x', view: at(b, 8), write: false },
      ]),
    ).toThrow(TypeError);
    const nine = Array.from({ length: 9 }, (_, i) => ({
      name: `x${i}`,
      view: at(buffer(`${i}`), 0),
      write: false,
    }));
    expect(() => bindOperands(nine)).toThrow(RangeError);
  });
});
