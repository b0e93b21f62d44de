import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../math/rng';
import { createBertTokenizer } from '../index';
import {
  coincidenceOf,
  countWords,
  createWordPieceTrainer,
  likelihoodGain,
  type MergeScore,
  type MergeStep,
  type WordPieceTrainer,
} from './index';
import { charactersOf, mergeSplit } from './test/fixtures';

const SENTENCES = readFileSync(
  join(import.meta.dirname, '..', '..', '..', '..', 'scripts', 'fixtures', 'sentences.txt'),
  'utf8',
);

function randomCorpus(seed: number, letters: readonly string[]): Map<string, number> {
  const rng = new Rng(seed);
  const pick = (n: number) => rng.int(n);
  const corpus = new Map<string, number>();
  for (let i = 2 + pick(10); i > 0; i--) {
    let word = '';
    for (let k = 1 + pick(8); k > 0; k--) word += letters[pick(letters.length)]!;
    corpus.set(word, 1 + pick(9));
  }
  return corpus;
}

/**
 * The algorithm written the slow, obvious way: recount every symbol, pair and run of every word
 * before each merge, and score every pair from scratch. The trainer's incremental counts (and, for
 * the likelihood gain, its skipping of pairs whose stale gain cannot win) must agree with it step
 * for step, runner-up included.
 */
function naiveTraining(
  corpus: ReadonlyMap<string, number>,
  score: MergeScore,
  vocabSize: number,
  maxSteps = Infinity,
): MergeStep[] {
  const splits = new Map([...corpus.keys()].map((w) => [w, charactersOf(w)]));
  const vocab = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...[...splits.values()].flat()]);
  const total = [...corpus.values()].reduce((a, b) => a + b, 0);
  const steps: MergeStep[] = [];
  const merged = (a: string, b: string) => a + (b.startsWith('##') ? b.slice(2) : b);
  while (vocab.size < vocabSize && steps.length < maxSteps) {
    const symbols = new Map<string, number>();
    const pairs = new Map<string, { a: string; b: string; count: number }>();
    // (x, x) merges left to right without overlap: a run of r x's makes ⌊r / 2⌋ merges.
    const selfMerges = new Map<string, number>();
    let tokens = 0;
    for (const [word, split] of splits) {
      const n = corpus.get(word)!;
      tokens += n * split.length;
      split.forEach((s, i) => {
        symbols.set(s, (symbols.get(s) ?? 0) + n);
        if (s !== split[i - 1]) {
          let run = 1;
          while (split[i + run] === s) run++;
          if (run > 1) selfMerges.set(s, (selfMerges.get(s) ?? 0) + n * Math.floor(run / 2));
        }
        const b = split[i + 1];
        if (b === undefined) return;
        const pair = pairs.get(`${s}\u0000${b}`) ?? { a: s, b, count: 0 };
        pair.count += n;
        pairs.set(`${s}\u0000${b}`, pair);
      });
    }
    const scoreOf = ({ a, b, count }: { a: string; b: string; count: number }): number => {
      if (score === 'bpe') return count;
      if (score === 'pmi') return count / (symbols.get(a)! * symbols.get(b)!);
      return likelihoodGain({
        left: symbols.get(a)!,
        right: symbols.get(b)!,
        merges: a === b ? selfMerges.get(a)! : count,
        token: symbols.get(merged(a, b)) ?? 0,
        total: tokens,
        coincidence: coincidenceOf(a, b),
      });
    };
    const scored = [...pairs.values()].map((p) => ({ ...p, score: scoreOf(p) }));
    if (scored.length === 0) break;
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    scored.sort((x, y) => y.score - x.score || y.count - x.count || cmp(x.a, y.a) || cmp(x.b, y.b));
    const { a, b, count, score: best } = scored[0]!;
    const second = scored[1];
    const token = merged(a, b);
    let wordsChanged = 0;
    let pieces = 0;
    for (const [word, split] of splits) {
      const after = mergeSplit(split, a, b, token);
      if (after.length !== split.length) wordsChanged++;
      splits.set(word, after);
      pieces += after.length * corpus.get(word)!;
    }
    vocab.add(token);
    steps.push({
      step: steps.length + 1,
      pair: [a, b],
      token,
      score: best,
      pairCount: count,
      leftCount: symbols.get(a)!,
      rightCount: symbols.get(b)!,
      mergeCount: tokens - pieces,
      tokenCount: symbols.get(token) ?? 0,
      totalTokens: tokens,
      runnerUp: second
        ? {
            pair: [second.a, second.b],
            token: merged(second.a, second.b),
            score: second.score,
            pairCount: second.count,
          }
        : null,
      wordsChanged,
      vocabSize: vocab.size,
      piecesPerWord: pieces / total,
    });
  }
  return steps;
}

/** Frequency-weighted pieces per word, recomputed from the trainer's own splits. */
function piecesPerWordOf(trainer: WordPieceTrainer, corpus: ReadonlyMap<string, number>): number {
  let pieces = 0;
  let words = 0;
  for (const [word, count] of corpus) {
    const split = trainer.splitOf(word);
    if (split === undefined) continue;
    pieces += split.length * count;
    words += count;
  }
  return pieces / words;
}

