/**
 * Real training steps on the tfjs CPU backend for the lesson's tests: the micro model on the small
 * test corpus (core/train/test/fixtures.ts), so a step takes milliseconds.
 */
import { microConfig } from '../../model/config';
import { createBertTokenizer } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { defaultOptimizerConfig, type OptimizerKind } from '../../train/optimizers';
import { createPretrainingData } from '../../train/pretraining-data';
import { createTrainState, disposeState, trainStep } from '../../train/step';
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
}

/** Trains `steps` steps from seed 42 (batches of 4) and returns every step's report. */
export async function trainRun(options: RunOptions): Promise<StepReport[]> {
  const { optimizer, tied, steps, learningRate = 1e-2, seed = 42, seqLength = 64 } = options;
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
    for (let i = 0; i < steps; i++) reports.push(await trainStep(state, data.nextBatch(4)));
    return reports;
  } finally {
    disposeState(state);
  }
}
