/**
 * Chapter 7 ('vocab-size'): a row learns through the lookup only in steps whose batch holds its
 * token, so how often a row is seen decides how much it can learn. Two real measurements:
 *
 * 1. Vocabularies of S and factor·S tokens trained with the lab's WordPiece on the same corpus,
 *    and the corpus tokenized with each (the real tokenizer, word by word, weighted by the word's
 *    count): how many times each row occurs, and the share of rows seen fewer than `rareBelow`
 *    times. A bigger vocabulary holds rarer whole words, so more rows share fewer occurrences.
 * 2. The engine's own count of lookups per row over a run (RowStats.frequency) against each
 *    bert-base-uncased row's count in the corpus tokenized the same way.
 */
import { createBertTokenizer, SPECIAL_TOKENS } from '../tokenizer';
import { countWords, createWordPieceTrainer } from '../tokenizer/train';
import { count, median, num, percent, type LessonResult } from './result';

/** How many times each row of `vocab` occurs in the tokenized corpus: [V]. */
function rowOccurrences(wordCounts: ReadonlyMap<string, number>, vocab: readonly string[]): Uint32Array {
  const tokenizer = createBertTokenizer(vocab);
  const out = new Uint32Array(vocab.length);
  for (const [word, c] of wordCounts) for (const id of tokenizer.encode(word)) out[id]! += c;
  return out;
}

export interface VocabulariesRow {
  readonly vocabSize: number;
  /** Pieces the corpus becomes. */
  readonly tokens: number;
  readonly piecesPerWord: number;
  /** Rows (specials aside) occurring fewer than `rareBelow` times, never included. */
  readonly rare: number;
  readonly never: number;
  readonly rows: number;
  readonly medianOccurrences: number;
}

export interface VocabularyComparison {
  readonly rareBelow: number;
  readonly factor: number;
  readonly small: VocabulariesRow;
  readonly large: VocabulariesRow;
}

function measure(
  wordCounts: ReadonlyMap<string, number>,
  vocabSize: number,
  rareBelow: number,
  words: number,
): VocabulariesRow {
  const trainer = createWordPieceTrainer(wordCounts, { vocabSize });
  trainer.run(Infinity);
  const occurrences = rowOccurrences(wordCounts, trainer.vocab);
  // The specials never occur in running text; they are not rows a word can starve.
  const rows = Array.from(occurrences.subarray(SPECIAL_TOKENS.length));
  const tokens = rows.reduce((n, c) => n + c, 0);
  return {
    vocabSize: trainer.vocab.length,
    tokens,
    piecesPerWord: tokens / words,
    rare: rows.filter((c) => c < rareBelow).length,
    never: rows.filter((c) => c === 0).length,
    rows: rows.length,
    medianOccurrences: median(rows),
  };
}

/** Trains WordPiece to `vocabSize` and to `factor`·vocabSize on the corpus and compares the rows. */
export function compareVocabularies(
  corpusText: string,
  options: { readonly vocabSize: number; readonly factor: number; readonly rareBelow: number },
): VocabularyComparison {
  const wordCounts = countWords(corpusText);
  let words = 0;
  for (const c of wordCounts.values()) words += c;
  if (words === 0) throw new Error('The corpus has no words to train a vocabulary on.');
  const { vocabSize, factor, rareBelow } = options;
  return {
    rareBelow,
    factor,
    small: measure(wordCounts, vocabSize, rareBelow, words),
    large: measure(wordCounts, vocabSize * factor, rareBelow, words),
  };
}

/** Rows of one band of corpus frequency, and how the run looked them up. */
export interface LookupBand {
  /** Corpus occurrences, inclusive: [min, max]; max Infinity for the top band. */
  readonly min: number;
  readonly max: number;
  readonly rows: number;
  readonly lookedUp: number;
  /** Mean lookups per row of the band over the run. */
  readonly meanLookups: number;
}

export interface LookupStats {
  readonly steps: number;
  readonly vocabSize: number;
  /** Rows looked up at least once, specials aside. */
  readonly lookedUp: number;
  readonly bands: readonly LookupBand[];
  /** Rows that never occur in the corpus, and how many of them the run looked up anyway. */
  readonly absent: number;
  readonly absentLookedUp: number;
  /** Those looked-up absent rows, ascending. */
  readonly absentLookedUpRows: readonly number[];
}

const BANDS: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 9],
  [10, 99],
  [100, Infinity],
];

