/**
 * Two elementwise kernels the trainer needs between the bigger ones: the backward of GELU where
 * no matmul precedes it (the MLM head's transform, whose gradient comes out of a LayerNorm), and
 * an in-place add (E_token's two gradient paths into the one the optimizer applies).
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';
import { GELU_WGSL } from './gelu';
import { WIDE_WG as WG, perThreadMain } from './prelude';
import { fixedKernel, run } from './program';

const GELU_BACKWARD = fixedKernel(
  'gelu backward',
  /* wgsl */ `
${GELU_WGSL}
${perThreadMain(
  WG,
  /* wgsl */ `
  if (i >= u.n) { return; }
  dx_put(i, dy(i) * gelu_grad(pre(i)));
`,
)}`,
);

const ADD_INTO = fixedKernel(
  'add',
  perThreadMain(
    WG,
    /* wgsl */ `
  if (i >= u.n) { return; }
  x_put(i, x(i) + y(i));
`,
  ),
);

/** dx = dy ⊙ GELU'(pre), n elements, GELU' = Φ(x) + x·φ(x) as in gelu.ts. */
export function geluBackward(rec: Recorder, a: { dy: View; pre: View; dx: View; n: number }): void {
  const views = { dy: a.dy, pre: a.pre, dx: { view: a.dx, write: true } };
  run(rec, GELU_BACKWARD, views, { n: u32(a.n) }, groupsFor(a.n, WG));
}

/** x += y, n elements. */
export function addInto(rec: Recorder, a: { x: View; y: View; n: number }): void {
  run(rec, ADD_INTO, { x: { view: a.x, write: true }, y: a.y }, { n: u32(a.n) }, groupsFor(a.n, WG));
}
