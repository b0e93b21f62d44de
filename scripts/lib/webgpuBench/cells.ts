/**
 * Runs the WebGPU step benchmark's cells wherever tfjs-backend-webgpu runs: in a Chromium page
 * (page.ts, bundled by scripts/bench-webgpu.ts) or in Node on Dawn (scripts/bench-webgpu-node.ts).
 * For each cell: the stock path (the lab's own createTrainState + trainStep on tfjs's webgpu
 * kernels) and the fused path (createFusedTrainer on the same device), each on a fresh state from
 * the same seed and the same stream of real pretraining batches, with the GPU calls of every step
 * counted by the prototype wrappers (counters.ts) and the steps timed.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { createBertTokenizer } from '../../../src/core/tokenizer';
import {
  createPretrainingData,
  createTrainState,
  defaultOptimizerConfig,
  disposeState,
  parseCorpus,
  trainStep,
  DEFAULT_CLIP_NORM,
  type PretrainingBatch,
  type TrainState,
} from '../../../src/core/train';
import { configFor } from '../../../src/engine/session';
import { median } from '../stats';
import { COUNT_FIELDS, diffCounts, zeroCounts, type GpuCounts } from './counters';
import { withErrorScopes } from './errorScopes';
import { batchShape } from '../../../src/core/fused/stepBuffers';
import { createFusedTrainer } from '../../../src/core/fused/trainer';
import { firstLine } from './fused';
import { settingsFor, vocabFor, type CellSpec } from './cellSpecs';
import { withRatios, type CellResult, type PathName, type PathResult } from './report';

export interface BenchInput {
  readonly cells: readonly CellSpec[];
  readonly paths: readonly PathName[];
  readonly bertVocab: readonly string[];
  /** The micro preset's vocabulary (the engine's defaultVocab of the corpus). */
  readonly microVocab: readonly string[];
  readonly corpus: string;
  /** Time for the steps after the first, per cell and path; at least `minSteps` run regardless. */
  readonly budgetMs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
}

interface Stepper {
  step(batch: PretrainingBatch): Promise<unknown>;
  /** The trainer's own dispatch and submit tally, where it keeps one. */
  selfCounts?: () => { dispatches: number; submits: number };
  dispose(): void;
}

/** Runs the cells one after the other; `counts` reads the running totals of the wrappers. */
export async function runCells(input: BenchInput, counts: () => GpuCounts): Promise<CellResult[]> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend here.');
  await tf.ready();
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const results: CellResult[] = [];
  for (const cell of input.cells) {
    const settings = settingsFor(cell);
    const vocab = vocabFor(cell.preset, input);
    const config = configFor(settings, vocab.length);
    const tokenizer = createBertTokenizer(vocab);
    const documents = parseCorpus(input.corpus);
    // The data and the optimizer as the engine's createSession (src/engine/session.ts) makes them;
    // both paths train on the same batches, since the stream is a pure function of the seed.
    const batches = () =>
      createPretrainingData(
        documents,
        tokenizer,
        { maxSeqLength: cell.seq, maxPredictionsPerSeq: Math.max(1, Math.round(cell.seq * 0.15)) },
        settings.seed,
      );
    const state = (): TrainState =>
      createTrainState(config, {
        optimizer:
          settings.optimizer === 'momentum'
            ? { kind: 'sgd', momentum: 0.9 }
            : defaultOptimizerConfig(settings.optimizer),
        schedule: {
          peakLearningRate: settings.learningRate,
          warmupSteps: Math.min(settings.warmupSteps, settings.totalSteps - 1),
          totalSteps: settings.totalSteps,
        },
        clipNorm: DEFAULT_CLIP_NORM,
        seed: settings.seed,
      });
    const run = async (path: PathName): Promise<PathResult> => {
      if (!input.paths.includes(path)) return { path, available: false, reason: 'not run (--paths)' };
      const s = state();
      let stepper: Stepper;
      if (path === 'stock') {
        stepper = { step: (b) => trainStep(s, b), dispose: () => disposeState(s) };
      } else {
        try {
          const shape = batchShape(cell.batch, cell.seq, Math.max(1, Math.round(cell.seq * 0.15)));
          const trainer = await createFusedTrainer(s, device, shape);
          stepper = {
            step: (b) => trainer.step(b),
            selfCounts: () => ({ ...trainer.ctx.counts }),
            dispose: () => {
              trainer.dispose();
              disposeState(s);
            },
          };
        } catch (error) {
          disposeState(s);
          return { path, available: false, reason: `fused trainer failed to start: ${firstLine(error)}` };
        }
      }
      try {
        return await measure(path, stepper, batches(), cell.batch, input, counts, device);
      } catch (error) {
        return { path, available: false, reason: `${path} step failed: ${firstLine(error)}` };
      } finally {
        stepper.dispose();
      }
    };
    const stock = await run('stock');
    progress(cell, stock);
    const fused = await run('fused');
    progress(cell, fused);
    results.push(
      withRatios({
        cell,
        vocabSize: config.vocabSize,
        hidden: config.hidden,
        layers: config.layers,
        optimizer: settings.optimizer,
        stock,
        fused,
      }),
    );
  }
  return results;
}

