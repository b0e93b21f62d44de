/**
 * About N bytes of varied English for trainer benchmarks, built from scripts/fixtures/sentences.txt:
 * sentences drawn at random, their words shuffled, halves of two sentences joined, and one word in
 * six varied with a prefix, a suffix or a second word (so "lighthouse" also appears as
 * "relighthouses"), which gives thousands of distinct words where the fixture alone has about
 * 1,450. All randomness is seeded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/math/rng';

const PREFIXES = ['un', 're', 'pre', 'over', 'out', 'mis', 'sub'];
const SUFFIXES = ['s', 'ed', 'ing', 'er', 'ly', 'ness', 'less', 'able', 'ish', 'ful'];

export function buildCorpus(seed: number, targetBytes: number): string {
  const rng = new Rng(seed);
  const random = (): number => rng.float();
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const lines = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sentences.txt'), 'utf8')
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
  while (bytes < targetBytes) {
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
