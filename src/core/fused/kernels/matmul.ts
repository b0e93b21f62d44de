/**
 * General matrix product in one dispatch: C[m, n] (=|+=) epilogue(alpha · op(A) · op(B) + bias),
 * for every dense layer of the step, forward (x W + b, with GELU), and backward
 * (dX = dY Wᵀ, dW = Xᵀ dY, the tied output embedding's dE = dlogitsᵀ h).
 *
 * Tiling: a workgroup of S × S = 8 × 8 threads owns a T × T tile of C: 64 × 64 with an 8 × 8
 * micro-tile per thread, or 32 × 32 with 4 × 4 when 64-wide tiles would leave the device with too
 * few workgroups. (Few threads with big micro-tiles: every thread reuses each staged value R
 * times, and SwiftShader, which runs a workgroup's threads as CPU fibers, pays per thread at each
 * barrier; 16 × 16 threads with 4 × 4 measured 1.5–3× slower there.) It walks k in slices of
 * TK = 16: the slice of op(A) (T × TK) and of op(B) (TK × T) is staged in workgroup memory, read
 * coalesced from global memory in whichever order the stored matrix is row-major in, then every
 * thread does TK rank-1 updates of its micro-tile from registers. Thread (tx, ty) owns rows
 * ty + S r and columns tx + S c of the tile, so neighbouring threads read neighbouring words of the
 * staged B slice (no bank conflicts) and write neighbouring words of C. Loads and stores past m, n
 * or k are masked (zero-filled), so any size works.
 *
 * The WGSL is generated per flag combination (transA, transB, bias, GELU, GELU-gradient,
 * accumulate, tile size) and on which operands share a buffer: program.ts's `run` keys its cache
 * by exactly that, so each variant's source is generated and compiled once.
 *
 * C must not overlap A, B, the bias or geluGradOf: other workgroups still read them while C is
 * written. Operands may share a buffer (they are bound once; see program.ts).
 */
import { f32, u32, type Recorder, type View } from '../gpu';
import { GELU_WGSL } from './gelu';
import { run, variantKernel } from './program';

export interface MatmulArgs {
  a: View;
  b: View;
  c: View;
  /** C[m, n] (=|+=) alpha · op(A)[m, k] · op(B)[k, n] (+ bias). */
  m: number;
  n: number;
  k: number;
  /** A stored [k, m] (row-major), else [m, k]. */
  transA?: boolean;
  /** B stored [n, k], else [k, n]. */
  transB?: boolean;
  /** Row strides in elements; default the stored width. */
  lda?: number;
  ldb?: number;
  ldc?: number;
  /** Default 1. */
  alpha?: number;
  /** [n], added to every row (not allowed with accumulate). */
  bias?: View;
  /** Exact GELU x · Φ(x) after the bias. */
  epilogue?: 'none' | 'gelu';
  /** With 'gelu': also store the value before GELU here, [m, n] dense (ld = n). */
  preActivation?: View;
  /** Multiply the result elementwise by GELU'(pre[i, j]) ([m, n], ld = n): the backward of a GELU. */
  geluGradOf?: View;
  /** C += result, else C = result. */
  accumulate?: boolean;
  /** Dispatch z over `batch` independent products. */
  batch?: number;
  /** Per-batch element strides: default 0 for A, B and bias, m · ldc for C, m · n for pre. */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  strideBias?: number;
  stridePre?: number;
  /** Per-batch stride of geluGradOf (an addition to the contract); default m · n. */
  strideGeluGrad?: number;
}

interface Tile {
  /** Threads per side: the workgroup is S × S threads. */
  readonly s: 8;
  /** Micro-tile edge: each thread computes R × R outputs; the tile is S · R square. */
  readonly r: 4 | 8;
}

interface Variant {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly bias: boolean;
  readonly gelu: boolean;
  /** With gelu: store the pre-activation (the training step needs it for the backward). */
  readonly savePre: boolean;
  readonly geluGrad: boolean;
  readonly accumulate: boolean;
  readonly tile: Tile;
}