async function measure(
  path: PathName,
  stepper: Stepper,
  data: { nextBatch(b: number): PretrainingBatch },
  batchSize: number,
  input: BenchInput,
  counts: () => GpuCounts,
  device: GPUDevice,
): Promise<PathResult> {
  const one = async () => {
    const batch = data.nextBatch(batchSize);
    const before = { ...counts() };
    const self = stepper.selfCounts?.();
    const t0 = performance.now();
    await stepper.step(batch);
    const ms = performance.now() - t0;
    const after = stepper.selfCounts?.();
    return {
      ms,
      counts: diffCounts({ ...counts() }, before),
      self:
        self && after
          ? { dispatches: after.dispatches - self.dispatches, submits: after.submits - self.submits }
          : null,
    };
  };
  // The first step compiles every pipeline and binds every buffer: a WebGPU error there (an
  // invalid shader, too many bindings) would otherwise only be logged, and the step would be
  // timed and counted as if its kernels had run.
  const first = await withErrorScopes(device, one);
  const timed: Awaited<ReturnType<typeof one>>[] = [];
  const start = performance.now();
  while (
    timed.length < input.maxSteps &&
    (timed.length < input.minSteps || performance.now() - start < input.budgetMs)
  ) {
    timed.push(await one());
  }
  const perStep = zeroCounts();
  for (const f of COUNT_FIELDS) perStep[f] = median(timed.map((t) => t.counts[f]));
  const dispatches = timed.map((t) => t.counts.dispatches);
  const self = timed.map((t) => t.self).filter((s) => s !== null);
  return {
    path,
    available: true,
    steps: timed.length,
    firstStepMs: first.ms,
    medianStepMs: median(timed.map((t) => t.ms)),
    firstStep: first.counts,
    perStep,
    dispatchRange: [Math.min(...dispatches), Math.max(...dispatches)],
    ...(self.length > 0
      ? {
          trainerPerStep: {
            dispatches: median(self.map((s) => s.dispatches)),
            submits: median(self.map((s) => s.submits)),
          },
        }
      : {}),
  };
}

/** One line per cell and path as it finishes (the page forwards console.info to the terminal). */
function progress(cell: CellSpec, p: PathResult): void {
  const what = p.available
    ? `${p.perStep.dispatches} dispatches, ${p.perStep.submits} submits a step; first ${Math.round(p.firstStepMs)} ms, median ${Math.round(p.medianStepMs)} ms of ${p.steps}`
    : p.reason;
  console.info(`${cell.label} ${cell.batch}×${cell.seq} ${p.path}: ${what}`);
}
