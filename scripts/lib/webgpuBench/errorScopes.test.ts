import { describe, expect, it } from 'vitest';
import { withErrorScopes, type ScopedDevice } from './errorScopes';

/** A device whose scopes catch the errors `raise` reports while they are open, as WebGPU's do. */
function fakeDevice() {
  const stack: { filter: GPUErrorFilter; error: GPUError | null }[] = [];
  const device: ScopedDevice = {
    pushErrorScope: (filter) => void stack.push({ filter, error: null }),
    popErrorScope: () => {
      const scope = stack.pop();
      if (scope === undefined) return Promise.reject(new Error('pop without push'));
      return Promise.resolve(scope.error);
    },
  };
  /** The innermost open scope of that filter takes the error (first one only). */
  const raise = (filter: GPUErrorFilter, message: string) => {
    const scope = [...stack].reverse().find((s) => s.filter === filter);
    if (scope && scope.error === null) scope.error = { message } as GPUError;
  };
  return { device, raise, open: () => stack.length };
}

describe('withErrorScopes', () => {
  it('returns what the work returns when the GPU reports nothing, and closes every scope', async () => {
    const { device, open } = fakeDevice();
    await expect(withErrorScopes(device, async () => 42)).resolves.toBe(42);
    expect(open()).toBe(0);
  });

  it('throws a validation error raised during the work, which would otherwise only be logged', async () => {
    const { device, raise, open } = fakeDevice();
    const work = async () => {
      raise('validation', 'Binding size is too small');
      return 1;
    };
    await expect(withErrorScopes(device, work)).rejects.toThrow(
      'WebGPU validation error: Binding size is too small',
    );
    expect(open()).toBe(0);
  });

  it('prefers the GPU error over the error the work threw, and still closes every scope', async () => {
    const { device, raise, open } = fakeDevice();
    const work = async () => {
      raise('out-of-memory', 'no room');
      throw new Error('read back NaN');
    };
    await expect(withErrorScopes(device, work)).rejects.toThrow('WebGPU out-of-memory error: no room');
    expect(open()).toBe(0);
    await expect(withErrorScopes(device, () => Promise.reject(new Error('plain')))).rejects.toThrow('plain');
    expect(open()).toBe(0);
  });
});
