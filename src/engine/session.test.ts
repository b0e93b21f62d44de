import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../core/tokenizer';
import { loadBertVocab } from '../core/tokenizer/test/load-vocab';
import { googleTruncateSeqPair } from '../core/tokenizer/test/truncate-seq-pair';
import { checkInputs, createSession, SettingsError } from './session';
import { corpus, corpusVocab } from './test/fixtures';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';

const vocab = corpusVocab(400);
// A vocabulary learned from the corpus: the micro preset's model.
const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  preset: 'micro',
  backend: 'cpu',
  batchSize: 2,
  seqLength: 16,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training session', () => {
  it('traces a pair: the embedding sum is token + segment + position, then LayerNorm', async () => {
    const session = createSession(settings, vocab, corpus);
    const t = await session.trace('The baker sold bread.', 'It was warm.');
    const H = t.hidden;
    expect(t.tokens[0]).toBe('[CLS]');
    expect(t.tokenEmbedding).toHaveLength(t.seqLength * H);
    for (let i = 0; i < t.seqLength * H; i++) {
      const position = i % (t.seqLength * H);
      const sum = t.tokenEmbedding[i]! + t.segmentEmbedding[i]! + t.positionEmbedding[position]!;
      expect(t.embeddingSum[i]).toBeCloseTo(sum, 6);
    }
    // LayerNorm with γ = 1 and β = 0 at initialisation: (x − mean) / √(variance + ε).
    for (let p = 0; p < t.seqLength; p++) {
      const x = t.embeddingSum[p * H]!;
      const expected = (x - t.embeddingNormMean[p]!) / Math.sqrt(t.embeddingNormVariance[p]! + 1e-12);
      expect(t.embeddingOutput[p * H]).toBeCloseTo(expected, 4);
    }
    session.dispose();
  });

  it('traces γ, β and the normalized sum, so that x̂ · γ + β is the LayerNorm output', async () => {
    const session = createSession({ ...settings, warmupSteps: 0 }, vocab, corpus);
    for (let i = 0; i < 3; i++) await session.step();
    const t = await session.trace('The baker sold bread.', 'It was warm.');
    const H = t.hidden;
    expect(t.gamma).toHaveLength(H);
    expect(t.beta).toHaveLength(H);
    for (let i = 0; i < t.seqLength * H; i++) {
      const j = i % H;
      expect(t.embeddingOutput[i]).toBeCloseTo(t.embeddingNormalized[i]! * t.gamma[j]! + t.beta[j]!, 4);
    }
    session.dispose();
  });

  it('hands out copies of the embedding tables and LayerNorm parameters', async () => {
    const session = createSession(settings, vocab, corpus);
    const tables = await session.tables();
    const { vocabSize: V, hidden: H, maxPositions: P } = tables;
    expect([tables.token.length, tables.segment.length, tables.position.length]).toEqual([
      V * H,
      2 * H,
      P * H,
    ]);
    expect(Array.from(tables.gamma)).toEqual(new Array(H).fill(1));
    tables.token.fill(0);
    const again = await session.tables();
    expect(again.token.some((x) => x !== 0)).toBe(true);
    const t = await session.trace('The baker sold bread.');
    const id = t.inputIds[1]!;
    expect(Array.from(t.tokenEmbedding.slice(H, 2 * H))).toEqual(
      Array.from(again.token.slice(id * H, (id + 1) * H)),
    );
    session.dispose();
  });

  it('truncates a pair longer than the position table longest first, B first on a tie, and says how many pieces it cut', async () => {
    const session = createSession(settings, vocab, corpus);
    const tokenizer = createBertTokenizer(vocab);
    const long = 'the baker sold warm bread to the people of the town '.repeat(10);
    for (const [a, b] of [
      [long, long], // a tie
      [long, long.slice(0, 200)], // A longer
      [long.slice(0, 120), long], // B longer
    ] as const) {
      const t = await session.trace(a, b);
      const [piecesA, piecesB] = [tokenizer.tokenize(a), tokenizer.tokenize(b)];
      const [keptA, keptB] = googleTruncateSeqPair(piecesA, piecesB, t.maxPositions - 3);
      expect(t.tokens).toEqual(['[CLS]', ...keptA, '[SEP]', ...keptB, '[SEP]']);
      expect(t.seqLength).toBe(t.maxPositions);
      expect(t.truncatedPieces).toBe(piecesA.length + piecesB.length - keptA.length - keptB.length);
    }
    // The position table has 64 rows: a budget of 61, so a tie keeps 31 of A and 30 of B.
    const tie = await session.trace(long, long);
    expect(tie.tokens.indexOf('[SEP]')).toBe(32);
    session.dispose();
  });

  it('starts from the same weights and batches for the same seed', async () => {
    const a = createSession(settings, vocab, corpus);
    const b = createSession(settings, vocab, corpus);
    const [ra, rb] = [await a.step(), await b.step()];
    expect(ra.loss.total).toBe(rb.loss.total);
    expect(Array.from(ra.batch.inputIds)).toEqual(Array.from(rb.batch.inputIds));
    a.dispose();
    b.dispose();
  });

  it('draws the same batches for the same seed whatever the optimizer, so two runs can be compared', async () => {
    const a = createSession({ ...settings, optimizer: 'adam' }, vocab, corpus);
    const b = createSession({ ...settings, optimizer: 'lazyadam' }, vocab, corpus);
    for (let i = 0; i < 2; i++) {
      const [ra, rb] = [await a.step(), await b.step()];
      expect(Array.from(rb.batch.inputIds)).toEqual(Array.from(ra.batch.inputIds));
      expect(Array.from(rb.batch.maskedPositions)).toEqual(Array.from(ra.batch.maskedPositions));
      // The first step sees the same weights, so the same loss; the updates differ from there on.
      if (i === 0) expect(rb.loss.total).toBe(ra.loss.total);
    }
    a.dispose();
    b.dispose();
  });

  it('changes the peak learning rate without touching the weights or the step count', async () => {
    const session = createSession({ ...settings, warmupSteps: 0 }, vocab, corpus);
    await session.step();
    session.setLearningRate(0.5);
    const report = await session.step();
    expect(report.step).toBe(2);
    expect(report.learningRate).toBeCloseTo((0.5 * (1000 - 2)) / 1000, 6);
    expect(() => session.setLearningRate(-1)).toThrow(SettingsError);
    session.dispose();
  });

  it.each([
    [{ seqLength: 500 }, /Sequence length must be 8 to 64/],
    [{ batchSize: 0 }, /Batch size must be 1 to 64/],
    [{ learningRate: Number.NaN }, /Learning rate/],
    [{ seed: -1 }, /Seed/],
  ] as const)('rejects %j with a clear message', (patch, message) => {
    expect(() => createSession({ ...settings, ...patch }, vocab, corpus)).toThrow(message);
  });

  it('refuses a vocabulary of only the five special tokens, without building a model', () => {
    const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
    expect(() => checkInputs(settings, specials)).toThrow(SettingsError);
    expect(() => checkInputs(settings, specials)).toThrow(/only 5 tokens/);
  });

  it('refuses a vocabulary without [MASK] as a settings error', () => {
    expect(() => checkInputs(settings, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a'])).toThrow(/no \[MASK\]/);
    expect(() => checkInputs(settings, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a'])).toThrow(SettingsError);
  });

  it('refuses lr 1e3, batch 0 and sequence length 1 before any tensor exists', () => {
    const before = tf.memory().numTensors;
    expect(() => checkInputs({ ...settings, learningRate: 1e3 }, vocab)).toThrow(/Learning rate/);
    expect(() => checkInputs({ ...settings, batchSize: 0 }, vocab)).toThrow(/Batch size/);
    expect(() => checkInputs({ ...settings, seqLength: 1 }, vocab)).toThrow(/Sequence length/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the default preset, lab', () => {
  const bertVocab = loadBertVocab();
  // The pair and max length every view opens with (store/packSlice.ts).
  const a = 'The lab shows how BERT turns unaffable words into embeddings.';
  const b = 'Rare words like “naïveté” split into pieces; frequent ones stay whole.';
  const packMaxLength = 128;

  it("is bert-base-uncased's 30,522 pieces on L=2, H=32, with the ids and pieces of Tokenize & Pack", async () => {
    expect(DEFAULT_ENGINE_SETTINGS.preset).toBe('lab');
    const session = createSession(
      { ...DEFAULT_ENGINE_SETTINGS, backend: 'cpu', batchSize: 2, seqLength: 16 },
      bertVocab,
      corpus,
    );
    expect(session.config).toMatchObject({ vocabSize: 30_522, hidden: 32, layers: 2, maxPositions: 128 });
    const packed = createBertTokenizer(bertVocab).encodePair(a, b, { maxLength: packMaxLength });
    const t = await session.trace(a, b);
    expect(t.tokens).toEqual(packed.tokens);
    expect(t.inputIds).toEqual(packed.inputIds);
    expect(t.tokenTypeIds).toEqual(packed.tokenTypeIds);
    expect(t.tokens.slice(0, 11)).toEqual([
      '[CLS]',
      'the',
      'lab',
      'shows',
      'how',
      'bert',
      'turns',
      'una',
      '##ffa',
      '##ble',
      'words',
    ]);
    expect(t.truncatedPieces).toBe(0);
    // Every step reports all 30,522 rows of E_token.
    const report = await session.step();
    expect(report.updateRowNorm).toHaveLength(30_522);
    expect(report.outputGradRowNorm).toHaveLength(30_522);
    session.dispose();
  });
});
