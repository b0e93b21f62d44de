/** WordPiece vocabulary training, one merge at a time: count words, then merge pairs. */
export { countWords } from './countWords';
export { createWordPieceTrainer, type MergeStep, type StopReason, type WordPieceTrainer } from './trainer';
export { TrainerError, MERGE_SCORES, MERGE_SCORE_NAMES, type MergeScore } from './options';
export { coincidenceOf, likelihoodGain, type MergeCounts } from './likelihood';
export { approximateGain, scoresOf } from './stepScores';
