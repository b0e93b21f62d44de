import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accumulateRows, createRowStats, type RowFrame, type RowStats, type StepReport } from '../core/train';
import { decodeSessionFile, encodeSessionFile, joinParts, packArrays } from '../persist/format';
import { encodePageState, type SavedPageState } from '../persist/pageState';
import { SESSION_FORMAT_NAME, validateHeader, type SessionHeader } from '../persist/schema';
import type { TrainingPoint } from '../core/domain/history';
import { checkSession } from './persistJobs';
import { createSession } from './session';
import { readTrainState } from './sessionState';
import { corpus, corpusVocab } from './test/fixtures';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';

const vocab = corpusVocab(300);
const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  preset: 'micro',
  backend: 'cpu',
  batchSize: 2,
  seqLength: 16,
};

let file: { header: SessionHeader; payload: ArrayBuffer };
let page: SavedPageState;

function bytesOf(header: object, payload: ArrayBuffer): ArrayBuffer {
  return joinParts(encodeSessionFile(header as SessionHeader, payload)).buffer;
}

/** Decodes and checks a file as an import does. */
function check(bytes: ArrayBuffer) {
  const decoded = decodeSessionFile(bytes);
  return checkSession(validateHeader(decoded.header), decoded.arrays);
}

/** The saved file with its header changed, and a correct checksum: only the meaning is wrong. */
const withHeader = (patch: Record<string, unknown>) => bytesOf({ ...file.header, ...patch }, file.payload);

beforeAll(async () => {
  await tf.setBackend('cpu');
  const session = createSession(settings, vocab, corpus);
  let rows: RowStats = createRowStats(vocab.length);
  const frames: RowFrame[] = [];
  const history: TrainingPoint[] = [];
  let last: StepReport | null = null;
  for (let i = 0; i < 3; i++) {
    last = await session.step();
    rows = accumulateRows(rows, last);
    frames.push({
      step: last.step,
      causes: rows.last!.causes.slice(),
      updateNorm: last.updateRowNorm,
      counts: rows.last!.counts,
    });
    const { mlm, nsp, total } = last.loss;
    history.push({
      step: last.step,
      mlm,
      nsp,
      total,
      mlmAccuracy: last.mlmAccuracy,
      nspAccuracy: last.nspAccuracy,
      learningRate: last.learningRate,
      ms: 1,
    });
  }
  page = { history, rows, frames, lastReport: last, comparison: null };
  const state = await readTrainState(session, '');
  const encoded = encodePageState(page);
  const { arrays, payload } = packArrays([...state.arrays, ...encoded.arrays]);
  file = {
    header: {
      format: SESSION_FORMAT_NAME,
      name: 'three steps',
      savedAt: 1,
      backend: 'cpu',
      settings,
      vocab,
      corpus,
      main: state.counters,
      compare: null,
      page: encoded.json,
      arrays,
      payloadBytes: payload.byteLength,
    },
    payload,
  };
  session.dispose();
});

describe('checking a whole session file before it is imported or restored', () => {
  it('accepts a good file and gives back the view state exactly: history, counters, frames, report', () => {
    const checked = check(bytesOf(file.header, file.payload));
    expect(checked.header.main).toEqual({ step: 3, updates: 3, batchesDrawn: 3 });
    expect(checked.page.history).toEqual(page.history);
    expect(checked.page.rows!.steps).toBe(3);
    expect(checked.page.rows!.byCause.lookup).toEqual(page.rows!.byCause.lookup);
    expect(checked.page.rows!.frequency).toEqual(page.rows!.frequency);
    expect(checked.page.frames.map((f) => f.step)).toEqual([1, 2, 3]);
    expect(checked.page.frames[2]!.updateNorm).toEqual(page.frames[2]!.updateNorm);
    const r = checked.page.lastReport!;
    expect(r.loss).toEqual(page.lastReport!.loss);
    expect(r.batch.inputIds).toEqual(page.lastReport!.batch.inputIds);
    expect(r.batch.maskedOutcomes).toEqual(page.lastReport!.batch.maskedOutcomes);
    expect(r.updateRowNorm).toEqual(page.lastReport!.updateRowNorm);
    expect(r.lookupRows).toEqual(page.lastReport!.lookupRows);
  });

  it('refuses a header of another program', () => {
    expect(() => check(withHeader({ format: 'something-else' }))).toThrow(/not a saved session of this lab/);
  });

  it('refuses settings the engine would refuse, with the engine’s words', () => {
    expect(() => check(withHeader({ settings: { ...settings, batchSize: 1000 } }))).toThrow(
      /Batch size must be 1 to 64/,
    );
    expect(() => check(withHeader({ settings: { ...settings, optimizer: 'rmsprop' } }))).toThrow(
      /optimizer must be one of/,
    );
  });

  it('refuses arrays that do not fit the model: another vocabulary, another optimizer', () => {
    expect(() => check(withHeader({ vocab: vocab.slice(0, 200) }))).toThrow(
      /embeddings.token" has \d+ numbers; its shape 200×/,
    );
    expect(() => check(withHeader({ settings: { ...settings, optimizer: 'sgd' } }))).toThrow(
      /"embeddings.token#m" this model does not have/,
    );
    expect(() => check(withHeader({ settings: { ...settings, optimizer: 'momentum' } }))).toThrow(
      /no "embeddings.token#momentum"/,
    );
  });

  it('refuses counters that disagree and a damaged view state', () => {
    expect(() => check(withHeader({ main: { step: 5, updates: 5, batchesDrawn: 3 } }))).toThrow(
      /counters disagree/,
    );
    expect(() => check(withHeader({ page: { ...(file.header.page as object), history: 'lots' } }))).toThrow(
      /loss history/,
    );
    const page = file.header.page as { report: { lookupRows: number[] } };
    expect(() =>
      check(withHeader({ page: { ...page, report: { ...page.report, lookupRows: [1e6] } } })),
    ).toThrow(/lookupRows/);
  });

  it('refuses a comparison run the settings do not mention', () => {
    expect(() => check(withHeader({ compare: { step: 1, updates: 1, batchesDrawn: 1 } }))).toThrow(
      /disagree/,
    );
  });
});
