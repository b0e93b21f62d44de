/** Pretraining: corpus parsing, BERT's masked-LM / next-sentence data, loss, optimizers, one step. */
export { parseCorpus, splitSentences } from './corpus';
export {
  maskSequence,
  roundHalfEven,
  type MaskOutcome,
  type MaskingOptions,
  type MaskedSequence,
} from './masking';
export {
  createPretrainingData,
  padBatch,
  truncateSeqPair,
  DEFAULT_PRETRAINING_OPTIONS,
  PretrainingDataError,
  type PretrainingBatch,
  type PretrainingData,
  type PretrainingInstance,
  type PretrainingOptions,
} from './pretraining-data';
export { pretrainingLoss, nspLabel, type PretrainingLoss, type PretrainingTargets } from './loss';
export { computeGradients, disposeGradients, type Gradients, type TrainingInput } from './gradients';
export {
  createOptimizer,
  defaultOptimizerConfig,
  decaysWeight,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerKind,
} from './optimizers';
export { learningRate, clipScale, checkSchedule, type Schedule } from './schedule';
export {
  createTrainState,
  trainStep,
  snapshotRows,
  disposeState,
  DEFAULT_CLIP_NORM,
  type StepReport,
  type TrainOptions,
  type TrainState,
} from './step';
export {
  accumulateRows,
  causeOf,
  classifyRows,
  countCauses,
  createRowStats,
  gradientRows,
  movedRows,
  reclassifyLegacy,
  orderByFrequency,
  rowTotals,
  smoothSeries,
  CAUSE_INDEX,
  MOVED_CAUSES,
  ROW_CAUSES,
  type CauseCounts,
  type GradientRows,
  type RowCause,
  type RowClassification,
  type RowFrame,
  type RowStats,
  type RowStepFacts,
  type RowTotals,
} from './rowCauses';
export { absentDrift, comparePrediction, type AbsentDrift, type PredictionOutcome } from './compare';
