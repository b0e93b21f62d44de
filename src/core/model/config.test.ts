import { describe, expect, it } from 'vitest';
import { bertTinyConfig, ConfigError, microConfig, PRESETS, validateConfig, type BertConfig } from './config';
import { parameterCount } from './params';

describe('BertConfig presets', () => {
  it('builds BERT-Tiny as Google published it: L=2, H=128, A=2, FFN=512, P=512, V=30,522', () => {
    const c = PRESETS['bert-tiny']();
    expect([c.layers, c.hidden, c.heads, c.intermediate, c.maxPositions, c.vocabSize]).toEqual([
      2, 128, 2, 512, 512, 30522,
    ]);
    expect([c.typeVocabSize, c.layerNormEps, c.initStd, c.tieOutputEmbeddings]).toEqual([
      2,
      1e-12,
      0.02,
      true,
    ]);
  });

  it("builds the lab default on bert-base-uncased's 30,522 pieces: L=2, H=32, A=2, FFN=128, P=128", () => {
    const c = PRESETS.lab();
    expect([c.layers, c.hidden, c.heads, c.intermediate, c.maxPositions, c.vocabSize]).toEqual([
      2, 32, 2, 128, 128, 30522,
    ]);
    // Tokenize & Pack's default max length, so its default pair fits in the position table.
    expect(c.maxPositions).toBe(128);
    expect(c.tieOutputEmbeddings).toBe(true);
  });

  it('sizes the micro model to the vocabulary it is given', () => {
    const c = PRESETS.micro(300);
    expect([c.layers, c.hidden, c.heads, c.intermediate, c.maxPositions, c.vocabSize]).toEqual([
      2, 32, 2, 64, 64, 300,
    ]);
  });

  it('counts BERT-Tiny parameters: embeddings, two layers, the MLM and NSP heads', () => {
    const [V, H, P, F] = [30522, 128, 512, 512];
    const embeddings = V * H + 2 * H + P * H + 2 * H;
    const layer = 4 * (H * H + H) + 2 * H + (H * F + F) + (F * H + H) + 2 * H;
    const heads = H * H + H + 2 * H + V + (H * H + H) + (H * 2 + 2);
    expect(parameterCount(bertTinyConfig())).toBe(embeddings + 2 * layer + heads);
    // An untied output adds its own V x H matrix.
    expect(parameterCount(bertTinyConfig({ tieOutputEmbeddings: false }))).toBe(
      embeddings + 2 * layer + heads + V * H,
    );
  });
});

describe('validateConfig', () => {
  const base: BertConfig = microConfig(100);
  const invalid =
    (change: Partial<BertConfig>): (() => void) =>
    () =>
      validateConfig({ ...base, ...change });

  it('rejects a hidden size that the heads do not divide', () => {
    expect(invalid({ hidden: 30, heads: 4 })).toThrow(/hidden \(30\) must be divisible by heads \(4\)/);
  });

  it('rejects sizes that are not positive whole numbers', () => {
    expect(invalid({ layers: 0 })).toThrow(ConfigError);
    expect(invalid({ intermediate: 2.5 })).toThrow(/intermediate must be a whole number/);
    expect(invalid({ heads: -1 })).toThrow(/heads must be between 1/);
  });

  it('rejects sizes beyond what a browser tab can hold', () => {
    expect(invalid({ vocabSize: 200_001 })).toThrow(/vocabSize must be between 5 and 200,000/);
    expect(invalid({ hidden: 2048, heads: 2 })).toThrow(/hidden must be between 1 and 1,024/);
    expect(invalid({ layers: 25 })).toThrow(/layers must be between 1 and 24/);
    expect(invalid({ maxPositions: 5000 })).toThrow(/maxPositions must be between 5 and 4,096/);
  });

  it('rejects dropout rates outside [0, 1)', () => {
    expect(invalid({ hiddenDropout: 1 })).toThrow(/hiddenDropout must be in \[0, 1\)/);
    expect(invalid({ attentionDropout: -0.1 })).toThrow(/attentionDropout/);
    expect(validateConfig({ ...base, hiddenDropout: 0, attentionDropout: 0.99 })).toBeTruthy();
  });

  it('rejects a non-positive LayerNorm epsilon or init scale', () => {
    expect(invalid({ layerNormEps: 0 })).toThrow(/layerNormEps/);
    expect(invalid({ initStd: 0 })).toThrow(/initStd/);
  });
});
