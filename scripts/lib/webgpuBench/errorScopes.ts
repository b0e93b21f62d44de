/** WebGPU error scopes around a piece of async work (the bench's first step of each path). */

/** The part of a GPUDevice this needs, so a test can hand it a fake. */
export type ScopedDevice = Pick<GPUDevice, 'pushErrorScope' | 'popErrorScope'>;

/**
 * Runs `run` inside validation, out-of-memory and internal error scopes, and throws the first
 * WebGPU error caught (before any error `run` threw itself: the GPU error is usually the cause).
 */
export async function withErrorScopes<T>(device: ScopedDevice, run: () => Promise<T>): Promise<T> {
  const filters: GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];
  for (const f of filters) device.pushErrorScope(f);
  const outcome = await run().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // Scopes pop in reverse order, and all of them, whatever `run` did.
  const caught: string[] = [];
  for (const f of [...filters].reverse()) {
    const error = await device.popErrorScope();
    if (error !== null) caught.push(`${f} error: ${error.message}`);
  }
  if (caught.length > 0) throw new Error(`WebGPU ${caught[0]}`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
