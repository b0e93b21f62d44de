/**
 * Golden tests: every fixture was produced by Hugging Face's Rust tokenizer (tokenizers@0.23.2,
 * configured as bert-base-uncased's tokenizer.json) with scripts/gen-tokenizer-fixtures.mjs;
 * truncated pairs are cut as Google's _truncate_seq_pair cuts them (not as that binding does).
 * Our tokenizer must reproduce tokens, ids, source offsets and packing exactly.
 */
import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from './index';
import { loadGolden } from './test/golden';
import { loadBertVocab } from './test/load-vocab';
import { googlePackedIds } from './test/truncate-seq-pair';

const golden = loadGolden();
const tokenizer = createBertTokenizer(loadBertVocab());

describe(`golden fixtures from ${golden.reference}`, () => {
  it('has the coverage the issue asks for', () => {
    expect(golden.single.length).toBeGreaterThanOrEqual(300);
    expect(golden.pairs.length).toBeGreaterThanOrEqual(25);
    expect(golden.addedTokenCases.length).toBeGreaterThan(0);
  });

  describe.each([
    ['single texts', golden.single],
    ['texts with literal special tokens', golden.addedTokenCases],
  ] as const)('%s', (_, fixtures) => {
    it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
      const analysis = tokenizer.analyze(fixture.text);
      expect(analysis.pieces.map((p) => p.token)).toEqual(fixture.tokens);
      expect(analysis.pieces.map((p) => p.id)).toEqual(fixture.ids);
      expect(analysis.pieces.map((p) => [p.start, p.end])).toEqual(fixture.offsets);
      expect(tokenizer.encode(fixture.text)).toEqual(fixture.ids);
    });
  });

  describe('pairs', () => {
    it.each(golden.pairs.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
      const packed = tokenizer.encodePair(fixture.a, fixture.b, {
        ...(fixture.maxLength === undefined ? {} : { maxLength: fixture.maxLength }),
        ...(fixture.padTo === undefined ? {} : { padTo: fixture.padTo }),
      });
      expect(packed.tokens).toEqual(fixture.tokens);
      expect(packed.inputIds).toEqual(fixture.ids);
      expect(packed.tokenTypeIds).toEqual(fixture.typeIds);
      expect(packed.attentionMask).toEqual(fixture.attentionMask);
      expect(packed.positionIds).toEqual(fixture.ids.map((_, i) => i));
      expect(packed.truncated).toEqual({ a: fixture.truncated.a, b: fixture.truncated.b ?? 0 });
    });
  });

  describe('held-out pairs: consecutive golden sentences, each way round, at 7 max lengths', () => {
    // HF's ids for each sentence alone, cut by the independent pop loop; none of these pairs is a
    // pair fixture, and the odd max lengths give an even budget and vice versa.
    const sentences = golden.single.filter((f) => f.name.startsWith('sentence '));
    const maxLengths = [4, 8, 9, 16, 17, 31, 48];
    it('truncates every pair as Google does', () => {
      expect(sentences.length).toBeGreaterThanOrEqual(200);
      let cutBoth = 0;
      for (let i = 0; i + 1 < sentences.length; i++) {
        for (const [a, b] of [
          [sentences[i]!, sentences[i + 1]!],
          [sentences[i + 1]!, sentences[i]!],
        ] as const) {
          for (const maxLength of maxLengths) {
            const packed = tokenizer.encodePair(a.text, b.text, { maxLength });
            expect(packed.inputIds, `${a.name} + ${b.name}, max length ${maxLength}`).toEqual(
              googlePackedIds(a.ids, b.ids, maxLength),
            );
            if (packed.truncated.a > 0 && packed.truncated.b > 0) cutBoth++;
          }
        }
      }
      expect(cutBoth).toBeGreaterThan(1000);
    });
  });
});
