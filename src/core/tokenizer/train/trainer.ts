/**
 * A WordPiece vocabulary trainer that can be stepped one merge at a time, following the Hugging
 * Face course's description of WordPiece training ("WordPiece tokenization", chapter 6):
 *
 *   1. split every corpus word into characters, [c0, ##c1, ##c2, ...]; the vocabulary starts as the
 *      special tokens plus this alphabet;
 *   2. score every adjacent pair (a, b) of the current splits, counts weighted by word frequency;
 *   3. merge the best pair everywhere, add the merged token, and repeat until the vocabulary has
 *      the size asked for or every word is a single token.
 *
 * The default score is WordPiece's own (Schuster and Nakajima, 2012): the gain in the corpus's
 * log-likelihood under a unigram model of its tokens (likelihood.ts). The course's chapter scores
 * with count(ab) / (count(a) · count(b)) instead (`score: 'pmi'`), which drops the count weight of
 * that gain and learns fragments of rare words before whole common ones. The library trainer in
 * Hugging Face `tokenizers` is different again: its WordPieceTrainer runs BPE (plain pair
 * frequency) with a "##" prefix (`score: 'bpe'`).
 *
 * Counts are kept up to date merge by merge (see pairs.ts), so a merge costs time in proportion to
 * the words it touches plus one scan over the live pairs to find the best.
 *
 * Words longer than 100 characters are trained on like any other, as in Hugging Face, although
 * the tokenizer turns them into a single [UNK] (MAX_INPUT_CHARS_PER_WORD) whatever the vocabulary.
 */
import { CONTINUATION_PREFIX, SPECIAL_TOKENS } from '../specials';
import { byPlainOrder, initialSplits } from './alphabet';
import { changedPairs, mergedToken, mergeInWord } from './merge';
import { checkWordCounts, resolveOptions, TrainerError, type TrainerOptions } from './options';
import { MAX_SYMBOLS, PairTable } from './pairs';
import { rankPairs, type Candidate } from './scoring';

/** The pair that came second under the same score, when the merge was chosen. */
export interface RunnerUp {
  readonly pair: readonly [string, string];
  readonly token: string;
  readonly score: number;
  /** count(ab). */
  readonly pairCount: number;
}

export interface MergeStep {
  /** 1-based merge number. */
  readonly step: number;
  readonly pair: readonly [string, string];
  /** The new token. */
  readonly token: string;
  /** The value of the trainer's score for this pair. */
  readonly score: number;
  /** count(ab): adjacent occurrences of the pair, (a, a, a) holding two of (a, a). */
  readonly pairCount: number;
  /** count(a) before the merge. */
  readonly leftCount: number;
  /** count(b) before the merge. */
  readonly rightCount: number;
  /** Occurrences replaced: count(ab), or fewer for (a, a) where runs of three or more overlap. */
  readonly mergeCount: number;
  /** How often the merged token already occurred before the merge (almost always 0). */
  readonly tokenCount: number;
  /** N: tokens in the corpus (word count-weighted) before the merge. */
  readonly totalTokens: number;
  readonly runnerUp: RunnerUp | null;
  /** Distinct words whose split changed. */
  readonly wordsChanged: number;
  /** Vocabulary size after the merge (unchanged when the merged token was already in it). */
  readonly vocabSize: number;
  /** Frequency-weighted average number of pieces per training word, after the merge. */
  readonly piecesPerWord: number;
}

/** 'target': the vocabulary reached `vocabSize`; 'exhausted': every word is a single token. */
export type StopReason = 'target' | 'exhausted';

export interface WordPieceTrainer {
  /** Makes one merge; null once stopped. */
  step(): MergeStep | null;
  /** Makes up to `maxSteps` merges (Infinity: until stopped). */
  run(maxSteps: number): MergeStep[];
  /**
   * Specials, then the alphabet (plain string order), then merged tokens in merge order. Each
   * read returns the same array until the next merge adds a token; that array never changes, so
   * `createBertTokenizer`, which caches by array identity, sees every vocabulary as it was.
   */
  readonly vocab: readonly string[];
  readonly stopped: StopReason | null;
  readonly initialPiecesPerWord: number;
  /** Characters below `minCharFrequency`, plain string order. */
  readonly droppedChars: readonly string[];
  /** Distinct words left out of training because they contain a dropped character. */
  readonly droppedWords: number;
  /** Distinct words trained on. */
  readonly wordCount: number;
  /** The current training split of a corpus word; undefined for words not trained on. */
  splitOf(word: string): readonly string[] | undefined;
}

