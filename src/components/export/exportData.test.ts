import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBertTokenizer, parseVocabText } from '../../core/tokenizer';
import { countWords, createWordPieceTrainer } from '../../core/tokenizer/train';
import { accumulateRows, createRowStats, type StepReport } from '../../core/train';
import { createSession } from '../../engine/session';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../core/domain/settings';
import { createLabStore } from '../../store/labStore';
import { DEFAULT_TRAINER_SETTINGS } from '../../store/vocabTrainerSlice';
import type { VocabTrainerView } from '../../store/types';
import type { TrainingView } from '../../store/types';
import { trainingPointOf, type TrainingPoint } from '../../core/domain/history';
import {
  exportFileName,
  lossCsv,
  mergesCsv,
  packCsv,
  packJson,
  rowsCsv,
  sumCsv,
  sumJson,
  toPlain,
  trainJson,
  vocabCsv,
  vocabJson,
} from './exportData';

const corpus = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'public', 'corpus', 'everyday.txt'),
  'utf8',
);
const bertVocab = parseVocabText(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'public', 'vocab', 'bert-base-uncased.txt'),
    'utf8',
  ),
);
const now = new Date('2026-01-02T03:04:05.000Z');

/** CSV lines (no cell here holds a line break), header first. */
const lines = (csv: string) => csv.trimEnd().split('\r\n');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Tokenize & Pack export', () => {
  const tokenizer = createBertTokenizer(bertVocab);
  const a = 'The lab shows how BERT turns unaffable words into embeddings.';
  const b = 'Rare words, like “naïveté”, split.';
  const packed = tokenizer.encodePair(a, b, { maxLength: 16 });
  const input = {
    sentenceA: a,
    sentenceB: b,
    maxLength: 16,
    padToMaxLength: false,
    vocabName: 'bert-base-uncased',
    vocabSize: bertVocab.length,
    packed,
  };

  it('JSON carries a versioned header, the settings, and the ids the tokenizer packed', () => {
    const json = JSON.parse(JSON.stringify(packJson(input, now)));
    expect(json).toMatchObject({
      format: 'bert-embedding-lab/pack-sequence',
      version: 1,
      exportedAt: '2026-01-02T03:04:05.000Z',
      view: 'pack',
      sentenceA: a,
      sentenceB: b,
      maxLength: 16,
      vocabulary: { name: 'bert-base-uncased', size: 30522 },
    });
    expect(json.length).toBe(16);
    expect(json.inputIds).toEqual(packed.inputIds);
    expect(json.inputIds[0]).toBe(101);
    expect(json.tokens).toEqual(packed.tokens);
    expect(json.tokenTypeIds).toEqual(packed.tokenTypeIds);
    expect(json.positionIds).toEqual([...Array(16).keys()]);
    expect(json.attentionMask).toEqual(packed.attentionMask);
    expect(json.truncated.a + json.truncated.b).toBeGreaterThan(0);
  });

  it('CSV has a header and one row per slot, quoting the comma token', () => {
    const rows = lines(packCsv(packed));
    expect(rows[0]).toBe('position,token,input_id,token_type_id,attention_mask,kind,sentence');
    expect(rows).toHaveLength(packed.slots.length + 1);
    expect(rows[1]).toBe('0,[CLS],101,0,1,cls,');
    expect(rows.some((r) => r.includes('",",1010,1,1,piece,B'))).toBe(true);
  });

  it('an empty sentence B is null in the JSON', () => {
    const single = tokenizer.encodePair(a);
    expect(packJson({ ...input, sentenceB: '', packed: single }, now).sentenceB).toBeNull();
  });
});

