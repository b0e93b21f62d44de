/**
 * The tfjs backends the engine can run on, in order of preference: WebGPU, WebGL, WASM, CPU.
 * Each is probed for availability when first needed; WebGPU also reports its adapter and WebGL
 * its renderer, software or not.
 */
import { errorMessage } from '../core/errorMessage';
import * as tf from '@tensorflow/tfjs-core';
// What @tensorflow/tfjs adds to tfjs-core, and the model needs: chained ops (x.reshape(...)) and
// every op's gradient, for backpropagation.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type AdapterInfo, type BackendStatus } from './trainProtocol';
import { BACKENDS, type BackendName } from '../core/domain/settings';

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

/**
 * The GPU backends are loaded when they are first probed, which is after the first numbers: their
 * scripts are most of tfjs's size (WebGL and WebGPU together about half the Worker's bundle), and
 * the engine starts on wasm without them. cpu and wasm register when this module loads.
 */
const LOADERS: Partial<Record<BackendName, () => Promise<unknown>>> = {
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
};

/** Names that browsers give a software rasterizer behind WebGL. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe/i;

/** The renderer behind a WebGL2 context, unmasked where the browser allows it. */
function rendererOf(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

/** WebGL2's renderer from a throwaway context, without tfjs; null where no context can be made. */
function offscreenRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return null;
  const renderer = rendererOf(gl);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

/**
 * Whether one backend can run here; WebGPU also reports its adapter and WebGL its renderer,
 * software or not. A GPU backend on a software rasterizer is never raced, so it is only looked at
 * (the adapter's or the context's own report), not started: tfjs's module for it loads, and its
 * device is made, when it is picked (useBackend). Every other backend is started with tfjs
 * (tf.setBackend resolves false, or throws, when it cannot), which leaves tfjs on `name`: the
 * caller switches back.
 */
export async function probeBackend(name: BackendName): Promise<BackendStatus> {
  try {
    const adapter = name === 'webgpu' ? await webgpuAdapter() : null;
    if (name === 'webgpu' && !adapter)
      return { name, available: false, reason: 'This browser offers no WebGPU adapter.' };
    if (adapter?.isFallbackAdapter) return { name, available: true, adapter };
    if (name === 'webgl') {
      const renderer = offscreenRenderer();
      if (renderer !== null && SOFTWARE_RENDERER.test(renderer))
        return { name, available: true, renderer, softwareRenderer: true };
    }
    await LOADERS[name]?.();
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok) return { name, available: false, reason: `tfjs could not start the ${name} backend.` };
    if (name === 'webgl') {
      const gl = (tf.backend() as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
      const renderer = gl ? rendererOf(gl) : '';
      return { name, available: true, renderer, softwareRenderer: SOFTWARE_RENDERER.test(renderer) };
    }
    return { name, available: true, ...(adapter ? { adapter } : {}) };
  } catch (error) {
    return { name, available: false, reason: errorMessage(error) };
  }
}

/** Every backend, not probed yet. */
export const unprobedBackends = (): BackendStatus[] =>
  BACKENDS.map((name) => ({ name, available: false, pending: true, reason: 'Not checked yet.' }));

/** Puts tfjs on `name`, loading its module first if nobody has. */
export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  await LOADERS[name]?.();
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
