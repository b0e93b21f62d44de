/**
 * The tfjs backends the engine can run on, in order of preference: WebGPU, WebGL, WASM, CPU.
 * Each is probed for availability; WebGPU also reports its adapter, software or not.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKENDS, type AdapterInfo, type BackendName, type BackendStatus } from './trainProtocol';

// The .wasm binaries are bundled assets served from the page's own origin: no CDN.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

interface GpuAdapterLike {
  readonly info?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
}

async function webgpuAdapter(): Promise<AdapterInfo | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
}

/** Tries each backend once; tf.setBackend resolves false (or throws) when it cannot start. */
export async function probeBackends(): Promise<BackendStatus[]> {
  const statuses: BackendStatus[] = [];
  for (const name of BACKENDS) {
    try {
      const adapter = name === 'webgpu' ? await webgpuAdapter() : null;
      if (name === 'webgpu' && !adapter) {
        statuses.push({ name, available: false, reason: 'This browser offers no WebGPU adapter.' });
        continue;
      }
      const ok = await tf.setBackend(name);
      await tf.ready();
      statuses.push(
        ok
          ? { name, available: true, ...(adapter ? { adapter } : {}) }
          : { name, available: false, reason: `tfjs could not start the ${name} backend.` },
      );
    } catch (error) {
      statuses.push({
        name,
        available: false,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return statuses;
}

export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend is not available here.`);
  await tf.ready();
}

/**
 * Makes a lost WebGPU device fail loudly: tfjs keeps using a lost device, so the engine watches
 * `device.lost` and switches backend itself.
 */
export function onWebgpuDeviceLost(callback: (reason: string) => void): void {
  const backend = tf.findBackend('webgpu') as { device?: { lost?: Promise<{ message?: string }> } } | null;
  void backend?.device?.lost?.then((info) => callback(info.message || 'The WebGPU device was lost.'));
}
