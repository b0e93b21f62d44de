import { describe, expect, it } from 'vitest';
import { coincidenceOf, likelihoodGain, type MergeCounts } from './index';
import { fallTerm, riseTerm } from './likelihood';
import { charactersOf, COURSE_CORPUS, mergeSplit } from './test/fixtures';

type Corpus = ReadonlyMap<string, number>;
type Splits = Map<string, string[]>;

/** log L = Σ_x c(x) log(c(x) / N) over the tokens of the splits, each word counted `count` times. */
function logLikelihood(splits: Splits, corpus: Corpus): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [word, split] of splits) {
    for (const token of split) counts.set(token, (counts.get(token) ?? 0) + corpus.get(word)!);
    total += corpus.get(word)! * split.length;
  }
  let sum = 0;
  for (const c of counts.values()) sum += c * Math.log(c / total);
  return sum;
}

/** Re-tokenizes every word with one merge, left to right without overlap. */
function applyMerge(splits: Splits, a: string, b: string): Splits {
  return new Map([...splits].map(([word, split]) => [word, mergeSplit(split, a, b, a + b.slice(2))]));
}

function tokenCounts(splits: Splits, corpus: Corpus): { counts: Map<string, number>; total: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [word, split] of splits) {
    const n = corpus.get(word)!;
    for (const token of split) counts.set(token, (counts.get(token) ?? 0) + n);
    total += n * split.length;
  }
  return { counts, total };
}

/**
 * For every adjacent pair of the current splits: the gain the formula predicts from the counts,
 * and the change in log L found by actually re-tokenizing. Then makes the first pair's merge and
 * goes on, so later rounds see merged tokens, runs and remade tokens.
 */
function compareAlongMerges(corpus: Corpus, rounds: number) {
  let splits: Splits = new Map([...corpus.keys()].map((w) => [w, charactersOf(w)]));
  const rows: {
    pair: string;
    predicted: number;
    actual: number;
    remade: boolean;
    overlap: boolean;
    coincidence: string;
  }[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = logLikelihood(splits, corpus);
    const { counts, total } = tokenCounts(splits, corpus);
    const pairs = new Map<string, [string, string, number]>();
    for (const [word, split] of splits) {
      for (let i = 0; i + 1 < split.length; i++) {
        const key = `${split[i]} ${split[i + 1]}`;
        const entry = pairs.get(key) ?? [split[i]!, split[i + 1]!, 0];
        entry[2] += corpus.get(word)!;
        pairs.set(key, entry);
      }
    }
    if (pairs.size === 0) break;
    for (const [key, [a, b, pairCount]] of pairs) {
      const after = applyMerge(splits, a, b);
      const k = total - tokenCounts(after, corpus).total;
      const token = counts.get(a + b.slice(2)) ?? 0;
      const predicted = likelihoodGain({
        left: counts.get(a)!,
        right: counts.get(b)!,
        merges: k,
        token,
        total,
        coincidence: coincidenceOf(a, b),
      });
      rows.push({
        pair: key,
        predicted,
        actual: logLikelihood(after, corpus) - before,
        remade: token > 0,
        overlap: k < pairCount,
        coincidence: coincidenceOf(a, b),
      });
    }
    const [a, b] = pairs.values().next().value!;
    splits = applyMerge(splits, a, b);
  }
  return rows;
}

