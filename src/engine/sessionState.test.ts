import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSessionFile, encodeSessionFile, joinParts, packArrays } from '../persist/format';
import { checkSession, COMPARE_PREFIX, restoreInto } from './persistJobs';
import { SESSION_FORMAT_NAME, validateHeader, type SessionHeader } from '../persist/schema';
import { encodePageState } from '../persist/pageState';
import { createSession, type Session } from './session';
import { checkTrainArrays, readTrainState, restoreTrainState } from './sessionState';
import { corpus, corpusVocab } from './test/fixtures';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings, type OptimizerChoice } from '../core/domain/settings';

const vocab = corpusVocab(400);
const base: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  preset: 'micro',
  backend: 'cpu',
  batchSize: 2,
  seqLength: 16,
  warmupSteps: 2,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function losses(session: Session, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await session.step()).loss.total);
  return out;
}

/** Saves a session to a file's bytes and reads it back, as export and import do. */
async function roundTrip(main: Session, compare: Session | null, settings: EngineSettings) {
  const a = await readTrainState(main, '');
  const b = compare ? await readTrainState(compare, COMPARE_PREFIX) : null;
  const page = encodePageState({ history: [], rows: null, frames: [], lastReport: null, comparison: null });
  const { arrays, payload } = packArrays([...a.arrays, ...(b?.arrays ?? []), ...page.arrays]);
  const header: SessionHeader = {
    format: SESSION_FORMAT_NAME,
    name: 'test',
    savedAt: 0,
    backend: 'cpu',
    settings,
    vocab,
    corpus,
    main: a.counters,
    compare: b?.counters ?? null,
    page: page.json,
    arrays,
    payloadBytes: payload.byteLength,
  };
  const bytes = joinParts(encodeSessionFile(header, payload));
  const file = decodeSessionFile(bytes.buffer);
  return checkSession(validateHeader(file.header), file.arrays);
}

describe('saving and restoring a session’s training state', () => {
  it.each<OptimizerChoice>(['adam', 'lazyadam', 'adamw', 'momentum', 'sgd'])(
    '%s: the steps after a restore are the steps the session would have taken',
    async (optimizer) => {
      const settings = { ...base, optimizer };
      const uninterrupted = createSession(settings, vocab, corpus);
      const expected = await losses(uninterrupted, 5);
      uninterrupted.dispose();

      const first = createSession(settings, vocab, corpus);
      await losses(first, 3);
      const checked = await roundTrip(first, null, settings);
      first.dispose();

      const before = tf.memory().numTensors;
      const resumed = createSession(settings, vocab, corpus);
      restoreInto(checked, resumed, null);
      expect(resumed.state.step).toBe(3);
      expect(resumed.state.optimizer.updates).toBe(3);
      const after = await losses(resumed, 2);
      expect(after[0]).toBeCloseTo(expected[3]!, 5);
      expect(after[1]).toBeCloseTo(expected[4]!, 5);
      expect(Math.abs(after[0]! - expected[3]!)).toBeLessThan(1e-5);
      resumed.dispose();
      // Restoring leaves no tensor behind.
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('needs every part: without the stream position or Adam’s t, the next step differs', async () => {
    const settings = { ...base, optimizer: 'adam' as const };
    const reference = createSession(settings, vocab, corpus);
    const expected = await losses(reference, 5);
    reference.dispose();
    const first = createSession(settings, vocab, corpus);
    await losses(first, 3);
    const checked = await roundTrip(first, null, settings);
    first.dispose();
    const variants = [
      { ...checked.header.main, batchesDrawn: 0 },
      { ...checked.header.main, updates: 0 },
    ];
    for (const counters of variants) {
      const wrong = createSession(settings, vocab, corpus);
      restoreTrainState(wrong, counters, checked.arrays, '');
      // t shows only in the update, so in the loss of the step after.
      const after = await losses(wrong, 2);
      const gap = Math.max(Math.abs(after[0]! - expected[3]!), Math.abs(after[1]! - expected[4]!));
      expect(gap).toBeGreaterThan(1e-5);
      wrong.dispose();
    }
  });

  it('restores both runs of an A/B optimizer comparison', async () => {
    const settings: EngineSettings = { ...base, optimizer: 'adam', compareOptimizer: 'lazyadam' };
    const b = { ...settings, optimizer: 'lazyadam' as const };
    const refA = createSession(settings, vocab, corpus);
    const refB = createSession(b, vocab, corpus);
    const expectedA = await losses(refA, 3);
    const expectedB = await losses(refB, 3);
    refA.dispose();
    refB.dispose();

    const mainRun = createSession(settings, vocab, corpus);
    const otherRun = createSession(b, vocab, corpus);
    await losses(mainRun, 2);
    await losses(otherRun, 2);
    const checked = await roundTrip(mainRun, otherRun, settings);
    mainRun.dispose();
    otherRun.dispose();

    const a2 = createSession(settings, vocab, corpus);
    const b2 = createSession(b, vocab, corpus);
    restoreInto(checked, a2, b2);
    expect((await a2.step()).loss.total).toBeCloseTo(expectedA[2]!, 5);
    expect((await b2.step()).loss.total).toBeCloseTo(expectedB[2]!, 5);
    a2.dispose();
    b2.dispose();
  });

  it('a non-finite step that drew a batch is counted, so the stream stays in step', async () => {
    const session = createSession(base, vocab, corpus);
    await losses(session, 2);
    session.skipBatches(1);
    const { counters } = await readTrainState(session, '');
    expect(counters).toEqual({ step: 2, updates: 2, batchesDrawn: 3 });
    session.dispose();
  });

  it('refuses arrays of the wrong length or an optimizer’s missing moments, naming them', async () => {
    const session = createSession(base, vocab, corpus);
    const { arrays } = await readTrainState(session, '');
    const map = new Map(arrays.map((a) => [a.name, a.values]));
    expect(() => checkTrainArrays(session.config, 'adam', map, '')).not.toThrow();
    const short = new Map(map);
    short.set('embeddings.token', new Float32Array(7));
    expect(() => checkTrainArrays(session.config, 'adam', short, '')).toThrow(
      /embeddings.token" has 7 numbers/,
    );
    const noMoments = new Map([...map].filter(([name]) => !name.endsWith('#v')));
    expect(() => checkTrainArrays(session.config, 'adam', noMoments, '')).toThrow(/#v/);
    expect(() => checkTrainArrays(session.config, 'sgd', map, '')).toThrow(/does not have/);
    session.dispose();
  });

  it('restores only into a session that has not trained', async () => {
    const session = createSession(base, vocab, corpus);
    const state = await readTrainState(session, '');
    await session.step();
    const map = new Map(state.arrays.map((a) => [a.name, a.values]));
    expect(() => restoreTrainState(session, state.counters, map, '')).toThrow(/fresh session/);
    session.dispose();
  });
});
