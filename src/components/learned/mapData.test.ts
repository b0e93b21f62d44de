import { describe, expect, it } from 'vitest';
import type { Projection2D } from '../../core/learned/types';
import { positionPoints, vocabPoints } from './mapData';

const map = (ids: number[], coords: number[]): Projection2D => ({
  ids,
  coords: new Float32Array(coords),
  explained: [0.5, 0.2],
});

describe('map data', () => {
  it('vocabPoints labels the focus, the picks and the most frequent pieces, one point per id', () => {
    const vocab = ['[PAD]', 'the', 'he', 'two', 'a', 'of', 'and', 'to', 'in', 'is', 'it', 'zebra'];
    const ids = [1, 4, 5, 6, 7, 8, 9, 10, 11, 2, 1];
    const m = map(
      ids,
      ids.flatMap((id) => [id, -id]),
    );
    const points = vocabPoints(m, vocab, ['he', 'the'], 'he');
    expect(points).toHaveLength(10);
    expect(points.find((p) => p.key === 2)).toMatchObject({ kind: 'focus', label: 'he', x: 2, y: -2 });
    expect(points.find((p) => p.key === 1)).toMatchObject({ kind: 'pick', label: 'the' });
    expect(points.find((p) => p.key === 10)).toMatchObject({ kind: 'top', label: 'it' });
    expect(points.find((p) => p.key === 11)).toMatchObject({ kind: 'dot', label: '' });
  });

  it('positionPoints marks looked-up rows and labels the ends of both stretches', () => {
    const m = map([0, 1, 2, 3, 4], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const points = positionPoints(m, 3);
    expect(points.map((p) => p.kind)).toEqual(['looked', 'looked', 'looked', 'never', 'never']);
    expect(points.map((p) => p.label)).toEqual(['0', '', '2', '3', '4']);
  });
});