export function createWordPieceTrainer(
  wordCounts: ReadonlyMap<string, number>,
  options: TrainerOptions,
): WordPieceTrainer {
  const { vocabSize: targetSize, score: scoreKind, minCharFrequency } = resolveOptions(options);
  checkWordCounts(wordCounts);
  const initial = initialSplits(wordCounts, minCharFrequency);

  // Symbols are the strings that occur in splits, by integer id. The same string always gets the
  // same id, even when two different merges make it. count(x) is the weighted number of times
  // symbol x occurs in the current splits.
  const symbolText: string[] = [];
  const symbolIds = new Map<string, number>();
  const symbolCount: number[] = [];
  // For the likelihood score (scoring.ts): the merge in which count(x) last changed, and for the
  // pair (x, x) the number of merges it would make.
  const symbolChanged: number[] = [];
  const selfMerges: number[] = [];
  const likelihood = scoreKind === 'likelihood';
  const intern = (text: string): number => {
    let id = symbolIds.get(text);
    if (id === undefined) {
      id = symbolText.length;
      if (id >= MAX_SYMBOLS) throw new TrainerError('Too many distinct symbols.');
      symbolText.push(text);
      symbolIds.set(text, id);
      symbolCount.push(0);
      symbolChanged.push(0);
      selfMerges.push(0);
    }
    return id;
  };
  initial.alphabet.forEach(intern);

  const vocab: string[] = [...SPECIAL_TOKENS, ...initial.alphabet];
  const inVocab = new Set(vocab);
  // Copied on the first read after a change, not on every merge: a 100,000-token run that copied
  // the list each time would spend its time copying.
  let vocabSnapshot: readonly string[] | null = null;

  const words = initial.words;
  const wordIndex = new Map(words.map((word, w) => [word.text, w]));
  const splits: number[][] = words.map((word) => word.symbols.map(intern));
  // The likelihood gain needs c(t) for the token t a pair makes, when t already exists.
  const pairs = new PairTable(
    likelihood
      ? (left, right) => symbolIds.get(mergedToken(symbolText[left]!, symbolText[right]!)) ?? -1
      : undefined,
  );
  /** Adds `weight` · ⌊r / 2⌋ to selfMerges[x] for each run of r ≥ 2 equal symbols x. */
  const countRuns = (split: readonly number[], weight: number): void => {
    for (let i = 0; i + 1 < split.length;) {
      let end = i + 1;
      while (end < split.length && split[end] === split[i]) end++;
      if (end - i >= 2) selfMerges[split[i]!]! += weight * Math.floor((end - i) / 2);
      i = end;
    }
  };
  let totalWeight = 0;
  let totalPieces = 0;
  splits.forEach((split, w) => {
    const weight = words[w]!.count;
    for (const symbol of split) symbolCount[symbol]! += weight;
    pairs.addWord(w, split, weight);
    if (likelihood) countRuns(split, weight);
    totalWeight += weight;
    totalPieces += weight * split.length;
  });
  // An empty corpus has no words to average over; call it 0 pieces rather than NaN.
  const piecesPerWord = (): number => (totalWeight === 0 ? 0 : totalPieces / totalWeight);
  const initialPiecesPerWord = piecesPerWord();

  let stopped: StopReason | null = null;
  let steps = 0;
  const checkStop = (): void => {
    if (vocab.length >= targetSize) stopped = 'target';
    else if (pairs.size === 0) stopped = 'exhausted';
  };
  checkStop();

  function sortsBefore(left: number, right: number, otherLeft: number, otherRight: number): boolean {
    const byLeft = byPlainOrder(symbolText[left]!, symbolText[otherLeft]!);
    if (byLeft !== 0) return byLeft < 0;
    return byPlainOrder(symbolText[right]!, symbolText[otherRight]!) < 0;
  }

  const describe = ({ left, right, score, count }: Candidate): RunnerUp => ({
    pair: [symbolText[left]!, symbolText[right]!],
    token: mergedToken(symbolText[left]!, symbolText[right]!),
    score,
    pairCount: count,
  });

  /**
   * A merge that makes a new symbol t: pairs already live that would also make t (another split of
   * the same string) now make an existing token, whose count enters their likelihood gain.
   */
  function linkNewSymbol(token: string, symbol: number): void {
    for (let i = 1; i < token.length; i++) {
      const left = symbolIds.get(token.slice(0, i));
      const right = symbolIds.get(CONTINUATION_PREFIX + token.slice(i));
      if (left !== undefined && right !== undefined) pairs.setMakes(left, right, symbol);
    }
  }

  function step(): MergeStep | null {
    if (stopped !== null) return null;
    const epoch = steps + 1;
    pairs.epoch = epoch;
    const { best, runnerUp } = rankPairs(scoreKind, {
      slots: pairs.slots(),
      symbolCount,
      symbolChanged,
      selfMerges,
      total: totalPieces,
      epoch,
      sortsBefore,
    });
    const { left, right } = best;
    const leftCount = symbolCount[left]!;
    const rightCount = symbolCount[right]!;
    const totalTokens = totalPieces;
    const token = mergedToken(symbolText[left]!, symbolText[right]!);
    const isNew = !symbolIds.has(token);
    const merged = intern(token);
    const tokenCount = symbolCount[merged]!;
    if (likelihood && isNew) linkNewSymbol(token, merged);

    // The gain was computed for this many merges; the words below must make exactly that many.
    const expectedMerges = left === right ? selfMerges[left]! : best.count;
    let wordsChanged = 0;
    let mergeCount = 0;
    for (const w of pairs.takeWords(left, right)) {
      const before = splits[w]!;
      const merge = mergeInWord(before, left, right, merged);
      if (merge === null) continue;
      const weight = words[w]!.count;
      const { removed, added } = changedPairs(before, merge);
      for (let i = 0; i < removed.length; i += 2) pairs.subtract(removed[i]!, removed[i + 1]!, weight);
      for (let i = 0; i < added.length; i += 2) pairs.add(added[i]!, added[i + 1]!, w, weight);
      if (likelihood) {
        countRuns(before, -weight);
        countRuns(merge.symbols, weight);
      }
      // Each site turns one a and one b into one ab: the word is one piece shorter per site.
      const times = weight * merge.sites.length;
      mergeCount += times;
      symbolCount[left]! -= times;
      symbolCount[right]! -= times;
      symbolCount[merged]! += times;
      totalPieces -= times;
      splits[w] = merge.symbols;
      wordsChanged++;
    }

    // count(ab) > 0 promises at least one word to change; if none did, the counts are corrupt and
    // the same pair would win forever. Fail loudly rather than hang a Worker.
    if (wordsChanged === 0) throw new Error(`Trainer bookkeeping lost the pair (${token}).`);
    if (likelihood && mergeCount !== expectedMerges) {
      throw new Error(`Trainer bookkeeping: ${token} made ${mergeCount} merges, not ${expectedMerges}.`);
    }
    symbolChanged[left] = symbolChanged[right] = symbolChanged[merged] = epoch;

    // The merged token may already be in the vocabulary: a word spelled "[MASK]", passed in
    // directly rather than through countWords (which lowercases), ends in a merge that makes the
    // special token. The merge still applies; the vocabulary keeps one copy.
    if (!inVocab.has(token)) {
      vocab.push(token);
      inVocab.add(token);
      vocabSnapshot = null;
    }
    steps++;
    checkStop();
    return {
      step: steps,
      pair: [symbolText[left]!, symbolText[right]!],
      token,
      score: best.score,
      pairCount: best.count,
      leftCount,
      rightCount,
      mergeCount,
      tokenCount,
      totalTokens,
      runnerUp: runnerUp && describe(runnerUp),
      wordsChanged,
      vocabSize: vocab.length,
      piecesPerWord: piecesPerWord(),
    };
  }

  return {
    step,
    run(maxSteps) {
      if (!(maxSteps >= 0) || (!Number.isInteger(maxSteps) && maxSteps !== Infinity)) {
        throw new TrainerError(`run() takes a non-negative whole number of steps, not ${maxSteps}.`);
      }
      const done: MergeStep[] = [];
      for (let made = 0; made < maxSteps; made++) {
        const next = step();
        if (next === null) break;
        done.push(next);
      }
      return done;
    },
    get vocab() {
      vocabSnapshot ??= vocab.slice();
      return vocabSnapshot;
    },
    get stopped() {
      return stopped;
    },
    initialPiecesPerWord,
    droppedChars: initial.droppedChars,
    droppedWords: initial.droppedWords,
    wordCount: words.length,
    splitOf(word) {
      const w = wordIndex.get(word);
      return w === undefined ? undefined : splits[w]!.map((symbol) => symbolText[symbol]!);
    },
  };
}
