/**
 * Benchmark of the WordPiece vocabulary trainer (npx tsx scripts/bench-trainer.ts).
 *
 * Builds about 1 MB of English from scripts/fixtures/sentences.txt: sentences drawn at random,
 * their words shuffled, halves of two sentences joined, and one word in six varied with a prefix,
 * a suffix or a second word (so "lighthouse" also appears as "relighthouses"), which gives
 * thousands of distinct words where the fixture alone has about 1,450. All randomness is seeded.
 * Then times countWords on it and training to 2,000 tokens with each score: median of 3 runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/core/math/rng';
import { countWords, createWordPieceTrainer, type MergeScore } from '../src/core/tokenizer/train';

const TARGET_BYTES = 1_000_000;
const VOCAB_SIZE = 2_000;
const RUNS = 3;

const PREFIXES = ['un', 're', 'pre', 'over', 'out', 'mis', 'sub'];
const SUFFIXES = ['s', 'ed', 'ing', 'er', 'ly', 'ness', 'less', 'able', 'ish', 'ful'];

function buildCorpus(seed: number): string {
  const rng = new Rng(seed);
  const random = (): number => rng.float();
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const lines = readFileSync(join(import.meta.dirname, 'fixtures', 'sentences.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
  const vary = (word: string): string => {
    if (random() > 1 / 6 || !/^[A-Za-z]{3,}$/.test(word)) return word;
    const r = random();
    if (r < 0.4) return word + pick(SUFFIXES);
    if (r < 0.7) return pick(PREFIXES) + word.toLowerCase();
    return (
      word +
      pick(pick(lines))
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase()
    );
  };
  const out: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    let words = pick(lines).slice();
    if (random() < 0.3) {
      const other = pick(lines);
      words = [...words.slice(0, words.length >> 1), ...other.slice(other.length >> 1)];
    }
    // Fisher-Yates, so word order varies but word frequencies stay English-like.
    if (random() < 0.5) {
      for (let i = words.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [words[i], words[j]] = [words[j]!, words[i]!];
      }
    }
    const sentence = words.map(vary).join(' ');
    out.push(sentence);
    bytes += Buffer.byteLength(sentence) + 1;
  }
  return out.join('\n');
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (x: number): string => `${Math.round(x)} ms`;

function time<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

const text = buildCorpus(42);
const countTimes: number[] = [];
let wordCounts = new Map<string, number>();
for (let run = 0; run < RUNS; run++) {
  const { result, ms: elapsed } = time(() => countWords(text));
  wordCounts = result;
  countTimes.push(elapsed);
}
const totalWords = [...wordCounts.values()].reduce((a, b) => a + b, 0);

const rows: string[] = [];
for (const score of ['wordpiece', 'bpe'] as const satisfies readonly MergeScore[]) {
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

console.log(`
Corpus: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${text.length.toLocaleString('en-US')} UTF-16 units, \
${totalWords.toLocaleString('en-US')} words, ${wordCounts.size.toLocaleString('en-US')} distinct. \
Node ${process.version}, ${process.platform} ${process.arch}. Median of ${RUNS} runs.

| stage | setup | run | notes |
| --- | --- | --- | --- |
| countWords | | ${ms(median(countTimes))} | ${(text.length / 1e6 / (median(countTimes) / 1000)).toFixed(1)} M units/s |
${rows.join('\n')}
`);