/**
 * The run's lookups per row (RowStats.frequency over `steps` steps) against each row's count in
 * the corpus tokenized with the same vocabulary. Specials are left out: [CLS], [SEP] and [MASK]
 * are in every batch whatever the corpus, [PAD] in every padded one.
 */
export function lookupsByFrequency(
  corpusText: string,
  vocab: readonly string[],
  frequency: ArrayLike<number>,
  steps: number,
): LookupStats {
  if (frequency.length !== vocab.length) throw new Error('The run and the vocabulary differ in size.');
  const corpus = rowOccurrences(countWords(corpusText), vocab);
  const special = new Set(SPECIAL_TOKENS.map((t) => vocab.indexOf(t)));
  const bands = BANDS.map(([min, max]) => ({ min, max, rows: 0, lookedUp: 0, lookups: 0 }));
  let lookedUp = 0;
  let absent = 0;
  const absentLookedUpRows: number[] = [];
  for (let r = 0; r < vocab.length; r++) {
    if (special.has(r)) continue;
    const seen = frequency[r]!;
    if (seen > 0) lookedUp++;
    const c = corpus[r]!;
    if (c === 0) {
      absent++;
      if (seen > 0) absentLookedUpRows.push(r);
      continue;
    }
    const band = bands.find((b) => c >= b.min && c <= b.max)!;
    band.rows++;
    band.lookups += seen;
    if (seen > 0) band.lookedUp++;
  }
  return {
    steps,
    vocabSize: vocab.length,
    lookedUp,
    bands: bands.map(({ min, max, rows, lookedUp: l, lookups }) => ({
      min,
      max,
      rows,
      lookedUp: l,
      meanLookups: rows === 0 ? 0 : lookups / rows,
    })),
    absent,
    absentLookedUp: absentLookedUpRows.length,
    absentLookedUpRows,
  };
}

export interface VocabSizeClaim {
  readonly comparison: VocabularyComparison;
  readonly lookups: LookupStats;
  /**
   * The larger vocabulary has a larger share of rare rows and a lower median count per row, and in
   * the run the most frequent band was looked up more per row than the once-seen band.
   */
  readonly holds: boolean;
}

function bandName(b: LookupBand): string {
  return b.max === Infinity
    ? `${count(b.min)} or more times`
    : b.min === b.max
      ? `once`
      : `${b.min}–${b.max} times`;
}

export function vocabSizeResult(
  comparison: VocabularyComparison,
  lookups: LookupStats,
): LessonResult<VocabSizeClaim> {
  const { small, large, rareBelow } = comparison;
  const share = (v: VocabulariesRow) => v.rare / v.rows;
  const once = lookups.bands[0]!;
  const top = lookups.bands.at(-1)!;
  const holds =
    share(large) > share(small) &&
    large.medianOccurrences < small.medianOccurrences &&
    top.meanLookups > once.meanLookups;
  const seen = lookups.bands.filter((b) => b.rows > 0);
  const rising = seen.every((b, i) => i === 0 || b.meanLookups > seen[i - 1]!.meanLookups);
  const bandText = seen
    .map((b) => `${num(b.meanLookups)} for the ${count(b.rows)} rows seen ${bandName(b)}`)
    .join(', ');
  const times = (n: number) => (n === 1 ? 'once' : `${num(n)} times`);
  const vocabText = (v: VocabulariesRow) =>
    `${count(v.vocabSize)} tokens cut it into ${count(v.tokens)} pieces (${num(v.piecesPerWord)} a word); the median row occurs ${times(v.medianOccurrences)}, and ${percent(v.rare, v.rows)} of rows fewer than ${rareBelow} times (${count(v.never)} never)`;
  const sentences = [
    `In ${lookups.steps} steps the engine looked up ${count(lookups.lookedUp)} of the ${count(lookups.vocabSize)} rows of E_token, the specials aside. ${rising ? 'Lookups per row rise with the row’s count in the corpus' : 'Lookups per row, by the row’s count in the corpus'}: ${bandText}.`,
    lookups.absentLookedUp > 0
      ? `${count(lookups.absent)} rows never occur in the corpus; ${count(lookups.absentLookedUp)} of them were looked up anyway, as the random tokens that replace a tenth of the masked slots.`
      : `${count(lookups.absent)} rows never occur in the corpus, and none of them was looked up.`,
    `On the built-in corpus, a WordPiece vocabulary of ${vocabText(small)}.`,
    `Asked for ${comparison.factor} times as many, ${vocabText(large)}.`,
  ];
  return {
    chapter: 'vocab-size',
    answer: holds ? 'starve' : null,
    sentences,
    claim: { comparison, lookups, holds },
  };
}
