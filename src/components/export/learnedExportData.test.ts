import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/domain/settings';
import type { LearnedReport } from '../../core/learned/types';
import { positionsTitle } from './LearnedExport';
import { learnedCsv, learnedJson, positionsCsv } from './learnedExportData';

const report: LearnedReport = {
  step: 7,
  vocabSize: 5,
  hidden: 2,
  centred: true,
  k: 2,
  neighbours: [
    {
      piece: 'the',
      id: 1,
      count: 40,
      neighbours: [
        { piece: 'a', id: 2, cosine: 0.5, count: 30 },
        { piece: ',', id: 3, cosine: -0.25, count: 20 },
      ],
    },
  ],
  corpusPieces: 3,
  positions: {
    count: 3,
    lookedUp: 2,
    cosines: new Float32Array([1, 0.1, 0.2, 0.1, 1, 0.3, 0.2, 0.3, 1]),
    adjacent: 0.1,
    tenApart: NaN,
    beyondAdjacent: NaN,
  },
  vocabMap: { ids: [1, 2], coords: new Float32Array([0.5, -1, 2, 0.25]), explained: [0.6, 0.3] },
  positionMap: { ids: [0, 1, 2], coords: new Float32Array([0, 0, 1, 1, 2, 2]), explained: [0.9, 0.1] },
  segments: { distance: 0.2, distanceAtStart: 0.1, cosine: 0.5, cosineAtStart: 0 },
};
const vocab = ['[PAD]', 'the', 'a', ',', '=cmd'];

describe('learned exports', () => {
  it('the JSON carries the model, the neighbours, a P×P cosine matrix and both maps by name', () => {
    const json = learnedJson(
      { report, vocab, settings: DEFAULT_ENGINE_SETTINGS, backend: 'wasm' },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(json.format).toBe('bert-embedding-lab/learned-rows');
    expect(json.view).toBe('learned');
    expect(json.model.backend).toBe('wasm');
    expect(json.positions.cosines).toEqual([
      [1, 0.1, 0.2],
      [0.1, 1, 0.3],
      [0.2, 0.3, 1],
    ]);
    expect(json.positions.beyondAdjacent).toBeNull();
    expect(json.neighbours.pieces[0]!.neighbours[1]).toEqual({
      piece: ',',
      id: 3,
      cosine: -0.25,
      corpusCount: 20,
    });
    expect(json.vocabMap.points[1]).toEqual({ piece: 'a', id: 2, pc1: 2, pc2: 0.25 });
    expect(json.positionMap.points[2]).toEqual({ position: 2, pc1: 2, pc2: 2 });
  });

  it('positionsCsv has one row per pair and marks the rows training looks up', () => {
    const lines = positionsCsv(report).trim().split('\r\n');
    expect(lines[0]).toBe('i,j,cosine,i_looked_up,j_looked_up');
    expect(lines).toHaveLength(1 + 9);
    expect(lines[2]).toBe('0,1,0.1,true,true');
    expect(lines[6]).toBe('1,2,0.3,true,false');
  });

  it('learnedCsv lists the neighbours by rank, the map points and the segment figures', () => {
    const lines = learnedCsv({ report, vocab }).trim().split('\r\n');
    expect(lines[0]).toBe('part,of,rank,piece,id,pc1,pc2,value');
    expect(lines[1]).toBe('neighbour_centred,the,1,a,2,,,0.5');
    expect(lines[2]).toBe('neighbour_centred,the,2,",",3,,,-0.25');
    expect(lines).toContain('vocab_map,,,the,1,0.5,-1,');
    expect(lines).toContain('segment_distance,step 7,,,,,,0.2');
  });

  it('the heatmap title names the never-looked-up rows only when there are some', () => {
    expect(positionsTitle(report)).toBe(
      'Cosine of every pair of the 3 position rows at step 7; row 2 never looked up (training sequences are 2 long)',
    );
    const all = { ...report, positions: { ...report.positions, lookedUp: 3 } };
    expect(positionsTitle(all)).toBe('Cosine of every pair of the 3 position rows at step 7');
  });
});