describe('createWordPieceTrainer, properties', () => {
  it('keeps the same counts and picks as a from-scratch recount, merge after merge, on random corpora', () => {
    // Two letters make long runs such as "##a ##a ##a" (overlapping (a, a) pairs); "#" makes words
    // like "###aa" whose merges remake tokens that already occur (c(t) > 0).
    const alphabets = [
      ['a', 'b', 'c', 'é', '😀'],
      ['a', 'b'],
      ['a', 'b', '#'],
    ];
    const seen = { overlapping: 0, remade: 0 };
    for (let seed = 1; seed <= 60; seed++) {
      for (const letters of alphabets) {
        const corpus = randomCorpus(seed, letters);
        for (const score of ['likelihood', 'pmi', 'bpe'] as const) {
          const steps = createWordPieceTrainer(corpus, { vocabSize: 60, score }).run(Infinity);
          expect(steps, `seed ${seed}, ${letters.join('')}, ${score}`).toEqual(
            naiveTraining(corpus, score, 60),
          );
          seen.overlapping += steps.filter((s) => s.mergeCount < s.pairCount).length;
          seen.remade += steps.filter((s) => s.tokenCount > 0).length;
        }
      }
    }
    // The corner cases of the likelihood gain were exercised, not just allowed for.
    expect(seen.overlapping).toBeGreaterThan(50);
    expect(seen.remade).toBeGreaterThan(50);
  });

  it('rescores live pairs that make a token another merge has just created', () => {
    // "#####" starts as # ### ### ### ###: (###, ###) makes "####", and (#, ###) makes "##";
    // later pairs such as (##, ###) make "###", which "a###" holds from the start.
    const corpus = new Map([
      ['###a', 2],
      ['a', 2],
      ['a###', 1],
      ['#####', 8],
      ['aa', 2],
    ]);
    const steps = createWordPieceTrainer(corpus, { vocabSize: 60 }).run(Infinity);
    expect(steps).toEqual(naiveTraining(corpus, 'likelihood', 60));
    expect(steps.some((s) => s.tokenCount > 0)).toBe(true);
  });

  it('picks the same likelihood merges as a full recomputation of every gain on real text', () => {
    // On a real corpus most pairs' stale gains are skipped; none of the skipped ones may have won.
    const corpus = countWords(SENTENCES);
    const steps = createWordPieceTrainer(corpus, { vocabSize: 2000 }).run(250);
    expect(steps).toEqual(naiveTraining(corpus, 'likelihood', 2000, 250));
  });

  it('gives identical steps for the same corpus, whatever the order of the word map', () => {
    const corpus = countWords(SENTENCES);
    const reversed = new Map([...corpus].reverse());
    const byLength = new Map([...corpus].sort(([a], [b]) => b.length - a.length));
    const runs = [corpus, corpus, reversed, byLength].map((words) => {
      const trainer = createWordPieceTrainer(words, { vocabSize: 600 });
      return { steps: trainer.run(Infinity), vocab: trainer.vocab };
    });
    expect(runs[0]!.steps).toHaveLength(600 - runs[0]!.steps[0]!.vocabSize + 1);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  });

  it('tokenizes its own training corpus with no [UNK], before, during and after training', () => {
    const trainer = createWordPieceTrainer(countWords(SENTENCES), { vocabSize: 800 });
    const unks = () =>
      createBertTokenizer(trainer.vocab)
        .tokenize(SENTENCES)
        .filter((t) => t === '[UNK]');
    expect(unks()).toEqual([]);
    trainer.run(100);
    expect(unks()).toEqual([]);
    trainer.run(Infinity);
    expect(trainer.stopped).toBe('target');
    expect(unks()).toEqual([]);
  });

  it('turns exactly the words with characters below minCharFrequency into [UNK]', () => {
    const trainer = createWordPieceTrainer(countWords(SENTENCES), { vocabSize: 500, minCharFrequency: 3 });
    trainer.run(Infinity);
    // Normalized (so "é" and "í" lose their accents), the fixture has seven characters seen once or
    // twice; "@" is seen exactly 3 times and stays.
    expect(trainer.droppedChars).toEqual(['(', ')', '+', '/', '?', '£', '€']);
    const analysis = createBertTokenizer(trainer.vocab).analyze(SENTENCES);
    const unkWords = new Set(
      analysis.pieces.filter((p) => p.isUnk).map((p) => analysis.words[p.wordIndex]!.text),
    );
    const rareWords = new Set(
      analysis.words.map((w) => w.text).filter((w) => trainer.droppedChars.some((ch) => w.includes(ch))),
    );
    expect(rareWords.size).toBeGreaterThan(0);
    expect(unkWords).toEqual(rareWords);
    expect(trainer.droppedWords).toBe(rareWords.size);
    expect(trainer.wordCount).toBe(countWords(SENTENCES).size - rareWords.size);
    for (const word of rareWords) expect(trainer.splitOf(word)).toBeUndefined();
  });

  it('lowers pieces per word at every merge, to the weighted average of splitOf', () => {
    const corpus = countWords(SENTENCES);
    const trainer = createWordPieceTrainer(corpus, { vocabSize: 400 });
    let previous = trainer.initialPiecesPerWord;
    expect(previous).toBeCloseTo(piecesPerWordOf(trainer, corpus), 12);
    for (let step = trainer.step(); step !== null; step = trainer.step()) {
      expect(step.piecesPerWord).toBeLessThan(previous);
      expect(step.piecesPerWord).toBeCloseTo(piecesPerWordOf(trainer, corpus), 12);
      previous = step.piecesPerWord;
    }
  });
});
