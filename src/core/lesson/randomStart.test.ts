import { describe, expect, it } from 'vitest';
import { configForPreset } from '../model/config';
import { initialEmbeddingTables } from '../model/embeddingSum';
import { createBertTokenizer } from '../tokenizer';
import { loadBertVocab } from '../tokenizer/test/load-vocab';
import { lessonChapter } from './chapters';
import { randomStartResult, tableStats, TRUNCATED_STD_FACTOR } from './randomStart';

const vocab = loadBertVocab();
const tokenizer = createBertTokenizer(vocab);
const config = configForPreset('lab', vocab.length, true);
const plan = lessonChapter('random-start').plan;
if (plan.kind !== 'engine' || !plan.pair) throw new Error('random-start traces a pair');
const { a, b, words } = plan.pair;

function input(seed = 42) {
  const packed = tokenizer.encodePair(a, b);
  return {
    tables: initialEmbeddingTables(config, seed),
    pair: packed,
    words: [
      { token: words[0], id: vocab.indexOf(words[0]) },
      { token: words[1], id: vocab.indexOf(words[1]) },
    ] as const,
    initStd: config.initStd,
    layerNormEps: config.layerNormEps,
  };
}

describe('random-start on the lab preset at step 0', () => {
  it('the truncated normal std factor is 0.8796 (truncation at 2σ)', () => {
    expect(TRUNCATED_STD_FACTOR).toBeCloseTo(0.87962, 4);
  });

  it('measures the token table as a 2σ-truncated normal with σ = 0.02 and unrelated rows near orthogonal', () => {
    const result = randomStartResult(input());
    const { claim } = result;
    expect(claim.holds).toBe(true);
    expect(result.answer).toBe('random');
    expect(claim.token.entries).toBe(30522 * 32);
    expect(claim.token.std).toBeCloseTo(0.02 * 0.8796, 3);
    expect(claim.token.maxAbs).toBeLessThanOrEqual(0.04);
    expect(Math.abs(claim.cosine)).toBeLessThan(0.5);
    expect(result.sentences[0]).toContain(`standard deviation ${Number(claim.token.std.toPrecision(2))}`);
    expect(result.sentences[1]).toContain('"cat" and "train"');
  });

  it('traces every slot of the pair, LayerNorm bringing each to norm √H', () => {
    const { claim } = randomStartResult(input());
    expect(claim.slots.map((s) => s.token)).toEqual(tokenizer.encodePair(a, b).tokens);
    for (const slot of claim.slots) {
      expect(slot.layerNorm).toBeCloseTo(Math.sqrt(32), 3);
      expect(slot.tokenRow).toBeGreaterThan(0);
    }
  });

  it('says which word is missing from the vocabulary instead of comparing a row that is not there', () => {
    const given = input();
    const words = [given.words[0], { token: 'zzzq', id: -1 }] as const;
    expect(() => randomStartResult({ ...given, words })).toThrow(
      '"zzzq" is not in the vocabulary of 30522 rows.',
    );
  });

  it('does not hold for tables that are not a fresh draw', () => {
    const given = input();
    const scaled = given.tables.token.map((x) => x * 3);
    expect(tableStats(scaled).std).toBeCloseTo(3 * tableStats(given.tables.token).std, 6);
    expect(randomStartResult({ ...given, tables: { ...given.tables, token: scaled } }).claim.holds).toBe(
      false,
    );
    expect(randomStartResult({ ...given, tables: { ...given.tables, step: 5 } }).answer).toBeNull();
  });
});
