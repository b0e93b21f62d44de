/** WordPiece vocabulary training, one merge at a time: count words, then merge pairs. */
export { countWords } from './countWords';
export { mergedToken } from './merge';
export {
  createWordPieceTrainer,
  type MergeStep,
  type RunnerUp,
  type StopReason,
  type WordPieceTrainer,
} from './trainer';
export {
  TrainerError,
  MAX_VOCAB_SIZE,
  MIN_VOCAB_SIZE,
  MERGE_SCORES,
  MERGE_SCORE_NAMES,
  parseMergeScore,
  type MergeScore,
  type TrainerOptions,
} from './options';
export { coincidenceOf, likelihoodGain, type Coincidence, type MergeCounts } from './likelihood';
export { approximateGain, scoresOf } from './stepScores';
