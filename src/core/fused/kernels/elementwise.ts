/**
 * Two elementwise kernels the trainer needs between the bigger ones: the backward of GELU where
 * no matmul precedes it (the MLM head's transform, whose gradient comes out of a LayerNorm), and
 * an in-place add (E_token's two gradient paths into the one the optimizer applies).
 */
import { groupsFor, u32, type Recorder, type View } from '../gpu';
import { GELU_WGSL } from './gelu';
import { perThreadMain, program, record } from './program';

const WG = 256;

const GELU_BACKWARD = /* wgsl */ `
${GELU_WGSL}
${perThreadMain(
  WG,
  /* wgsl */ `
  if (i >= u.n) { return; }
  dx_put(i, dy(i) * gelu_grad(pre(i)));
`,
)}`;

const ADD_INTO = perThreadMain(
  WG,
  /* wgsl */ `
  if (i >= u.n) { return; }
  x_put(i, x(i) + y(i));
`,
);

/** dx = dy ⊙ GELU'(pre), n elements, GELU' = Φ(x) + x·φ(x) as in gelu.ts. */
export function geluBackward(rec: Recorder, a: { dy: View; pre: View; dx: View; n: number }): void {
  const p = program(
    { dy: a.dy, pre: a.pre, dx: { view: a.dx, write: true } },
    { n: u32(a.n) },
    GELU_BACKWARD,
  );
  record(rec, 'gelu backward', p, groupsFor(a.n, WG));
}

/** x += y, n elements. */
export function addInto(rec: Recorder, a: { x: View; y: View; n: number }): void {
  const p = program({ x: { view: a.x, write: true }, y: a.y }, { n: u32(a.n) }, ADD_INTO);
  record(rec, 'add', p, groupsFor(a.n, WG));
}
