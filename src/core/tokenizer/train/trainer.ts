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
import { initialSplits, type InitialWord } from './alphabet';
import { changedPairs, mergedToken, mergeInWord } from './merge';
import {
  checkWordCounts,
  resolveOptions,
  TrainerError,
  type MergeScore,
  type TrainerOptions,
} from './options';
import { PairTable } from './pairs';
import { rankPairs, type Candidate } from './scoring';
import { SymbolTable } from './symbols';

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
  return new Trainer(wordCounts, options);
}

/** What one merge did to the words that held its pair. */
interface WordsMerged {
  /** Distinct words whose split changed. */
  readonly wordsChanged: number;
  /** Occurrences replaced, weighted by word count. */
  readonly mergeCount: number;
}

class Trainer implements WordPieceTrainer {
  readonly initialPiecesPerWord: number;
  readonly droppedChars: readonly string[];
  readonly droppedWords: number;
  readonly wordCount: number;

  private readonly targetSize: number;
  private readonly scoreKind: MergeScore;
  private readonly likelihood: boolean;
  private readonly symbols = new SymbolTable();
  private readonly vocabList: string[];
  private readonly inVocab: Set<string>;
  // Copied on the first read after a change, not on every merge: a 100,000-token run that copied
  // the list each time would spend its time copying.
  private vocabSnapshot: readonly string[] | null = null;
  private readonly words: readonly InitialWord[];
  private readonly wordIndex: Map<string, number>;
  private readonly splits: number[][];
  private readonly pairs: PairTable;
  private totalWeight = 0;
  private totalPieces = 0;
  private stopReason: StopReason | null = null;
  private steps = 0;

  constructor(wordCounts: ReadonlyMap<string, number>, options: TrainerOptions) {
    const { vocabSize, score, minCharFrequency } = resolveOptions(options);
    checkWordCounts(wordCounts);
    const initial = initialSplits(wordCounts, minCharFrequency);
    this.targetSize = vocabSize;
    this.scoreKind = score;
    this.likelihood = score === 'likelihood';
    this.droppedChars = initial.droppedChars;
    this.droppedWords = initial.droppedWords;
    const symbols = this.symbols;
    for (const char of initial.alphabet) symbols.intern(char);

    this.vocabList = [...SPECIAL_TOKENS, ...initial.alphabet];
    this.inVocab = new Set(this.vocabList);

    const words = initial.words;
    this.words = words;
    this.wordCount = words.length;
    this.wordIndex = new Map(words.map((word, w) => [word.text, w]));
    this.splits = words.map((word) => word.symbols.map((text) => symbols.intern(text)));
    // The likelihood gain needs c(t) for the token t a pair makes, when t already exists.
    this.pairs = new PairTable(
      this.likelihood
        ? (left, right) => symbols.idOf(mergedToken(symbols.text[left]!, symbols.text[right]!)) ?? -1
        : undefined,
    );
    this.splits.forEach((split, w) => {
      const weight = words[w]!.count;
      for (const symbol of split) symbols.count[symbol]! += weight;
      this.pairs.addWord(w, split, weight);
      if (this.likelihood) symbols.countRuns(split, weight);
      this.totalWeight += weight;
      this.totalPieces += weight * split.length;
    });
    this.initialPiecesPerWord = this.piecesPerWord();
    this.checkStop();
  }

  get vocab(): readonly string[] {
    this.vocabSnapshot ??= this.vocabList.slice();
    return this.vocabSnapshot;
  }

  get stopped(): StopReason | null {
    return this.stopReason;
  }

  splitOf(word: string): readonly string[] | undefined {
    const w = this.wordIndex.get(word);
    return w === undefined ? undefined : this.splits[w]!.map((symbol) => this.symbols.text[symbol]!);
  }

  run(maxSteps: number): MergeStep[] {
    if (!(maxSteps >= 0) || (!Number.isInteger(maxSteps) && maxSteps !== Infinity)) {
      throw new TrainerError(`run() takes a non-negative whole number of steps, not ${maxSteps}.`);
    }
    const done: MergeStep[] = [];
    for (let made = 0; made < maxSteps; made++) {
      const next = this.step();
      if (next === null) break;
      done.push(next);
    }
    return done;
  }