describe('Vocabulary export', () => {
  const trainer = createWordPieceTrainer(countWords(corpus.slice(0, 20_000)), { vocabSize: 200 });
  const initialVocabSize = trainer.vocab.length;
  const steps = trainer.run(25);
  const view: VocabTrainerView = {
    status: 'ready',
    progress: 1,
    corpus: { name: 'Everyday documents (built in)', bytes: 20_000, words: 3000, distinctWords: 900 },
    settings: { ...DEFAULT_TRAINER_SETTINGS, vocabSize: 200 },
    vocab: trainer.vocab,
    initialVocabSize,
    initialPiecesPerWord: trainer.initialPiecesPerWord,
    steps,
    stopped: null,
    droppedChars: [],
    droppedWords: 0,
    wordCount: 900,
    error: null,
  };

  it('JSON holds the vocabulary, every merge and the settings', () => {
    const json = JSON.parse(JSON.stringify(vocabJson(view, now)));
    expect(json.format).toBe('bert-embedding-lab/vocabulary');
    expect(json.vocabulary).toEqual(trainer.vocab);
    expect(json.merges).toHaveLength(25);
    expect(json.merges[0].pair).toHaveLength(2);
    expect(json.settings.vocabSize).toBe(200);
  });

  it('the vocabulary CSV names each token’s origin and the merge that made it', () => {
    const rows = lines(vocabCsv(view));
    expect(rows).toHaveLength(trainer.vocab.length + 1);
    expect(rows[1]).toBe('0,[PAD],special,,,,,');
    expect(rows[initialVocabSize]).toMatch(/,alphabet,,,,,$/);
    const first = steps.find((s, i) => s.vocabSize > (steps[i - 1]?.vocabSize ?? initialVocabSize))!;
    const row = rows[initialVocabSize + 1]!.split(',');
    expect(row.slice(0, 6)).toEqual([
      String(initialVocabSize),
      first.token,
      'merge',
      String(first.step),
      first.pair[0],
      first.pair[1],
    ]);
  });

  it('the merges CSV has one row per merge, in order', () => {
    const rows = lines(mergesCsv(view));
    expect(rows[0]).toMatch(/^step,left,right,token,score/);
    expect(rows[0]).toMatch(/,merge_count,token_count_before,total_tokens_before,runner_up,runner_up_score$/);
    expect(rows).toHaveLength(26);
    expect(rows[25]!.split(',')[0]).toBe('25');
    const last = steps.at(-1)!;
    expect(rows[25]!.split(',').slice(-5)).toEqual([
      String(last.mergeCount),
      String(last.tokenCount),
      String(last.totalTokens),
      last.runnerUp!.token,
      String(last.runnerUp!.score),
    ]);
  });
});

