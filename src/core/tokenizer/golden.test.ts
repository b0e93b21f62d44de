/**
 * Golden tests: every fixture was produced by Hugging Face's Rust tokenizer (tokenizers@0.23.2,
 * configured as bert-base-uncased's tokenizer.json) with scripts/gen-tokenizer-fixtures.mjs.
 * Our tokenizer must reproduce tokens, ids, source offsets and packing exactly.
 */
import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from './index';
import { loadGolden } from './test/golden';
import { loadBertVocab } from './test/load-vocab';

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
});
