import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBertVocab } from '../core/tokenizer/test/load-vocab';
import { createSession } from '../engine/session';
import { corpus, corpusVocab } from '../engine/test/fixtures';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';
import { stepZeroSum } from './stepZero';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

/** The page's step-0 sum against the engine's own trace and tables of a fresh session. */
async function compare(settings: EngineSettings, vocab: readonly string[], a: string, b?: string) {
  const session = createSession(settings, vocab, corpus);
  try {
    const engine = await session.trace(a, b);
    const tables = await session.tables();
    const page = stepZeroSum(settings, vocab, a, b);
    expect(page.trace.tokens).toEqual(engine.tokens);
    expect(page.trace.inputIds).toEqual(engine.inputIds);
    expect(page.trace.tokenTypeIds).toEqual(engine.tokenTypeIds);
    expect(page.trace.truncatedPieces).toBe(engine.truncatedPieces);
    // The tables are the same numbers bit for bit: both come from params.ts's seeded streams.
    expect(maxAbsDiff(page.tables.token, tables.token)).toBe(0);
    expect(maxAbsDiff(page.tables.position, tables.position)).toBe(0);
    expect(maxAbsDiff(page.tables.segment, tables.segment)).toBe(0);
    for (const field of ['tokenEmbedding', 'segmentEmbedding', 'positionEmbedding', 'embeddingSum'] as const)
      expect(maxAbsDiff(page.trace[field], engine[field]), field).toBeLessThanOrEqual(1e-7);
    expect(maxAbsDiff(page.trace.embeddingNormMean, engine.embeddingNormMean)).toBeLessThanOrEqual(1e-7);
    expect(maxAbsDiff(page.trace.embeddingNormVariance, engine.embeddingNormVariance)).toBeLessThanOrEqual(
      1e-8,
    );
    // x̂ is O(1) and divides by σ ≈ 0.03: float32 rounding of the statistics shows at ~1e-5.
    expect(maxAbsDiff(page.trace.embeddingNormalized, engine.embeddingNormalized)).toBeLessThanOrEqual(5e-5);
    expect(maxAbsDiff(page.trace.embeddingOutput, engine.embeddingOutput)).toBeLessThanOrEqual(5e-5);
  } finally {
    session.dispose();
  }
}

describe('the step-0 Embedding sum computed in the page', () => {
  it("equals the engine's own step-0 trace for the default model (bert-base-uncased, seed 42)", async () => {
    await compare(
      { ...DEFAULT_ENGINE_SETTINGS, backend: 'cpu' },
      loadBertVocab(),
      'The lab shows how BERT turns unaffable words into embeddings.',
      'Rare words like “naïveté” split into pieces.',
    );
  });

  it('equals it for another seed, untied, with a learned vocabulary and a pair cut to the table', async () => {
    const settings: EngineSettings = {
      ...DEFAULT_ENGINE_SETTINGS,
      preset: 'micro',
      seed: 7,
      tieOutputEmbeddings: false,
      backend: 'cpu',
    };
    const long = 'the baker sold warm bread to the people of the town every morning '.repeat(8);
    expect(stepZeroSum(settings, corpusVocab(400), long, long).trace.truncatedPieces).toBeGreaterThan(0);
    await compare(settings, corpusVocab(400), long, long);
  });

  it('changes with the seed: the numbers are the run’s own, not a fixed picture', () => {
    const vocab = loadBertVocab();
    const a = stepZeroSum({ ...DEFAULT_ENGINE_SETTINGS, seed: 1 }, vocab, 'hello', undefined);
    const b = stepZeroSum({ ...DEFAULT_ENGINE_SETTINGS, seed: 2 }, vocab, 'hello', undefined);
    expect(maxAbsDiff(a.trace.embeddingSum, b.trace.embeddingSum)).toBeGreaterThan(1e-3);
  });
});