describe('Training and Embedding sum exports, from a real session', () => {
  const vocabTrainer = createWordPieceTrainer(countWords(corpus), { vocabSize: 300 });
  vocabTrainer.run(Number.MAX_SAFE_INTEGER);
  // A vocabulary learned from the corpus: the micro preset's model.
  const settings: EngineSettings = {
    ...DEFAULT_ENGINE_SETTINGS,
    preset: 'micro',
    backend: 'cpu',
    batchSize: 2,
    seqLength: 16,
    warmupSteps: 0,
  };

  async function trainTwoSteps() {
    const session = createSession(settings, vocabTrainer.vocab, corpus);
    const reports: StepReport[] = [await session.step(), await session.step()];
    const V = session.config.vocabSize;
    let rows = createRowStats(V);
    for (const r of reports) rows = accumulateRows(rows, r);
    const history: TrainingPoint[] = reports.map(trainingPointOf);
    // The store's own initial view, so fields added to it later are filled in.
    const training: TrainingView = {
      ...createLabStore().getState().training,
      status: 'ready',
      settings,
      lastReport: reports[1]!,
      history,
      vocab: vocabTrainer.vocab,
      rows,
    };
    return { session, training, V };
  }

  it('the training JSON turns every typed array into numbers and keeps the counters', async () => {
    const { session, training, V } = await trainTwoSteps();
    const json = JSON.parse(JSON.stringify(trainJson(training, now)));
    expect(json.format).toBe('bert-embedding-lab/training-run');
    expect(json.settings.seed).toBe(42);
    expect(json.step).toBe(2);
    expect(json.lossHistory).toHaveLength(2);
    expect(json.lastReport.updateRowNorm).toHaveLength(V);
    expect(json.lastReport.batch.inputIds).toHaveLength(2 * 16);
    expect(json.lastReport.loss.mlm).toBe(training.lastReport!.loss.mlm);
    expect(json.rowCounters.steps).toBe(2);
    expect(json.rowCounters.byCause.lookup).toHaveLength(V);
    const lookups = json.rowCounters.byCause.lookup.reduce((s: number, x: number) => s + x, 0);
    expect(lookups).toBe(training.rows!.byCause.lookup.reduce((s, x) => s + x, 0));
    expect(json.rowCounters.lastCauses).toHaveLength(V);
    session.dispose();
  });

  it('the loss and row CSVs have one row per step and per row of E_token', async () => {
    const { session, training, V } = await trainTwoSteps();
    const loss = lines(lossCsv(training.history));
    expect(loss).toHaveLength(3);
    expect(Number(loss[1]!.split(',')[1])).toBe(training.history[0]!.mlm);
    const rows = lines(rowsCsv(training.rows!, training.vocab));
    expect(rows).toHaveLength(V + 1);
    expect(rows[0]).toBe(
      'id,token,frequency,lookup_steps,output_steps,momentum_steps,unchanged_steps,stalled_steps,last_cause,last_update_norm',
    );
    for (const row of rows.slice(1)) expect(row).not.toMatch(/e-\d/);
    session.dispose();
  });

  it('the row CSV calls no row moved on a step at learning rate 0, the last of the linear decay', async () => {
    const session = createSession({ ...settings, totalSteps: 2 }, vocabTrainer.vocab, corpus);
    await session.step();
    const last = await session.step();
    expect(last.learningRate).toBe(0);
    const rows = rowsCsv(accumulateRows(createRowStats(session.config.vocabSize), last), null);
    const causes = lines(rows)
      .slice(1)
      .map((line) => line.split(',').at(-2));
    expect(new Set(causes)).toEqual(new Set(['stalled']));
    session.dispose();
  });

  it('the sum JSON and CSV are the trace: token + segment + position = sum, for every position', async () => {
    const { session } = await trainTwoSteps();
    const trace = await session.trace('The baker sold bread.', 'It was warm.');
    const json = JSON.parse(
      JSON.stringify(
        sumJson(
          { trace, sentenceA: 'The baker sold bread.', sentenceB: 'It was warm.', settings, backend: 'cpu' },
          now,
        ),
      ),
    );
    expect(json.format).toBe('bert-embedding-lab/embedding-sum');
    expect(json.step).toBe(2);
    expect(json.model).toMatchObject({ preset: 'micro', seed: 42, optimizer: 'adamw' });
    expect(json.positions).toHaveLength(trace.seqLength);
    expect(json.inputIds).toEqual(trace.inputIds);
    for (const p of json.positions) {
      expect(p.sum).toHaveLength(trace.hidden);
      p.sum.forEach((x: number, j: number) =>
        expect(x).toBeCloseTo(p.tokenEmbedding[j] + p.segmentEmbedding[j] + p.positionEmbedding[j], 5),
      );
      expect(p.layerNormOutput).toHaveLength(trace.hidden);
    }
    const csv = lines(sumCsv(trace));
    expect(csv).toHaveLength(trace.seqLength * trace.hidden + 1);
    const [, token, id, , column, , , , sum] = csv[1]!.split(',');
    expect([token, Number(id), Number(column)]).toEqual(['[CLS]', trace.inputIds[0], 0]);
    expect(Math.fround(Number(sum))).toBe(trace.embeddingSum[0]);
    session.dispose();
  });
});

describe('helpers', () => {
  it('file names follow bert-lab-<view>-<what>.<ext>', () => {
    expect(exportFileName('pack', 'sequence', 'csv')).toBe('bert-lab-pack-sequence.csv');
  });

  it('toPlain copies typed arrays and sets into arrays, recursively', () => {
    expect(toPlain({ a: Float32Array.of(0.5), b: [Int32Array.of(3)], c: new Set([1]), d: 'x' })).toEqual({
      a: [0.5],
      b: [[3]],
      c: [1],
      d: 'x',
    });
  });
});
