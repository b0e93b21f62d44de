/**
 * The row report of a whole fused step against the composite tfjs step (cpu backend), from the
 * same weights and batches, on a vocabulary in the thousands: every per-path row-norm array, and
 * the cause every row is given from them (rowCauses.ts's classifyRows), row by row.
 *
 * What the fused path computes itself: the lookup-path, output-path and update row norms are all
 * GPU results (recordStep.ts's recordUpdate runs kernels/rowNorms.ts on the lookup gradient before
 * the tied output gradient is added to it, on the output gradient, and on the optimizer's Δ), and
 * so are the position and segment rows (the same lookup and Δ norms, rows V.. of the embedding
 * block). Only `lookupRows`, the batch's distinct ids, is the CPU's on both paths, so it is not
 * compared here; instead the rows with a nonzero GPU lookup gradient are checked against it.
 *
 * Norm arrays are compared by relative L2, ‖a − b‖ / ‖b‖, with the gradient bound (1e-4). Why
 * that bound holds for norms whenever it holds for the rows they are norms of: for rows a_r, b_r,
 * |‖a_r‖ − ‖b_r‖| ≤ ‖a_r − b_r‖ (the triangle inequality), so summing squares over r, the norm
 * array's relative L2 is at most the relative L2 (Frobenius) of the table itself, plus the norm's
 * own f32 rounding, about H·2⁻²⁴ ≈ 2e-6 relative for H = 32. The tables' gradients and weights
 * are held to 1e-4 by step.browser.ts; the measured norm errors are printed with FUSED_VERBOSE=1.
 *
 * Causes are compared exactly. A row's cause depends only on which of its three norms are zero,
 * and every zero here is exact on both paths by construction, not a small number rounded to 0:
 * rows outside the batch get no lookup scatter; [PAD]'s slots are keys masked by −10000 (e^−10000
 * underflows to exactly 0 in f32) and read by no loss, so their gradient is exactly 0; an untied
 * output has no output path; Adam's m = v = 0 for a row never touched gives 0 / (0 + ε) = 0;
 * LazyAdam skips rows without gradient and a learning rate of 0 multiplies every step by 0. So
 * the zero pattern of each E_token array is compared exactly too, and each case checks that no
 * nonzero row sits within float noise of zero, where rounding could flip its cause: every nonzero
 * row's own relative difference |a_r − b_r| / b_r must be at most ROW_BOUND = 1e-2 (a row whose
 * whole norm were noise would read about 1). The smallest rows of these cases are AdamW's
 * decay-only steps, Δ = lr·wd·θ = 1e-4·θ per coordinate: θ_new is rounded to half an ulp,
 * 2⁻²⁴|θ|, so the two paths' Δ may differ by 2⁻²³|θ|, 1.2e-3 of Δ; 1e-2 sits above that worst
 * case and a hundred times below a flip.
 */
import { nonzeroIndices, uniqueSorted } from '../../math/arrays';
import { microConfig } from '../../model/config';
import { createBertTokenizer, PAD } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { defaultOptimizerConfig, type OptimizerConfig } from '../../train/optimizers';
import { createPretrainingData } from '../../train/pretraining-data';
import { CAUSE_INDEX, classifyRows, ROW_CAUSES, type RowCause } from '../../train/rowCauses';
import { createTrainState, disposeState, trainStep, type TrainState } from '../../train/step';
import type { StepReport } from '../../train/stepReport';
import { batchShape } from '../stepBuffers';
import { createFusedTrainer } from '../trainer';
import {
  FORWARD_BOUND,
  GRADIENT_BOUND,
  gpu,
  register,
  result,
  sharePipelines,
  type CaseResult,
} from './harness';

/** What the spec passes: the first pieces of bert-base-uncased's vocab.txt, and a corpus. */
export interface RowsInput {
  readonly vocab: readonly string[];
  readonly corpus: string;
}

/** The report's per-row arrays, each compared by relative L2. */
const NORM_ARRAYS = [
  'lookupGradRowNorm',
  'outputGradRowNorm',
  'updateRowNorm',
  'positionGradRowNorm',
  'positionUpdateRowNorm',
  'segmentGradRowNorm',
  'segmentUpdateRowNorm',
] as const;
type NormArray = (typeof NORM_ARRAYS)[number];

/** The bound on any one nonzero row's relative difference (see the header). */
const ROW_BOUND = 1e-2;

const BATCH = 4;
const SEQ = 32;
const MASKED = 5; // round(0.15 · 32)

interface StepExpectation {
  /** Causes that must have rows, and causes that must have none. */
  readonly present: readonly RowCause[];
  readonly absent: readonly RowCause[];
  /** The cause of every row that had a lookup gradient at an earlier step and has none now. */
  readonly earlierOnly: RowCause;
}

interface RowCase {
  readonly optimizer: OptimizerConfig;
  readonly tied: boolean;
  /** The peak learning rate of each step's schedule, one step each. */
  readonly learningRates: readonly number[];
  readonly expect: (step: number) => StepExpectation;
}

