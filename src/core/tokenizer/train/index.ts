/** WordPiece vocabulary training, one merge at a time: count words, then merge pairs. */
export { countWords } from './countWords';
export {
  createWordPieceTrainer,
  mergedToken,
  type MergeStep,
  type StopReason,
  type WordPieceTrainer,
} from './trainer';
export {
  TrainerError,
  MAX_VOCAB_SIZE,
  MIN_VOCAB_SIZE,
  type MergeScore,
  type TrainerOptions,
} from './options';
