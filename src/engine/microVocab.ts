/**
 * The vocabulary the micro preset trains on when the page gives none: WordPiece on the corpus, with
 * the trainer's default score (the likelihood gain), so frequent words such as "the" are one token.
 */
import { countWords, createWordPieceTrainer } from '../core/tokenizer/train';

/** Size of the vocabulary trained on the corpus when none is given. */
export const DEFAULT_MICRO_VOCAB_SIZE = 1000;

/**
 * Trains it in slices of 50 merges, telling `onProgress` the size so far, so the page can show how
 * far it is; the result is the same as one uninterrupted run.
 */
export function defaultVocab(
  corpus: string,
  onProgress: (size: number, target: number) => void = () => {},
): readonly string[] {
  const trainer = createWordPieceTrainer(countWords(corpus), { vocabSize: DEFAULT_MICRO_VOCAB_SIZE });
  while (trainer.stopped === null && trainer.run(50).length > 0) {
    onProgress(trainer.vocab.length, DEFAULT_MICRO_VOCAB_SIZE);
  }
  return trainer.vocab;
}