function makeState(vocabSize: number, c: RowCase): TrainState {
  return createTrainState(microConfig(vocabSize, { tieOutputEmbeddings: c.tied }), {
    optimizer: c.optimizer,
    schedule: withRate(c.learningRates[0]!),
    clipNorm: 1,
    seed: 11,
  });
}

const withRate = (peakLearningRate: number) => ({ peakLearningRate, warmupSteps: 0, totalSteps: 100 });

/** `state` with another learning rate, as a session replaces its state when the rate changes. */
const atRate = (state: TrainState, rate: number): TrainState => ({
  ...state,
  options: { ...state.options, schedule: withRate(rate) },
});

/** Rows where exactly one of the two arrays is nonzero. */
function supportDiff(a: Float32Array, b: Float32Array): number[] {
  const out: number[] = [];
  for (let r = 0; r < a.length; r++) if (a[r]! > 0 !== b[r]! > 0) out.push(r);
  return out;
}

/**
 * The largest |a_r − b_r| / b_r over the rows where the reference b is nonzero: how close the
 * worst row came to being within float noise of zero (1 would be a row whose whole norm is noise).
 */
function worstRowError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let r = 0; r < a.length; r++) if (b[r]! > 0) worst = Math.max(worst, Math.abs(a[r]! - b[r]!) / b[r]!);
  return worst;
}

/** A check that passes when `bad` is empty; the first few offending rows go into its text. */
function none(what: string, bad: readonly number[]): CaseResult {
  const shown = bad.length === 0 ? '' : ` (${bad.length}: ${bad.slice(0, 8).join(', ')})`;
  return { what: `${what}${shown}`, error: bad.length, bound: 0 };
}

/** Every norm array by relative L2; the E_token ones also by zero pattern and worst row. */
function normChecks(s: number, a: StepReport, b: StepReport): CaseResult[] {
  const out = [result(`step ${s}: MLM loss`, [b.loss.mlm], [a.loss.mlm], FORWARD_BOUND)];
  for (const name of NORM_ARRAYS) out.push(result(`step ${s}: ${name}`, b[name], a[name], GRADIENT_BOUND));
  // E_token's centred change ‖Δrow − mean Δ‖, which the Training map can show: both paths measure it.
  const [ca, cb] = [a.centredUpdateRowNorm, b.centredUpdateRowNorm];
  out.push(
    ca && cb
      ? result(`step ${s}: centredUpdateRowNorm`, cb, ca, GRADIENT_BOUND)
      : { what: `step ${s}: both reports carry centredUpdateRowNorm`, error: 1, bound: 0 },
  );
  for (const name of ['lookupGradRowNorm', 'outputGradRowNorm', 'updateRowNorm'] satisfies NormArray[]) {
    out.push(none(`step ${s}: rows zero on one path only in ${name}`, supportDiff(b[name], a[name])));
    const what = `step ${s}: ${name}: worst nonzero row's |a − b| / b`;
    out.push({ what, error: worstRowError(b[name], a[name]), bound: ROW_BOUND });
  }
  return out;
}

/**
 * The causes row by row, the GPU's lookup rows against the batch, and the expected mix of causes;
 * `earlier` holds the rows with a lookup gradient at an earlier step.
 */
function causeChecks(
  s: number,
  a: StepReport,
  b: StepReport,
  want: StepExpectation,
  earlier: ReadonlySet<number>,
): CaseResult[] {
  const out: CaseResult[] = [];
  const batchRows = new Set(nonzeroIndices(a.lookupGradRowNorm));
  // The GPU's own lookup rows: exactly the batch's distinct ids less [PAD] (its gradient is 0).
  const ids = uniqueSorted(a.batch.inputIds).filter((id) => id !== PAD_ID);
  const gpuRows = new Set(nonzeroIndices(b.lookupGradRowNorm));
  const mismatch = [...ids.filter((id) => !gpuRows.has(id)), ...[...gpuRows].filter((r) => !ids.includes(r))];
  out.push(none(`step ${s}: GPU lookup-gradient rows ≠ batch ids less [PAD]`, mismatch));

  const ca = classifyRows(a);
  const cb = classifyRows(b);
  const differ: number[] = [];
  for (let r = 0; r < ca.causes.length; r++) if (ca.causes[r] !== cb.causes[r]) differ.push(r);
  out.push(none(`step ${s}: rows whose cause differs`, differ));

  const counts = ROW_CAUSES.map((k) => `${k}=${ca.counts[k]}`).join(' ');
  const wrong = [
    ...want.present.filter((k) => ca.counts[k] === 0),
    ...want.absent.filter((k) => ca.counts[k] > 0),
  ].map((k) => CAUSE_INDEX[k]);
  const rule = `want ${want.present.join('+')} > 0, ${want.absent.join('+')} = 0`;
  out.push(none(`step ${s}: causes ${counts} (${rule})`, wrong));
  if (s > 1) {
    // Rows with a gradient at an earlier step and none now: Adam moves them, LazyAdam does not.
    const earlierOnly = [...earlier].filter((r) => !batchRows.has(r));
    const what = `step ${s}: ${earlierOnly.length} rows looked up before, not now, all '${want.earlierOnly}'`;
    const off = earlierOnly.filter((r) => ca.causes[r] !== CAUSE_INDEX[want.earlierOnly]);
    out.push(none(what, earlierOnly.length === 0 ? [-1] : off));
  }
  return out;
}

