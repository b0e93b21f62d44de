import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineIndex, nearestRows } from '../core/learned/neighbours';
import { pca2d } from '../core/learned/pca';
import { positionCosines } from '../core/learned/positions';
import { LearnedRequestError } from '../core/learned/report';
import { segmentDistance } from '../core/learned/segments';
import type { LearnedRequest } from '../core/learned/types';
import { createSession } from './session';
import { corpus, corpusVocab, MICRO_CPU_SETTINGS } from './test/fixtures';
import type { EngineSettings } from '../core/domain/settings';

const vocab = corpusVocab(400);
const settings: EngineSettings = { ...MICRO_CPU_SETTINGS, warmupSteps: 0 };
const request: LearnedRequest = {
  pieces: ['the', 'not-a-piece'],
  mapPieces: ['he'],
  k: 5,
  centred: true,
  mapSize: 30,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('session.learned', () => {
  it("reports the tables' neighbours, position cosines, maps and segment rows as the core computes them", async () => {
    const session = createSession(settings, vocab, corpus);
    const atStart = await session.learned(request);
    // Step 0: the segment rows are the seed's, so now and at step 0 agree.
    expect(atStart.segments.distance).toBeCloseTo(atStart.segments.distanceAtStart, 6);
    for (let i = 0; i < 5; i++) await session.step();
    const report = await session.learned(request);
    const t = await session.tables();
    const { vocabSize: V, hidden: H, maxPositions: P } = t;
    expect([report.step, report.vocabSize, report.hidden]).toEqual([5, V, H]);

    const the = vocab.indexOf('the');
    const want = nearestRows(cosineIndex({ values: t.token, rows: V, cols: H }, true), the, 5);
    expect(report.neighbours[0]).toEqual({
      piece: 'the',
      id: the,
      neighbours: want.map((n) => ({ piece: vocab[n.id], ...n })),
    });
    expect(report.neighbours[1]).toEqual({ piece: 'not-a-piece', id: null, neighbours: [] });

    expect(report.positions).toEqual(positionCosines(t.position, P, H, settings.seqLength));
    // Rows past the training length were never looked up: their cosines are the step-0 ones.
    const beyond = (r: typeof report) => r.positions.cosines[(P - 2) * P + P - 1];
    expect(beyond(report)).toBe(beyond(atStart));

    const s = segmentDistance(t.segment, new Float32Array(2 * H), H);
    expect(report.segments.distance).toBeCloseTo(s.distance, 6);
    expect(report.segments.distanceAtStart).toBe(atStart.segments.distanceAtStart);
    expect(report.segments.distance).not.toBe(report.segments.distanceAtStart);

    expect(report.vocabMap.ids).toHaveLength(31);
    expect(report.vocabMap.ids.at(-1)).toBe(vocab.indexOf('he'));
    const positionMap = pca2d(t.position, P, H).coords;
    // The same axes, each up to the sign the previous frame chose.
    for (const a of [0, 1]) {
      const sign = Math.sign(positionMap[a]!) * Math.sign(report.positionMap.coords[a]!);
      for (let r = 0; r < P; r++)
        expect(report.positionMap.coords[2 * r + a]).toBeCloseTo(sign * positionMap[2 * r + a]!, 4);
    }
    session.dispose();
  });

  it('refuses a request out of bounds with a clear message', async () => {
    const session = createSession(settings, vocab, corpus);
    await expect(session.learned({ ...request, k: 0 })).rejects.toThrow(LearnedRequestError);
    await expect(session.learned({ ...request, mapSize: 9999 })).rejects.toThrow(/0 to 500/);
    session.dispose();
  });
});
