/**
 * Where the lab departs from Google's BERT code (github.com/google-research/bert), one sentence
 * each, built for the settings in use so the numbers a sentence names are the ones the engine uses.
 * The README's "Where the lab differs from Google's BERT code" lists the same points with files.
 */
import type { OptimizerChoice } from '../../core/domain/settings';
import { learningRate, type Schedule } from '../../core/train/pure';

/**
 * BERT's Adam constants as src/core/train/optimizers.ts uses them (its defaultOptimizerConfig,
 * which imports tfjs and so cannot be imported here); googleDifferences.test.ts checks they agree.
 */
export const ADAM_EPSILON = 1e-6;
export const ADAM_BETA2 = 0.999;
export const ADAMW_WEIGHT_DECAY = 0.01;

/** The largest |x·Φ(x) − tanh-form GELU| over all x (at |x| ≈ 2.7), measured in the unit test. */
export const GELU_TANH_MAX_GAP = 4.7e-4;

/**
 * The rate Google's optimization.py gives its `update`-th update (1-based): it reads global_step
 * before incrementing it, so update k runs at global_step k − 1. polynomial_decay(power 1, no
 * cycle) gives peak·(1 − min(step, total)/total); during the warm-up (step < warmup) the rate is
 * peak·step/warmup instead.
 */
export function googleLearningRate(s: Schedule, update: number): number {
  const globalStep = update - 1;
  if (s.warmupSteps > 0 && globalStep < s.warmupSteps) {
    return (s.peakLearningRate * globalStep) / s.warmupSteps;
  }
  return s.peakLearningRate * (1 - Math.min(globalStep, s.totalSteps) / s.totalSteps);
}

/** A rate as the page prints it: three significant digits, 0 as 0. */
export function formatRate(rate: number): string {
  return rate === 0 ? '0' : String(Number(rate.toPrecision(3)));
}

/** The schedule chart's line: how the lab counts steps, against Google's global_step. */
export function scheduleDifference(s: Schedule): string {
  const first = `Steps count from 1: step 1 trains at ${formatRate(learningRate(s, 1))}. Google's optimization.py counts global_step from 0, so its first update runs at ${formatRate(googleLearningRate(s, 1))}`;
  if (s.warmupSteps === 0) return `${first}.`;
  const afterWarmup = googleLearningRate(s, s.warmupSteps + 1);
  return `${first}, and its decay, peak·(1 − step/${s.totalSteps}) from step 0, drops the rate to ${formatRate(afterWarmup)} as the warm-up ends (here the decay starts at the peak).`;
}

/**
 * The batch view's line: masks are drawn fresh on every pass, not written out ten times
 * (pretraining-data.test.ts checks that a pair seen again in the next pass gets new masks).
 */
export const MASKING_DIFFERENCE =
  'Masks and pairs are drawn fresh on every pass over the corpus (dynamic masking, as in RoBERTa). Google’s create_pretraining_data.py writes dupe_factor = 10 masked copies once, and a longer run repeats them.';

/**
 * ε as TF1's AdamOptimizer effectively applies it at update t: it adds its "ε̂" to √v before the
 * bias correction, which is the PyTorch form m̂ / (√v̂ + ε′) with ε′ = ε / √(1 − β2ᵗ).
 */
export function tf1EffectiveEpsilon(epsilon: number, beta2: number, t: number): number {
  return epsilon / Math.sqrt(1 - beta2 ** t);
}

const EPS = ADAM_EPSILON.toExponential(0); // "1e-6"
const TF1_EPS_AT_1 = tf1EffectiveEpsilon(ADAM_EPSILON, ADAM_BETA2, 1).toExponential(1); // "3.2e-5"

/** The optimizer choice's line: its formula with the ε in use, and how it departs from Google's. */
export function optimizerDifference(optimizer: OptimizerChoice): string {
  switch (optimizer) {
    case 'adamw':
      return `As Google's AdamWeightDecayOptimizer: θ −= η·(m / (√v + ε) + λθ) with ε = ${EPS}, λ = ${ADAMW_WEIGHT_DECAY} (not on LayerNorm or biases), and, like Google's, no bias correction.`;
    case 'adam':
      return `Adam with bias correction and ε placed as in PyTorch: θ −= η·m̂ / (√v̂ + ε), ε = ${EPS}. TF1's AdamOptimizer adds its ε̂ before the correction, which acts as ε / √(1 − β2ᵗ): ${TF1_EPS_AT_1} at step 1, falling to ${EPS}. Google's BERT trains with AdamW.`;
    case 'lazyadam':
      return `Adam (PyTorch's ε placement, ε = ${EPS}, global t) that leaves a row with zero gradient alone, on all three embedding tables: token, segment and position. TF's LazyAdam is lazy only on sparse gradients; Google's modeling.py gives the segment table (a one-hot matmul) and the position table (a slice) dense ones, so there it would update them every step.`;
    case 'sgd':
      return 'Plain SGD: θ −= η·g. Google’s BERT trains with AdamW.';
    case 'momentum':
      return 'SGD with momentum 0.9, as TF’s MomentumOptimizer: buf = 0.9·buf + g, θ −= η·buf. Google’s BERT trains with AdamW.';
  }
}

/** Where the model's shape is described: its activation, against Google's current code. */
export const GELU_DIFFERENCE = `Every layer's feed-forward (and the MLM head) uses the exact GELU, x·Φ(x) with erf, as BERT's first release and Hugging Face's "gelu"; Google's modeling.py has used the tanh approximation since February 2019 (they differ by at most ${GELU_TANH_MAX_GAP.toExponential(1)}).`;