const TK = 16;

/**
 * The loop that stages one operand's k-slice into workgroup memory. The stored matrix is
 * row-major with row stride `ld`; `inner` is the slice index that runs along a stored row, so
 * consecutive threads read consecutive words whichever way the operand is transposed. `gk` is the
 * global k index and `gmn` the global m (for A) or n (for B) index of the element.
 */
function stage(o: {
  threads: number;
  shared: 'As' | 'Bs';
  src: 'lhs' | 'rhs';
  base: string;
  inner: { name: string; size: number };
  outer: { name: string; size: number };
  mn: { name: 'i' | 'j'; first: string; limit: string };
  stored: string;
}): string {
  const loads = (o.inner.size * o.outer.size) / o.threads;
  const width = o.shared === 'As' ? 'TM' : 'TN';
  return `
    for (var l = 0u; l < ${loads}u; l++) {
      let e = lid + l * ${o.threads}u;
      let ${o.inner.name} = e % ${o.inner.size}u;
      let ${o.outer.name} = e / ${o.inner.size}u;
      let gk = k0 + kk;
      let gmn = ${o.mn.first} + ${o.mn.name};
      var v = 0.0;
      if (gk < u.k && gmn < ${o.mn.limit}) { v = ${o.src}(${o.base} + ${o.stored}); }
      ${o.shared}[kk * ${width} + ${o.mn.name}] = v;
    }`;
}

function source(v: Variant): string {
  const { s: S, r: R } = v.tile;
  const T = S * R; // TM = TN = T
  const threads = S * S;
  const kSide = { name: 'kk', size: TK };
  // op(A)[i, kk]: stored [m, k] (row i, column kk) or, transposed, [k, m] (row kk, column i).
  const aSide = { name: 'i', size: T };
  const stageA = stage({
    threads,
    shared: 'As',
    src: 'lhs',
    base: 'aBase',
    inner: v.transA ? aSide : kSide,
    outer: v.transA ? kSide : aSide,
    mn: { name: 'i', first: 'row0', limit: 'u.m' },
    stored: v.transA ? 'gk * u.lda + gmn' : 'gmn * u.lda + gk',
  });
  // op(B)[kk, j]: stored [k, n] (row kk, column j) or, transposed, [n, k] (row j, column kk).
  const bSide = { name: 'j', size: T };
  const stageB = stage({
    threads,
    shared: 'Bs',
    src: 'rhs',
    base: 'bBase',
    inner: v.transB ? kSide : bSide,
    outer: v.transB ? bSide : kSide,
    mn: { name: 'j', first: 'col0', limit: 'u.n' },
    stored: v.transB ? 'gmn * u.ldb + gk' : 'gk * u.ldb + gmn',
  });
  const bases = [
    'let cBase = z * u.strideC;',
    v.bias ? 'let biasBase = z * u.strideBias;' : '',
    v.savePre ? 'let preBase = z * u.stridePre;' : '',
    v.geluGrad ? 'let gradBase = z * u.strideGrad;' : '',
  ];
  const epilogue = [
    'var y = u.alpha * acc[r * R + c];',
    v.bias ? 'y += bias(biasBase + j);' : '',
    v.savePre ? 'pre_put(preBase + i * u.n + j, y);' : '',
    v.gelu ? 'y = gelu(y);' : '',
    v.geluGrad ? 'y *= gelu_grad(gradOf(gradBase + i * u.n + j));' : '',
    'let at = cBase + i * u.ldc + j;',
    v.accumulate ? 'dst_put(at, dst(at) + y);' : 'dst_put(at, y);',
  ];
  const lines = (list: string[], indent: string) => list.filter((s) => s !== '').join(`\n${indent}`);
  return /* wgsl */ `${v.gelu || v.geluGrad ? GELU_WGSL : ''}
const S = ${S}u;
const R = ${R}u;
const TM = ${T}u;
const TN = ${T}u;
const TK = ${TK}u;
var<workgroup> As: array<f32, ${T * TK}>; // As[kk * TM + i] = op(A)[row0 + i, k0 + kk]
var<workgroup> Bs: array<f32, ${T * TK}>; // Bs[kk * TN + j] = op(B)[k0 + kk, col0 + j]

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let z = wg.z;
  let row0 = wg.y * TM;
  let col0 = wg.x * TN;
  let tx = lid % S;
  let ty = lid / S;
  let aBase = z * u.strideA;
  let bBase = z * u.strideB;
  var acc: array<f32, ${R * R}>; // zero-initialized
  for (var k0 = 0u; k0 < u.k; k0 += TK) {${stageA}${stageB}
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, ${R}>;
      var bv: array<f32, ${R}>;
      for (var r = 0u; r < R; r++) { av[r] = As[kk * TM + ty + S * r]; }
      for (var c = 0u; c < R; c++) { bv[c] = Bs[kk * TN + tx + S * c]; }
      for (var r = 0u; r < R; r++) {
        for (var c = 0u; c < R; c++) { acc[r * R + c] = fma(av[r], bv[c], acc[r * R + c]); }
      }
    }
    workgroupBarrier();
  }
  ${lines(bases, '  ')}
  for (var r = 0u; r < R; r++) {
    for (var c = 0u; c < R; c++) {
      let i = row0 + ty + S * r;
      let j = col0 + tx + S * c;
      if (i < u.m && j < u.n) {
        ${lines(epilogue, '        ')}
      }
    }
  }
}`;
}

