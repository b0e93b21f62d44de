/**
 * The move-size panel in words: why step sizes follow gradient sizes or do not, for the optimizer
 * in use, and the run's own ratios. Every number comes from the step's quartiles (core/train/
 * moveSizes.ts); the sentence about the optimizer names the update rule of core/train/optimizers.ts.
 */
import type { MoveSizes, Quartiles } from '../../core/train/moveSizes';
import type { OptimizerChoice } from '../../core/domain/settings';

export interface MoveSizeFacts {
  readonly optimizer: OptimizerChoice;
  readonly learningRate: number;
  readonly sizes: MoveSizes;
}

/** A norm as the panel prints it: two significant digits, exponent form ("1.9e-2"), 0 as "0". */
export function formatNorm(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(1).replace('e+', 'e');
}

/**
 * A range of two norms written once with their shared exponent where they have one: "1.3–2.0e-2",
 * else in full, "9.5e-3–2.0e-2".
 */
export function formatRange(lo: number, hi: number): string {
  const [a, b] = [formatNorm(lo), formatNorm(hi)];
  const ea = a.split('e')[1];
  return ea !== undefined && ea === b.split('e')[1] ? `${a.split('e')[0]}–${b}` : `${a}–${b}`;
}

/** A ratio with two significant digits: "9.1×", "0.79×", "120×". */
export function formatRatio(r: number): string {
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toPrecision(2)}×`;
}

/** How the optimizer turns a gradient into a step, in one sentence. */
const RULE: Readonly<Record<OptimizerChoice, string>> = {
  sgd: 'Plain SGD moves a row by the learning rate times its (clipped) gradient, Δ = −η·g, so a row’s step grows with its gradient.',
  momentum:
    'SGD with momentum moves a row by η times its velocity v ← 0.9·v + g, so a row’s step follows its recent gradients, not only this step’s.',
  adam: 'Adam divides each coordinate’s step by √v̂, the running root mean square of that coordinate’s own gradient, so a row with a small but steady gradient moves about as far as one with a large gradient.',
  adamw:
    'AdamW (BERT’s, without bias correction) divides each coordinate’s step by √v, the running root mean square of that coordinate’s own gradient, so a row with a small but steady gradient moves about as far as one with a large gradient; its weight decay adds η·0.01·θ to every row’s step.',
  lazyadam:
    'LazyAdam divides each coordinate’s step by √v̂, the running root mean square of that coordinate’s own gradient, as Adam does, but only on rows with a gradient this step: a row with a small but steady gradient moves about as far as one with a large gradient.',
};

const positive = (q: Quartiles | null): q is Quartiles => q !== null && q.median > 0;

/** The run's ratios: lookup rows against output-only rows, or one group's spread. */
function ratios(sizes: MoveSizes): string {
  const { lookup, output } = sizes;
  if (positive(lookup.grad) && positive(output.grad) && positive(lookup.update) && positive(output.update))
    return ` This step the lookup rows’ median ‖g‖ is ${formatRatio(lookup.grad.median / output.grad.median)} the output-only rows’, and their median ‖Δrow‖ ${formatRatio(lookup.update.median / output.update.median)} theirs.`;
  const g = lookup.grad;
  const u = lookup.update;
  if (g && u && g.q1 > 0 && u.q1 > 0 && lookup.rows > 1)
    return ` This step the lookup rows’ ‖g‖ spans ${formatRatio(g.q3 / g.q1)} from its lower to its upper quartile, their ‖Δrow‖ ${formatRatio(u.q3 / u.q1)}.`;
  return '';
}

/** Why rows moved as far as they did this step, for this optimizer, with the step's ratios. */
export function moveSizeExplanation(facts: MoveSizeFacts): string {
  const { sizes } = facts;
  const anyMoved = [sizes.lookup, sizes.output, sizes.momentum].some((g) => (g.update?.max ?? 0) > 0);
  if (!anyMoved)
    return facts.learningRate === 0
      ? 'The learning rate is 0, so every ‖Δrow‖ is 0 however large the row’s gradient: nothing moved.'
      : 'No row moved this step.';
  return `${RULE[facts.optimizer]}${ratios(sizes)}`;
}
