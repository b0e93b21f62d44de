/**
 * Benchmark of the WordPiece vocabulary trainer (npx tsx scripts/bench-trainer.ts).
 *
 * Builds about 1 MB of English from scripts/fixtures/sentences.txt: sentences drawn at random,
 * their words shuffled, halves of two sentences joined, and one word in six varied with a prefix,
 * a suffix or a second word (so "lighthouse" also appears as "relighthouses"), which gives
 * thousands of distinct words where the fixture alone has about 1,450. All randomness is seeded.
 * Then times countWords on it and training to 2,000 tokens with each score: median of 3 runs.
 *
 * Also what each score learns from the lab's built-in corpus at 1,000 tokens (the micro model's
 * vocabulary size): how many of the 50 most frequent words stay whole, and the pieces per word,
 * both with the tokenizer the page uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBertTokenizer } from '../src/core/tokenizer';
import { countWords, createWordPieceTrainer, type MergeScore } from '../src/core/tokenizer/train';
import { buildCorpus } from './lib/syntheticCorpus';
import { median } from './lib/stats';

const VOCAB_SIZE = 2_000;
const RUNS = 3;

const ms = (x: number): string => `${Math.round(x)} ms`;

function time<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

const text = buildCorpus(42, 1_000_000);
const countTimes: number[] = [];
let wordCounts = new Map<string, number>();
for (let run = 0; run < RUNS; run++) {
  const { result, ms: elapsed } = time(() => countWords(text));
  wordCounts = result;
  countTimes.push(elapsed);
}
const totalWords = [...wordCounts.values()].reduce((a, b) => a + b, 0);

const rows: string[] = [];
const SCORES = ['likelihood', 'pmi', 'bpe'] as const satisfies readonly MergeScore[];
for (const score of SCORES) {
  const setupTimes: number[] = [];
  const trainTimes: number[] = [];
  let summary = '';
  for (let run = 0; run < RUNS; run++) {
    const setup = time(() => createWordPieceTrainer(wordCounts, { vocabSize: VOCAB_SIZE, score }));
    const trainer = setup.result;
    const alphabet = trainer.vocab.length - 5;
    const training = time(() => trainer.run(Infinity));
    setupTimes.push(setup.ms);
    trainTimes.push(training.ms);
    const steps = training.result;
    summary =
      `${steps.length} merges, alphabet ${alphabet}, stopped '${trainer.stopped}', ` +
      `pieces/word ${trainer.initialPiecesPerWord.toFixed(2)} -> ${steps.at(-1)!.piecesPerWord.toFixed(2)}`;
  }
  rows.push(
    `| train to ${VOCAB_SIZE.toLocaleString('en-US')} tokens, '${score}' | ${ms(median(setupTimes))} | ` +
      `${ms(median(trainTimes))} | ${summary} |`,
  );
}

const builtin = countWords(
  readFileSync(join(import.meta.dirname, '..', 'public', 'corpus', 'everyday.txt'), 'utf8'),
);
const top50 = [...builtin]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 50)
  .map(([word]) => word);
const quality = SCORES.map((score) => {
  const times: number[] = [];
  let vocab: readonly string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { result, ms: elapsed } = time(() => {
      const trainer = createWordPieceTrainer(builtin, { vocabSize: 1000, score });
      trainer.run(Infinity);
      return trainer.vocab;
    });
    vocab = result;
    times.push(elapsed);
  }
  const tokenizer = createBertTokenizer(vocab);
  let pieces = 0;
  let words = 0;
  for (const [word, count] of builtin) {
    pieces += tokenizer.tokenize(word).length * count;
    words += count;
  }
  const split = top50.filter((word) => tokenizer.tokenize(word).length > 1);
  return (
    `| '${score}' | ${50 - split.length} | ${(pieces / words).toFixed(2)} | ` +
    `${tokenizer.tokenize('the').join(' ')} | ${split.slice(0, 6).join(', ') || '(none)'} | ${ms(median(times))} |`
  );
});

console.log(`
Corpus: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${text.length.toLocaleString('en-US')} UTF-16 units, \
${totalWords.toLocaleString('en-US')} words, ${wordCounts.size.toLocaleString('en-US')} distinct. \
Node ${process.version}, ${process.platform} ${process.arch}. Median of ${RUNS} runs.

| stage | setup | run | notes |
| --- | --- | --- | --- |
| countWords | | ${ms(median(countTimes))} | ${(text.length / 1e6 / (median(countTimes) / 1000)).toFixed(1)} M units/s |
${rows.join('\n')}

Built-in corpus (public/corpus/everyday.txt, ${builtin.size.toLocaleString('en-US')} distinct words), trained to 1,000 tokens:

| score | of the 50 most frequent words, whole | pieces per word | "the" | first frequent words split | training time |
| --- | --- | --- | --- | --- | --- |
${quality.join('\n')}
`);
