import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { cosineIndex, nearestRows } from './neighbours';
import { pca2d } from './pca';
import { positionCosines } from './positions';
import { corpusPieceCounts, learnedReport, LearnedRequestError, type LearnedInputs } from './report';
import type { LearnedRequest } from './types';

const V = 40;
const H = 6;
const P = 16;
const rng = new Rng(3);
const table = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
const vocab = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  ...Array.from({ length: V - 5 }, (_, i) => `w${i}`),
];
// w0 the most frequent, then w1, …; [UNK] as frequent as w0 but left out as a special; w30.. unseen.
const counts = vocab.map((p, id) => (p === '[UNK]' ? 1000 : id >= 5 && id < 35 ? 100 - id : 0));
const request: LearnedRequest = {
  pieces: ['w3', 'nope'],
  mapPieces: ['w33', 'w0', 'gone'],
  k: 4,
  centred: true,
  mapSize: 5,
};

const inputs = (over: Partial<LearnedInputs> = {}): LearnedInputs => ({
  tables: {
    step: 7,
    vocabSize: V,
    hidden: H,
    maxPositions: P,
    token: table(V * H),
    position: table(P * H),
    segment: table(2 * H),
    segmentAtStart: table(2 * H),
  },
  vocab,
  pieceCounts: counts,
  request,
  seqLength: 12,
  previousAxes: null,
  ...over,
});

describe('learnedReport', () => {
  it('builds every part of the report from the core functions', () => {
    const input = inputs();
    const { report, axes } = learnedReport(input);
    const { token, position } = input.tables;
    expect([report.step, report.vocabSize, report.hidden, report.k, report.centred]).toEqual([
      7,
      V,
      H,
      4,
      true,
    ]);
    const want = nearestRows(cosineIndex({ values: token, rows: V, cols: H }, true), 8, 4);
    expect(report.neighbours).toEqual([
      {
        piece: 'w3',
        id: 8,
        count: input.pieceCounts[8],
        neighbours: want.map((n) => ({ piece: vocab[n.id], ...n, count: input.pieceCounts[n.id] })),
      },
      { piece: 'nope', id: null, count: 0, neighbours: [] },
    ]);
    // Every piece with a count but the specials occurs in the corpus.
    expect(report.corpusPieces).toBe(
      vocab.filter((piece, id) => input.pieceCounts[id]! > 0 && !piece.startsWith('[')).length,
    );
    // The five most frequent pieces (no specials), then the picks not among them; unknown picks skipped.
    expect(report.vocabMap.ids).toEqual([5, 6, 7, 8, 9, 38]);
    expect(report.positions).toEqual(positionCosines(position, P, H, 12));
    expect(report.positionMap.ids).toHaveLength(P);
    expect(Array.from(report.positionMap.coords)).toEqual(Array.from(pca2d(position, P, H).coords));
    expect(axes.vocab).toHaveLength(2 * H);
  });

  it("signs the maps' axes like the previous frame's", () => {
    const input = inputs();
    const first = learnedReport(input);
    const flipped = { vocab: first.axes.vocab.map((x) => -x), position: first.axes.position.map((x) => -x) };
    const again = learnedReport({ ...input, previousAxes: flipped });
    expect(Array.from(again.report.positionMap.coords)).toEqual(
      Array.from(first.report.positionMap.coords.map((x) => -x)),
    );
    expect(Array.from(again.axes.vocab)).toEqual(Array.from(flipped.vocab));
  });

  it.each<[Partial<LearnedRequest>, RegExp]>([
    [{ k: 0 }, /1 to 50, not 0/],
    [{ k: 51 }, /1 to 50/],
    [{ k: NaN }, /not NaN/],
    [{ mapSize: 501 }, /0 to 500/],
    [{ mapSize: 2.5 }, /whole number/],
    [{ pieces: Array(13).fill('a') }, /at most 12/],
    [{ mapPieces: ['x'.repeat(101)] }, /at most 100/],
  ])('refuses %o with a clear message', (bad, message) => {
    const run = () => learnedReport(inputs({ request: { ...request, ...bad } }));
    expect(run).toThrow(LearnedRequestError);
    expect(run).toThrow(message);
  });
});

describe('corpusPieceCounts', () => {
  it('counts every id of every sentence once', () => {
    const counts = corpusPieceCounts([[[1, 2, 2], [3]], [[2, 9]]], 4);
    expect(Array.from(counts)).toEqual([0, 1, 3, 1]);
  });
});
