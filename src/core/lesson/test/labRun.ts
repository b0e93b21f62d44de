/**
 * A lesson run plan on the lab preset, built as the engine's session builds it (src/engine/session.ts:
 * the preset's config, BERT's schedule and clip norm, 15% of slots predicted, batches from the
 * built-in corpus by the seed), for tests that check a chapter's settings at full size. Core may not
 * import the engine, so the few lines of that mapping are repeated here.
 */
import { configForPreset } from '../../model/config';
import { createBertTokenizer } from '../../tokenizer';
import { loadBertVocab } from '../../tokenizer/test/load-vocab';
import { parseCorpus } from '../../train/corpus';
import { defaultOptimizerConfig } from '../../train/optimizers';
import { createPretrainingData } from '../../train/pretraining-data';
import { createTrainState, DEFAULT_CLIP_NORM, disposeState, trainStep } from '../../train/step';
import type { StepReport } from '../../train/stepReport';
import type { EngineRunPlan } from '../chapters';
import { BUILTIN_CORPUS as CORPUS } from './corpus';

export const BERT_VOCAB = loadBertVocab();

export async function labRun(run: EngineRunPlan): Promise<StepReport[]> {
  const s = run.settings;
  const data = createPretrainingData(
    parseCorpus(CORPUS),
    createBertTokenizer(BERT_VOCAB),
    { maxSeqLength: s.seqLength, maxPredictionsPerSeq: Math.max(1, Math.round(s.seqLength * 0.15)) },
    s.seed,
  );
  const state = createTrainState(configForPreset(s.preset, BERT_VOCAB.length, s.tieOutputEmbeddings), {
    optimizer:
      s.optimizer === 'momentum' ? { kind: 'sgd', momentum: 0.9 } : defaultOptimizerConfig(s.optimizer),
    schedule: {
      peakLearningRate: s.learningRate,
      warmupSteps: Math.min(s.warmupSteps, s.totalSteps - 1),
      totalSteps: s.totalSteps,
    },
    clipNorm: DEFAULT_CLIP_NORM,
    seed: s.seed,
  });
  try {
    const reports: StepReport[] = [];
    for (let i = 0; i < run.steps; i++) reports.push(await trainStep(state, data.nextBatch(s.batchSize)));
    return reports;
  } finally {
    disposeState(state);
  }
}
