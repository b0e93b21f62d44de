import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from './rng';

const draw = (seed: number, n: number): number[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.nextUint32());
};

describe('Rng', () => {
  it('gives the same numbers for the same seed and different numbers for another', () => {
    expect(draw(42, 8)).toEqual(draw(42, 8));
    expect(draw(42, 8)).not.toEqual(draw(43, 8));
  });

  it('draws floats in [0, 1) with mean near 1/2', () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 20_000 }, () => rng.float());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 2);
  });

  it('draws every integer of a range about equally often, both ends included', () => {
    const rng = new Rng(2);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[rng.intInclusive(3, 7) - 3]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('draws a truncated normal that never leaves two standard deviations', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 20_000 }, () => rng.truncatedNormal(0.02));
    expect(Math.max(...xs.map(Math.abs))).toBeLessThanOrEqual(0.04);
    // The standard deviation of N(0, 1) truncated to [-2, 2] is 0.8796.
    const std = Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    expect(std / 0.02).toBeCloseTo(0.88, 1);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const a = new Rng(4).shuffle([...Array(20).keys()]);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(new Rng(4).shuffle([...Array(20).keys()])).toEqual(a);
    expect(a).not.toEqual([...Array(20).keys()]);
  });

  it('derives different seeds for different labels and the same seed for the same label', () => {
    expect(deriveSeed(1, 'embeddings.token')).toBe(deriveSeed(1, 'embeddings.token'));
    expect(deriveSeed(1, 'embeddings.token')).not.toBe(deriveSeed(1, 'embeddings.segment'));
    expect(deriveSeed(1, 'dropout/1')).not.toBe(deriveSeed(2, 'dropout/1'));
  });

  // Pinned outputs. A share link stores only the seed and the step to train to: the page rebuilds
  // the run by drawing the same weights, pairs, masks and dropout again. Any change to these
  // numbers (generator, seeding, warm-up rounds, the way int/shuffle/normal consume draws, or how
  // seeds are derived from labels) silently changes every old link, so it must fail here first.
  it('draws the pinned numbers that old share links were made with', () => {
    expect(draw(1, 5)).toEqual([792534090, 3215351813, 160231488, 1151041103, 1990438114]);
    expect(draw(4294967295, 2)).toEqual([401775837, 815230463]);
    const floats = new Rng(1);
    expect([floats.float(), floats.float(), floats.float()]).toEqual([
      0.18452622229233384, 0.7486324321944267, 0.03730680048465729,
    ]);
    const ints = new Rng(2);
    expect(Array.from({ length: 5 }, () => ints.int(10))).toEqual([1, 3, 1, 5, 3]);
    expect(Array.from({ length: 3 }, () => ints.intInclusive(2, 100))).toEqual([5, 45, 59]);
    const normals = new Rng(3);
    const pinnedNormals = [-0.8798909453875644, -0.4614454132485278, -0.05645291810474326];
    pinnedNormals.forEach((x) => expect(normals.normal()).toBeCloseTo(x, 14));
    expect(normals.truncatedNormal(0.02)).toBeCloseTo(-0.008071632501425766, 15);
    expect(normals.truncatedNormal(0.02)).toBeCloseTo(0.012616976580417006, 15);
    expect(new Rng(4).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([8, 6, 4, 5, 1, 9, 3, 7, 2, 0]);
    expect(deriveSeed(1, 'embeddings.token')).toBe(1505765234);
    expect(deriveSeed(1, 'dropout/1')).toBe(1428642711);
    expect(deriveSeed(42, 'layers.0.attention.query.kernel')).toBe(1087938705);
  });
});