/** [PAD]'s id: bert-base-uncased's vocab.txt and every vocabulary the lab builds put it first. */
const PAD_ID = 0;

let compiledPipelines: (() => number) | null = null;

async function compareRows(input: unknown, c: RowCase): Promise<CaseResult[]> {
  const { vocab, corpus } = input as RowsInput;
  if (vocab[PAD_ID] !== PAD)
    throw new Error(`The vocabulary's id ${PAD_ID} is ${vocab[PAD_ID]}, not ${PAD}.`);
  const ctx = await gpu();
  compiledPipelines ??= sharePipelines(ctx.device);
  const options = { maxSeqLength: SEQ, maxPredictionsPerSeq: MASKED };
  const data = createPretrainingData(parseCorpus(corpus), createBertTokenizer(vocab), options, 5);
  let composite = makeState(vocab.length, c);
  let fused = makeState(vocab.length, c);
  const trainer = await createFusedTrainer(() => fused, ctx.device, batchShape(BATCH, SEQ, MASKED));
  const out: CaseResult[] = [];
  const earlier = new Set<number>();
  try {
    for (const [i, rate] of c.learningRates.entries()) {
      const s = i + 1;
      composite = atRate(composite, rate);
      fused = atRate(fused, rate);
      const batch = data.nextBatch(BATCH);
      // The fused step is submitted first, so the GPU process runs it while this thread runs the
      // composite step (the two states share nothing but the read-only batch).
      const fusedStep = trainer.step(batch);
      const a = await trainStep(composite, batch);
      const b = await fusedStep;
      out.push(...normChecks(s, a, b), ...causeChecks(s, a, b, c.expect(s), earlier));
      for (const r of nonzeroIndices(a.lookupGradRowNorm)) earlier.add(r);
    }
  } finally {
    trainer.dispose();
    disposeState(composite);
    disposeState(fused);
  }
  out.push({ what: `pipelines compiled in this page so far: ${compiledPipelines()}`, error: 0, bound: 0 });
  return out;
}

const CASES: Record<string, RowCase> = {
  // Step 1: batch rows move, the rest stay still ([PAD] too). Step 2: rows of step 1 only move
  // with no gradient (m/√v of step 1, decayed).
  'untied Adam, 2 steps: rows that stay still, rows that move without gradient': {
    optimizer: defaultOptimizerConfig('adam'),
    tied: false,
    learningRates: [1e-2, 1e-2],
    expect: (s) =>
      s === 1
        ? {
            present: ['lookup', 'unchanged'],
            absent: ['output', 'momentum', 'stalled'],
            earlierOnly: 'momentum',
          }
        : {
            present: ['lookup', 'momentum', 'unchanged'],
            absent: ['output', 'stalled'],
            earlierOnly: 'momentum',
          },
  },
  // Step 1: weight decay moves every row, [PAD] and rows never seen included. Step 2 at a
  // learning rate of 0 (which scales the decay too): batch rows have a gradient and stay.
  'untied AdamW, then learning rate 0: rows moved by decay alone, then stalled rows': {
    optimizer: defaultOptimizerConfig('adamw'),
    tied: false,
    learningRates: [1e-2, 0],
    expect: (s) =>
      s === 1
        ? {
            present: ['lookup', 'momentum'],
            absent: ['output', 'unchanged', 'stalled'],
            earlierOnly: 'momentum',
          }
        : {
            present: ['stalled', 'unchanged'],
            absent: ['lookup', 'output', 'momentum'],
            earlierOnly: 'unchanged',
          },
  },
  // Every row gets the softmax's gradient; [PAD] only that one.
  'tied AdamW, 2 steps: lookup and output-only rows': {
    optimizer: defaultOptimizerConfig('adamw'),
    tied: true,
    learningRates: [1e-2, 1e-2],
    expect: () => ({
      present: ['lookup', 'output'],
      absent: ['momentum', 'unchanged', 'stalled'],
      earlierOnly: 'output',
    }),
  },
  // Rows of step 1 only stay still at step 2: no moment update without a gradient.
  'untied LazyAdam, 2 steps: only batch rows move': {
    optimizer: defaultOptimizerConfig('lazyadam'),
    tied: false,
    learningRates: [1e-2, 1e-2],
    expect: () => ({
      present: ['lookup', 'unchanged'],
      absent: ['output', 'momentum', 'stalled'],
      earlierOnly: 'unchanged',
    }),
  },
};

register(
  Object.fromEntries(
    Object.entries(CASES).map(([name, c]) => [name, (input?: unknown) => compareRows(input, c)]),
  ),
);