/** Records C (=|+=) epilogue(alpha · op(A) op(B) + bias): exactly one dispatch. */
export function matmul(rec: Recorder, args: MatmulArgs): void {
  const { m, n, k } = args;
  const transA = args.transA ?? false;
  const transB = args.transB ?? false;
  const lda = args.lda ?? (transA ? m : k);
  const ldb = args.ldb ?? (transB ? k : n);
  const ldc = args.ldc ?? n;
  const batch = args.batch ?? 1;
  const gelu = args.epilogue === 'gelu';
  if (args.bias !== undefined && args.accumulate === true) {
    throw new TypeError('matmul: a bias cannot be accumulated (add it once, where C is written).');
  }
  const savePre = gelu && args.preActivation !== undefined;
  // 64-wide tiles unless that leaves fewer workgroups than a GPU has cores to keep busy.
  const big = Math.ceil(m / 64) * Math.ceil(n / 64) * batch >= 64;
  const tile: Tile = big ? { s: 8, r: 8 } : { s: 8, r: 4 };
  const variant: Variant = {
    transA,
    transB,
    bias: args.bias !== undefined,
    gelu,
    savePre,
    geluGrad: args.geluGradOf !== undefined,
    accumulate: args.accumulate ?? false,
    tile,
  };
  const T = tile.s * tile.r;
  run(
    rec,
    variantKernel('matmul', variant, source),
    {
      lhs: args.a,
      rhs: args.b,
      dst: { view: args.c, write: true },
      bias: args.bias,
      pre: savePre && args.preActivation ? { view: args.preActivation, write: true } : undefined,
      gradOf: args.geluGradOf,
    },
    {
      m: u32(m),
      n: u32(n),
      k: u32(k),
      lda: u32(lda),
      ldb: u32(ldb),
      ldc: u32(ldc),
      strideA: u32(args.strideA ?? 0),
      strideB: u32(args.strideB ?? 0),
      strideC: u32(args.strideC ?? m * ldc),
      strideBias: u32(args.strideBias ?? 0),
      stridePre: u32(args.stridePre ?? m * n),
      strideGrad: u32(args.strideGeluGrad ?? m * n),
      alpha: f32(args.alpha ?? 1),
    },
    [Math.ceil(n / T), Math.ceil(m / T), batch],
  );
}
