/**
 * Chapter 1 ('wordpiece'): the vocabulary is trained before BERT, by its own algorithm. We train
 * the lab's WordPiece (core/tokenizer/train, likelihood gain, as the Vocabulary view does) on the
 * built-in corpus and note the merge at which each corpus word first becomes a single token; then
 * tokenize the chapter's words and sentence with the trained vocabulary and with bert-base-uncased.
 *
 * A word is "whole" once a merge makes the token spelled as the word (without "##"): WordPiece's
 * greedy longest match then takes the whole word at once. One-letter words ("a", "i") are whole
 * from the start, as the alphabet, and are left out of the order.
 */
import { createBertTokenizer } from '../tokenizer';
import { countWords, createWordPieceTrainer, type MergeStep } from '../tokenizer/train';
import { count, type LessonResult } from './result';

export interface WordpieceOptions {
  readonly vocabSize: number;
  readonly words: readonly string[];
  readonly sentence: string;
  /** How many of the first whole words to report. Default 10. */
  readonly firstWords?: number;
}

export interface WholeWord {
  readonly word: string;
  /** The merge that made it. */
  readonly step: number;
  /** Occurrences in the corpus. */
  readonly count: number;
  /** 1 for the corpus's most frequent word (ties share the better rank). */
  readonly rank: number;
}

export interface WordSplit {
  readonly word: string;
  readonly count: number;
  /** With the vocabulary trained here, and with bert-base-uncased. */
  readonly trained: readonly string[];
  readonly bert: readonly string[];
}

export interface WordpieceClaim {
  readonly vocabSize: number;
  readonly merges: number;
  readonly distinctWords: number;
  readonly corpusWords: number;
  /** The first whole words, in merge order. */
  readonly firstWhole: readonly WholeWord[];
  /** Share of the 50 most frequent (of the once-seen) words that end as one token. */
  readonly topWhole: number;
  readonly onceWhole: number;
  readonly onceWords: number;
  readonly words: readonly WordSplit[];
  readonly sentence: { readonly trained: readonly string[]; readonly bert: readonly string[] };
  /**
   * Every one of the first whole words is among the 50 most frequent, and the 50 most frequent end
   * whole at least twice as often as the words seen once. (Further on, a merge can make a rarer
   * word on the way to a frequent one: on the built-in corpus "ever" comes 11th, a step to "every".)
   */
  readonly holds: boolean;
}

export interface WordpieceResult extends LessonResult<WordpieceClaim> {
  /** Every merge, in order, for the page to replay. */
  readonly steps: readonly MergeStep[];
  /** The trained vocabulary. */
  readonly vocab: readonly string[];
}

/** Frequency ranks: 1 for the most frequent word, ties sharing the better rank. */
function ranks(counts: ReadonlyMap<string, number>): Map<string, number> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const out = new Map<string, number>();
  sorted.forEach(([word, c], i) =>
    out.set(word, i > 0 && sorted[i - 1]![1] === c ? out.get(sorted[i - 1]![0])! : i + 1),
  );
  return out;
}

function wholeShare(words: readonly string[], isWhole: (w: string) => boolean): number {
  return words.length === 0 ? 0 : words.filter(isWhole).length / words.length;
}

export function wordpieceLesson(
  corpusText: string,
  bertVocab: readonly string[],
  options: WordpieceOptions,
): WordpieceResult {
  const counts = countWords(corpusText);
  const rank = ranks(counts);
  const trainer = createWordPieceTrainer(counts, { vocabSize: options.vocabSize });
  const steps = trainer.run(Infinity);
  const firstWhole: WholeWord[] = [];
  for (const s of steps) {
    if (firstWhole.length >= (options.firstWords ?? 10)) break;
    const c = counts.get(s.token);
    if (c !== undefined && s.token.length > 1)
      firstWhole.push({ word: s.token, step: s.step, count: c, rank: rank.get(s.token)! });
  }
  const trained = createBertTokenizer(trainer.vocab);
  const bert = createBertTokenizer(bertVocab);
  // countWords's words are normalized and pre-tokenized already, and WordPiece's longest match
  // takes a word whole exactly when the vocabulary holds it: a set lookup, not a tokenization.
  const inVocab = new Set(trainer.vocab);
  const isWhole = (w: string) => inVocab.has(w);
  const byCount = [...counts].sort((a, b) => b[1] - a[1]);
  const top = byCount.slice(0, 50).map(([w]) => w);
  const once = byCount.filter(([, c]) => c === 1).map(([w]) => w);
  let corpusWords = 0;
  for (const c of counts.values()) corpusWords += c;
  const claim: WordpieceClaim = {
    vocabSize: trainer.vocab.length,
    merges: steps.length,
    distinctWords: counts.size,
    corpusWords,
    firstWhole,
    topWhole: wholeShare(top, isWhole),
    onceWhole: wholeShare(once, isWhole),
    onceWords: once.length,
    words: options.words.map((word) => ({
      word,
      count: counts.get(word) ?? 0,
      trained: trained.tokenize(word),
      bert: bert.tokenize(word),
    })),
    sentence: { trained: trained.tokenize(options.sentence), bert: bert.tokenize(options.sentence) },
    holds: false,
  };
  const holds =
    firstWhole.length > 0 && firstWhole.every((w) => w.rank <= 50) && claim.topWhole >= 2 * claim.onceWhole;
  const final = { ...claim, holds };
  return {
    chapter: 'wordpiece',
    answer: holds ? 'frequent' : null,
    sentences: sentencesOf(final),
    claim: final,
    steps,
    vocab: trainer.vocab,
  };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
const pieces = (p: readonly string[]) => p.join(' ');

function sentencesOf(c: WordpieceClaim): string[] {
  const first = c.firstWhole
    .slice(0, 6)
    .map((w) => `"${w.word}" (merge ${w.step}, ${count(w.count)} times, rank ${w.rank})`);
  const trained = `Trained to ${count(c.vocabSize)} tokens (${count(c.merges)} merges) on ${count(c.corpusWords)} words of the built-in corpus (${count(c.distinctWords)} distinct)`;
  const out = [
    first.length > 0
      ? `${trained}, the first words to become single tokens were ${first.join(', ')}.`
      : `${trained}, no word of two or more letters became a single token.`,
    `At the end, ${pct(c.topWhole)} of the 50 most frequent words are single tokens, against ${pct(c.onceWhole)} of the ${count(c.onceWords)} words seen only once: rare words stay split.`,
  ];
  for (const w of c.words)
    out.push(
      `"${w.word}" (${w.count === 0 ? 'not in the corpus' : `${count(w.count)} in the corpus`}): ${pieces(w.trained)} here; ${pieces(w.bert)} in bert-base-uncased.`,
    );
  return out;
}
