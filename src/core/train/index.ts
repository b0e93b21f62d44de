/** Pretraining: corpus parsing, BERT's masked-LM / next-sentence data, loss, optimizers, one step. */
export { parseCorpus } from './corpus';
export { createPretrainingData, type PretrainingBatch, type PretrainingData } from './pretraining-data';
export { computeGradients, disposeGradients } from './gradients';
export { defaultOptimizerConfig } from './optimizers';
export {
  createTrainState,
  trainStep,
  snapshotRows,
  disposeState,
  DEFAULT_CLIP_NORM,
  type TrainState,
} from './step';
export type { StepReport } from './stepReport';
export { accumulateRows, createRowStats, ROW_CAUSES, type RowFrame, type RowStats } from './rowCauses';
export { absentDrift } from './compare';