  step(): MergeStep | null {
    if (this.stopReason !== null) return null;
    const { symbols, pairs } = this;
    const epoch = this.steps + 1;
    pairs.epoch = epoch;
    const { best, runnerUp } = rankPairs(this.scoreKind, {
      slots: pairs.slots(),
      symbolCount: symbols.count,
      symbolChanged: symbols.changed,
      selfMerges: symbols.selfMerges,
      total: this.totalPieces,
      epoch,
      sortsBefore: symbols.sortsBefore,
    });
    const { left, right } = best;
    const leftCount = symbols.count[left]!;
    const rightCount = symbols.count[right]!;
    const totalTokens = this.totalPieces;
    const token = mergedToken(symbols.text[left]!, symbols.text[right]!);
    const isNew = symbols.idOf(token) === undefined;
    const merged = symbols.intern(token);
    const tokenCount = symbols.count[merged]!;
    if (this.likelihood && isNew) this.linkNewSymbol(token, merged);

    // The gain was computed for this many merges; the words below must make exactly that many.
    const expectedMerges = left === right ? symbols.selfMerges[left]! : best.count;
    const { wordsChanged, mergeCount } = this.mergeWords(left, right, merged);

    // count(ab) > 0 promises at least one word to change; if none did, the counts are corrupt and
    // the same pair would win forever. Fail loudly rather than hang a Worker.
    if (wordsChanged === 0) throw new Error(`Trainer bookkeeping lost the pair (${token}).`);
    if (this.likelihood && mergeCount !== expectedMerges) {
      throw new Error(`Trainer bookkeeping: ${token} made ${mergeCount} merges, not ${expectedMerges}.`);
    }
    symbols.changed[left] = symbols.changed[right] = symbols.changed[merged] = epoch;
    this.addToVocab(token);
    this.steps++;
    this.checkStop();
    return {
      step: this.steps,
      pair: [symbols.text[left]!, symbols.text[right]!],
      token,
      score: best.score,
      pairCount: best.count,
      leftCount,
      rightCount,
      mergeCount,
      tokenCount,
      totalTokens,
      runnerUp: runnerUp && this.describe(runnerUp),
      wordsChanged,
      vocabSize: this.vocabList.length,
      piecesPerWord: this.piecesPerWord(),
    };
  }

  /** Replaces (left, right) by `merged` in every word that holds it, keeping every count current. */
  private mergeWords(left: number, right: number, merged: number): WordsMerged {
    const { symbols, pairs, splits, words, likelihood } = this;
    const count = symbols.count;
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
        symbols.countRuns(before, -weight);
        symbols.countRuns(merge.symbols, weight);
      }
      // Each site turns one a and one b into one ab: the word is one piece shorter per site.
      const times = weight * merge.sites.length;
      mergeCount += times;
      count[left]! -= times;
      count[right]! -= times;
      count[merged]! += times;
      splits[w] = merge.symbols;
      wordsChanged++;
    }
    this.totalPieces -= mergeCount;
    return { wordsChanged, mergeCount };
  }

  /**
   * The merged token may already be in the vocabulary: a word spelled "[MASK]", passed in directly
   * rather than through countWords (which lowercases), ends in a merge that makes the special
   * token. The merge still applies; the vocabulary keeps one copy.
   */
  private addToVocab(token: string): void {
    if (this.inVocab.has(token)) return;
    this.vocabList.push(token);
    this.inVocab.add(token);
    this.vocabSnapshot = null;
  }

  /**
   * A merge that makes a new symbol t: pairs already live that would also make t (another split of
   * the same string) now make an existing token, whose count enters their likelihood gain.
   */
  private linkNewSymbol(token: string, symbol: number): void {
    for (let i = 1; i < token.length; i++) {
      const left = this.symbols.idOf(token.slice(0, i));
      const right = this.symbols.idOf(CONTINUATION_PREFIX + token.slice(i));
      if (left !== undefined && right !== undefined) this.pairs.setMakes(left, right, symbol);
    }
  }

  private describe({ left, right, score, count }: Candidate): RunnerUp {
    const text = this.symbols.text;
    return {
      pair: [text[left]!, text[right]!],
      token: mergedToken(text[left]!, text[right]!),
      score,
      pairCount: count,
    };
  }

  private checkStop(): void {
    if (this.vocabList.length >= this.targetSize) this.stopReason = 'target';
    else if (this.pairs.size === 0) this.stopReason = 'exhausted';
  }

  // An empty corpus has no words to average over; call it 0 pieces rather than NaN.
  private piecesPerWord(): number {
    return this.totalWeight === 0 ? 0 : this.totalPieces / this.totalWeight;
  }
}