describe('likelihoodGain', () => {
  it('equals the change in unigram log-likelihood found by re-tokenizing the corpus', () => {
    const corpus = new Map([
      ...COURSE_CORPUS,
      ['aaaaa', 3], // runs: (##a, ##a) occurs 4 times but merges twice
      ['###aa', 3], // "#" + "###" remakes "##", which "###aa" then holds twice
      ['####', 4],
    ]);
    const rows = compareAlongMerges(corpus, 40);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) expect(row.predicted, row.pair).toBeCloseTo(row.actual, 9);
    expect(rows.some((r) => r.remade)).toBe(true);
    expect(rows.some((r) => r.overlap)).toBe(true);
    // "#" + "###" makes "##", and "##" + "###" makes "###" again (t = b). t = a would need b = "##",
    // a continuation with nothing after the prefix, which no split holds: see the next test.
    expect(new Set(rows.map((r) => r.coincidence))).toEqual(new Set(['none', 'a=b', 't=b']));
  });

  it('adds up the changes of a, b and t before F wherever two or three of them are one token', () => {
    // Straight from the model: a bag of token counts before and after turning k pairs (a, b) into t.
    const logL = (bag: ReadonlyMap<string, number>) => {
      const n = [...bag.values()].reduce((x, y) => x + y, 0);
      return [...bag.values()].reduce((sum, c) => sum + (c > 0 ? c * Math.log(c / n) : 0), 0);
    };
    const cases = [
      { a: 'x', b: '##y', k: 3 },
      { a: '##y', b: '##y', k: 2 },
      { a: '##', b: '###', k: 2 }, // t = "###" = b
      { a: 'x', b: '##', k: 3 }, // t = "x" = a
      { a: '##', b: '##', k: 1 }, // t = "##" = a = b
    ];
    for (const { a, b, k } of cases) {
      const t = a + b.slice(2);
      const before = new Map([
        ['x', 7],
        ['##y', 5],
        ['##', 4],
        ['###', 6],
        ['xy', 2],
        ['z', 9],
      ]);
      const after = new Map(before);
      after.set(a, after.get(a)! - k);
      after.set(b, after.get(b)! - k);
      after.set(t, (after.get(t) ?? 0) + k);
      const gain = likelihoodGain({
        left: before.get(a)!,
        right: before.get(b)!,
        merges: k,
        token: before.get(t) ?? 0,
        total: 33,
        coincidence: coincidenceOf(a, b),
      });
      expect(gain, `${a} + ${b} (${coincidenceOf(a, b)})`).toBeCloseTo(logL(after) - logL(before), 12);
    }
    expect(cases.map(({ a, b }) => coincidenceOf(a, b))).toEqual(['none', 'a=b', 't=b', 't=a', 'a=b=t']);
  });

  it('gives the course corpus its first merge by hand: (##u, ##g), 27.6 nats', () => {
    // N = 119; c(##u) 38, c(##g) 20, c(##u ##g) 20. ##g never occurs outside the pair, so its
    // falling term and the new token's rising term cancel: Δ = F(18) − F(38) − F(99) + F(119).
    const F = (n: number) => n * Math.log(n);
    const gain = likelihoodGain({
      left: 38,
      right: 20,
      merges: 20,
      token: 0,
      total: 119,
      coincidence: 'none',
    });
    expect(gain).toBeCloseTo(F(18) - F(38) - F(99) + F(119), 12);
    expect(gain).toBeCloseTo(27.597, 3);
  });

  it('weights the association by the count: a frequent pair beats a rare one with higher PMI', () => {
    const total = 100_000;
    const rare: MergeCounts = { left: 3, right: 3, merges: 3, token: 0, total, coincidence: 'none' };
    const frequent: MergeCounts = {
      left: 6000,
      right: 6000,
      merges: 3000,
      token: 0,
      total,
      coincidence: 'none',
    };
    const ratio = (c: MergeCounts) => c.merges / (c.left * c.right);
    expect(ratio(rare)).toBeGreaterThan(ratio(frequent));
    expect(likelihoodGain(frequent)).toBeGreaterThan(50 * likelihoodGain(rare));
  });

  it('is about count-weighted PMI less one nat per merge when the pair is a small part of each count', () => {
    const counts = {
      left: 2_000_000,
      right: 1_000_000,
      merges: 400,
      token: 0,
      total: 90_000_000,
      coincidence: 'none',
    } as const;
    const { left, right, merges: k, total } = counts;
    const approximation = k * (Math.log((k * total) / (left * right)) - 1);
    expect(Math.abs(likelihoodGain(counts) - approximation)).toBeLessThan(1e-3 * Math.abs(approximation));
  });

  it('keeps 0 · log 0 = 0 and stays exact where subtracting n log n would cancel', () => {
    expect(fallTerm(7, 7)).toBeCloseTo(-7 * Math.log(7), 12);
    expect(riseTerm(0, 7)).toBeCloseTo(7 * Math.log(7), 12);
    // F(c + 1) − F(c) = log(c + 1) + c log(1 + 1/c) ≈ log c + 1 for a count near 2^26.
    const c = 2 ** 26;
    expect(riseTerm(c, 1)).toBeCloseTo(Math.log(c) + 1, 7);
    expect(fallTerm(c, 1)).toBeCloseTo(-(Math.log(c - 1) + 1), 7);
  });
});
