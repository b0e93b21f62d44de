/**
 * Per-row Euclidean norms, out[r] = ‖x[r] + y[r]‖ (y optional), as step.ts's rowNorm: the
 * gradient rows of E_token through both paths (x = lookup path, y = tied output path), and ‖Δ row‖
 * from the optimizer's delta. With `flags`, also flags[r] = 1 where the row is nonzero: the
 * rowHasGrad input of LazyAdam. The flag tests max |v| > 0 rather than the norm, so a row whose
 * squares underflow to 0 still counts as having a gradient, as optimizers.ts's |g| sum test does.
 *
 * With `centre` (a [width] vector of column sums) and `scale`, the row is first centred:
 * v = x[r] − scale · centre, so with centre = Σ_r x[r] and scale = 1/rows, out[r] = ‖x[r] − mean‖:
 * E_token's change with the drift all rows share taken out (step.ts's centredRowNorm).
 *
 * One thread per row, summing its `width` squares in order (rows are few hundred wide at most).
 */
import { f32, groupsFor, u32, type Recorder, type View } from '../gpu';
import { WG, perThreadMain } from './prelude';
import { run, variantKernel } from './program';

const kernel = (hasY: boolean, hasFlags: boolean, hasCentre: boolean) =>
  variantKernel('rowNorms', { hasY, hasFlags, hasCentre }, (f) =>
    perThreadMain(
      WG,
      /* wgsl */ `
  if (i >= u.rows) { return; }
  let base = i * u.width;
  var s = 0.0;
  var peak = 0.0;
  for (var c = 0u; c < u.width; c++) {
    let v = x(base + c)${f.hasY ? ' + y(base + c)' : ''}${f.hasCentre ? ' - u.scale * centre(c)' : ''};
    s += v * v;
    peak = max(peak, abs(v));
  }
  let n = sqrt(s);
  out_put(i, n);
  ${f.hasFlags ? 'flags_put(i, select(0, 1, peak > 0.0));' : ''}
`,
    ),
  );

export function rowNorms(
  rec: Recorder,
  a: {
    x: View;
    y?: View;
    rows: number;
    width: number;
    out: View;
    flags?: View;
    centre?: { readonly sums: View; readonly scale: number };
  },
): void {
  const c = a.centre;
  run(
    rec,
    kernel(a.y !== undefined, a.flags !== undefined, c !== undefined),
    {
      x: a.x,
      y: a.y,
      centre: c?.sums,
      out: { view: a.out, write: true },
      flags: a.flags === undefined ? undefined : { view: a.flags, type: 'i32', write: true },
    },
    c === undefined
      ? { rows: u32(a.rows), width: u32(a.width) }
      : { rows: u32(a.rows), width: u32(a.width), scale: f32(c.scale) },
    groupsFor(a.rows, WG),
  );
}
