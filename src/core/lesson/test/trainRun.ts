/**
 * Real training steps on the tfjs CPU backend for the lesson's tests: the micro model on the small
 * test corpus (core/train/test/fixtures.ts), so a step takes milliseconds.
 */
import { microConfig } from '../../model/config';
import { createBertTokenizer } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { defaultOptimizerConfig, type OptimizerKind } from '../../train/optimizers';
import { createPretrainingData } from '../../train/pretraining-data';
import type { EmbeddingTables } from '../../model/embeddingSum';
import { createTrainState, disposeState, trainStep, type TrainState } from '../../train/step';
import type { StepReport } from '../../train/stepReport';
import { smallCorpusText, smallVocab } from '../../train/test/fixtures';

export const VOCAB = smallVocab();

export interface RunOptions {
  readonly optimizer: OptimizerKind;
  readonly tied: boolean;
  readonly steps: number;
  readonly learningRate?: number;
  readonly seed?: number;
  /** Longer than the corpus's pairs, so batches are padded. */
  readonly seqLength?: number;
  /** Reads the state at step 0 and after every step (the engine's tables() in the page). */
  readonly watch?: (state: TrainState) => Promise<void>;
}

/** The embedding tables of a state, as the engine's tables() reads them. */
export async function tablesOf(state: TrainState): Promise<EmbeddingTables> {
  const e = state.params.embeddings;
  const copy = async (t: { data(): Promise<unknown> }) => Float32Array.from((await t.data()) as Float32Array);
  return {
    vocabSize: state.config.vocabSize,
    hidden: state.config.hidden,
    maxPositions: state.config.maxPositions,
    token: await copy(e.token),
    segment: await copy(e.segment),
    position: await copy(e.position),
    gamma: await copy(e.norm.gamma),
    beta: await copy(e.norm.beta),
    step: state.step,
  };
}

/** Trains `steps` steps from seed 42 (batches of 4) and returns every step's report. */
export async function trainRun(options: RunOptions): Promise<StepReport[]> {
  const { optimizer, tied, steps, learningRate = 1e-2, seed = 42, seqLength = 64, watch } = options;
  const tokenizer = createBertTokenizer(VOCAB);
  const data = createPretrainingData(
    parseCorpus(smallCorpusText()),
    tokenizer,
    { maxSeqLength: seqLength, maxPredictionsPerSeq: 6 },
    seed,
  );
  const state = createTrainState(microConfig(VOCAB.length, { tieOutputEmbeddings: tied }), {
    optimizer: defaultOptimizerConfig(optimizer),
    schedule: { peakLearningRate: learningRate, warmupSteps: 0, totalSteps: 1000 },
    clipNorm: 1,
    seed,
  });
  try {
    const reports: StepReport[] = [];
    await watch?.(state);
    for (let i = 0; i < steps; i++) {
      reports.push(await trainStep(state, data.nextBatch(4)));
      await watch?.(state);
    }
    return reports;
  } finally {
    disposeState(state);
  }
}
