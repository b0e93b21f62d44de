/**
 * Every kernel, in each of its variants, builds its module through program(): no view left unused
 * (WebGPU's layout 'auto' would drop its binding), no local shadowing an accessor, at most 8
 * buffers. Here all views live in two buffers, as the trainer's params/grads layout makes them,
 * so a buffer shared by a read and a written view is exercised too. The WGSL itself is compiled
 * and checked against tfjs by the browser suites (e2e/fused-*.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultOptimizerConfig } from '../../train/optimizers';
import { GpuContext, view, type Recorder, type View } from '../gpu';
import { attentionBackward, attentionForward } from './attention';
import { addInto, geluBackward } from './elementwise';
import { embeddingsBackward, embeddingsForward } from './embeddings';
import { gradNorm } from './gradNorm';
import { gatherRows, scatterAddRows, softmaxCrossEntropy } from './heads';
import { layerNormBackward, layerNormForward } from './layerNorm';
import { matmul } from './matmul';
import { nspForwardBackward } from './nsp';
import { optimizerStep } from './optimizer';
import { columnSum } from './reduce';
import { rowNorms } from './rowNorms';

interface Recorded {
  label: string;
  code: string;
  buffers: readonly GPUBuffer[];
}

/** A Recorder that keeps each dispatch's label, WGSL and buffers instead of encoding them. */
function fakeRecorder(): { rec: Recorder; log: Recorded[] } {
  const log: Recorded[] = [];
  const codeOf = new Map<object, string>();
  // A real GpuContext (its kernel cache included) over a device that only remembers the WGSL.
  const device = {
    limits: { maxComputeWorkgroupsPerDimension: 65535 },
    createShaderModule: ({ code }: { code: string }) => ({ code }),
    createComputePipeline: ({ compute }: { compute: { module: { code: string } } }) => {
      const p = {};
      codeOf.set(p, compute.module.code);
      return p;
    },
  } as unknown as GPUDevice;
  const ctx = new GpuContext(device);
  const rec = {
    ctx,
    dispatch: (label: string, pipeline: object, _w: unknown, buffers: readonly GPUBuffer[]) => {
      log.push({ label, code: codeOf.get(pipeline)!, buffers });
    },
  } as unknown as Recorder;
  return { rec, log };
}

const acts = { label: 'acts' } as unknown as GPUBuffer;
const params = { label: 'params' } as unknown as GPUBuffer;
let next = 0;
const a = (): View => view(acts, (next += 64));
const p = (): View => view(params, (next += 64));

describe('every fused kernel builds through program()', () => {
  it('records each variant with one binding per buffer', () => {
    const { rec, log } = fakeRecorder();
    const drop = { seed: 1, step: 2, site: 3, rate: 0.1 };
    const shape = { batch: 2, seq: 5, hidden: 8, heads: 2 };
    for (const flags of [{}, { transA: true, bias: p(), epilogue: 'gelu' as const, preActivation: a() }]) {
      matmul(rec, { a: a(), b: p(), c: a(), m: 9, n: 7, k: 5, ...flags });
    }
    matmul(rec, {
      a: a(),
      b: a(),
      c: p(),
      m: 9,
      n: 7,
      k: 5,
      transB: true,
      accumulate: true,
      geluGradOf: a(),
    });
    matmul(rec, { a: a(), b: p(), c: a(), m: 9, n: 7, k: 5, epilogue: 'gelu' });
    columnSum(rec, { x: a(), rows: 9, cols: 7, out: p(), accumulate: true });
    const ln = { gamma: p(), beta: p(), out: a(), xhat: a(), rstd: a(), rows: 4, width: 36, eps: 1e-12 };
    layerNormForward(rec, { x: a(), ...ln });
    layerNormForward(rec, { x: a(), residual: a(), dropout: drop, ...ln });
    const lnBack = {
      dy: a(),
      xhat: a(),
      rstd: a(),
      gamma: p(),
      ds: a(),
      dGamma: p(),
      dBeta: p(),
      rows: 4,
      width: 36,
    };
    layerNormBackward(rec, lnBack);
    layerNormBackward(rec, { ...lnBack, accumulateDs: true, dropout: drop, dx: a() });
    attentionForward(rec, { qkv: a(), mask: a(), context: a(), probs: a(), dropout: drop, ...shape });
    attentionBackward(rec, { dContext: a(), qkv: a(), probs: a(), mask: a(), dQkv: a(), ...shape });
    const tables = { gamma: p(), xhat: a(), rstd: a(), types: a(), batch: 2, seq: 5, hidden: 8 };
    embeddingsForward(rec, {
      ids: a(),
      token: p(),
      segment: p(),
      position: p(),
      beta: p(),
      out: a(),
      eps: 1e-12,
      ...tables,
    });
    embeddingsBackward(rec, {
      ...tables,
      dOut: a(),
      uniqueIds: a(),
      slotStart: a(),
      slots: a(),
      uniqueCount: 3,
      dSum: a(),
      dToken: p(),
      dSegment: p(),
      dPosition: p(),
      dGamma: p(),
      dBeta: p(),
      typeVocab: 2,
    });
    geluBackward(rec, { dy: a(), pre: a(), dx: a(), n: 10 });
    addInto(rec, { x: p(), y: p(), n: 10 });
    gatherRows(rec, { src: a(), index: a(), out: a(), rows: 3, width: 8 });
    scatterAddRows(rec, { src: a(), index: a(), out: a(), rows: 3, width: 8 });
    softmaxCrossEntropy(rec, { logits: a(), labels: a(), loss: a(), predictions: a(), rows: 3, classes: 11 });
    nspForwardBackward(rec, {
      hidden: a(),
      poolerKernel: p(),
      poolerBias: p(),
      classifierKernel: p(),
      classifierBias: p(),
      labels: a(),
      loss: a(),
      predictions: a(),
      dHidden: a(),
      dPoolerKernel: p(),
      dPoolerBias: p(),
      dClassifierKernel: p(),
      dClassifierBias: p(),
      scratch: a(),
      batch: 2,
      seq: 5,
      hiddenSize: 8,
    });
    gradNorm(rec, {
      grads: p(),
      length: 100,
      losses: a(),
      lossCount: 2,
      clipNorm: 1,
      partials: a(),
      stats: a(),
    });
    for (const kind of ['sgd', 'adamw', 'lazyadam'] as const) {
      optimizerStep(rec, {
        config: defaultOptimizerConfig(kind),
        params: p(),
        grads: p(),
        slot1: p(),
        slot2: p(),
        segments: a(),
        segmentCount: 3,
        length: 100,
        stats: a(),
        rowHasGrad: a(),
        delta: a(),
        lr: 0.01,
        t: 1,
      });
    }
    rowNorms(rec, { x: p(), y: p(), rows: 3, width: 8, out: a(), flags: a() });
    expect(log).toHaveLength(34);
    for (const d of log) {
      expect(new Set(d.buffers).size, d.label).toBe(d.buffers.length);
    }
    // i32 ids and f32 activations in one written buffer: bits, read through bitcasts.
    const forward = log.find((d) => d.label === 'attentionForward')!;
    expect(forward.code).toContain('var<storage, read_write> b0: array<u32>;');
    expect(forward.code).toContain('fn mask(i: u32) -> i32 { return bitcast<i32>(b0[u.mask_off + i]); }');
  });
});
