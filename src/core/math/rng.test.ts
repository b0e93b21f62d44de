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
});
