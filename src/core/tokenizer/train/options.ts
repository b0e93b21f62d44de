/** The trainer's options, their defaults, and the checks that reject a bad one before any work. */
import { SPECIAL_TOKENS } from '../specials';

/**
 * How a candidate merge (a, b) is ranked:
 * - `'likelihood'` (the default): WordPiece's criterion (Schuster and Nakajima, 2012), the exact
 *   gain in log-likelihood of the corpus under a unigram model of its tokens when the merge is made
 *   (likelihood.ts has the derivation). It weights how strongly a and b go together by how many
 *   tokens the merge removes, so frequent words fuse first.
 * - `'pmi'`: count(ab) / (count(a) · count(b)), the formula the Hugging Face course's WordPiece
 *   chapter popularised. It is the pointwise mutual information of the pair without the log and
 *   without the count weight: it favours pairs whose parts are rare on their own but seen together,
 *   however rarely: on the lab's built-in corpus its 1,000-token vocabulary leaves even "the" split.
 * - `'bpe'`: the plain frequency count(ab), as in byte-pair encoding.
 */
export type MergeScore = 'likelihood' | 'pmi' | 'bpe';

export const MERGE_SCORES: readonly MergeScore[] = ['likelihood', 'pmi', 'bpe'];

/** Short names for captions and file notes. */
export const MERGE_SCORE_NAMES: Readonly<Record<MergeScore, string>> = {
  likelihood: 'WordPiece likelihood gain',
  pmi: 'count(ab) / (count(a) · count(b))',
  bpe: 'BPE frequency',
};

/**
 * The id `'pmi'` had before `'likelihood'` became the default. No stored state carries a score id
 * today (saved sessions keep the vocabulary itself), but a caller or a JSON export written with the
 * old id still means the same ranking.
 */
export type LegacyMergeScore = 'wordpiece';

/** A score id as given, the old one included, or null when it names no score. */
function parseMergeScore(value: unknown): MergeScore | null {
  if (value === 'wordpiece') return 'pmi';
  return MERGE_SCORES.find((score) => score === value) ?? null;
}

export interface TrainerOptions {
  /** The vocabulary size to stop at, specials and alphabet included. */
  readonly vocabSize: number;
  /** Default `'likelihood'`; the old id `'wordpiece'` means `'pmi'`. */
  readonly score?: MergeScore | LegacyMergeScore;
  /**
   * Default 1. Characters seen fewer times than this in the corpus (summed word counts) stay out of
   * the alphabet, and the words that contain them stay out of training: they tokenize to [UNK].
   */
  readonly minCharFrequency?: number;
}

export interface ResolvedOptions {
  readonly vocabSize: number;
  readonly score: MergeScore;
  readonly minCharFrequency: number;
}

export class TrainerError extends Error {
  override name = 'TrainerError';
}

/** A vocabulary this large would not fit the embedding tables this app can train anyway. */
const MAX_VOCAB_SIZE = 100_000;
/** The smallest vocabulary is the specials alone. */
const MIN_VOCAB_SIZE = SPECIAL_TOKENS.length;

export function resolveOptions(options: TrainerOptions): ResolvedOptions {
  const { vocabSize, score: given = 'likelihood', minCharFrequency = 1 } = options;
  if (!Number.isInteger(vocabSize)) throw new TrainerError(`vocabSize must be an integer, not ${vocabSize}.`);
  if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
    throw new TrainerError(
      `vocabSize must be between ${MIN_VOCAB_SIZE} (the special tokens) and ${MAX_VOCAB_SIZE.toLocaleString('en-US')}, not ${vocabSize}.`,
    );
  }
  const score = parseMergeScore(given);
  if (score === null) {
    throw new TrainerError(
      `score must be one of ${MERGE_SCORES.map((s) => `'${s}'`).join(', ')}, not ${JSON.stringify(given)}.`,
    );
  }
  if (!Number.isInteger(minCharFrequency) || minCharFrequency < 1) {
    throw new TrainerError(`minCharFrequency must be a positive integer, not ${minCharFrequency}.`);
  }
  return { vocabSize, score, minCharFrequency };
}

/** Word counts come from outside (a Worker message, a test): check them before they skew a count. */
export function checkWordCounts(wordCounts: ReadonlyMap<string, number>): void {
  let total = 0;
  for (const [word, count] of wordCounts) {
    if (word === '') throw new TrainerError('A word to train on is empty.');
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new TrainerError(
        `The count of ${JSON.stringify(word)} must be a positive integer, not ${count}.`,
      );
    }
    total += count * word.length;
  }
  // Counts are summed and multiplied (count(a) · count(b)) in doubles; keep them exact.
  if (total > 2 ** 26) throw new TrainerError('The corpus is too large: over 67 million characters.');
}
