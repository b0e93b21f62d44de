import { describe, expect, it } from 'vitest';
import type { MoveSizes, Quartiles } from '../../core/train/moveSizes';
import { formatNorm, formatRange, formatRatio, moveSizeExplanation } from './moveSizeText';

const q = (median: number, spread = 2): Quartiles => ({
  min: median / 10,
  q1: median / spread,
  median,
  q3: median * spread,
  max: median * 10,
});
const EMPTY = { rows: 0, update: null, grad: null };

/** Step 20 of the default model, as the issue measured it. */
const tiedAdam: MoveSizes = {
  lookup: { rows: 137, update: q(1.9e-2), grad: q(1.7e-3) },
  output: { rows: 30_385, update: q(2.4e-2), grad: q(1.9e-4) },
  momentum: EMPTY,
};

describe('moveSizeExplanation', () => {
  it('formats norms and ratios with two significant digits', () => {
    expect(formatNorm(0.0194)).toBe('1.9e-2');
    expect(formatNorm(0)).toBe('0');
    expect(formatRatio(8.947)).toBe('8.9×');
    expect(formatRatio(0.7917)).toBe('0.79×');
    expect(formatRatio(123.4)).toBe('123×');
  });

  it('explains Adam’s per-coordinate scaling with the step’s own ratios', () => {
    const text = moveSizeExplanation({ optimizer: 'adamw', learningRate: 1e-4, sizes: tiedAdam });
    expect(text).toContain('divides each coordinate’s step by √v');
    expect(text).toContain('weight decay');
    expect(text).toContain('median ‖g‖ is 8.9× the output-only rows’, and their median ‖Δrow‖ 0.79× theirs');
  });

  it('says SGD steps follow gradients, and gives one group’s spread when it is alone', () => {
    const untied: MoveSizes = {
      lookup: { rows: 40, update: q(1e-4, 3), grad: q(1e-2, 3) },
      output: EMPTY,
      momentum: EMPTY,
    };
    const text = moveSizeExplanation({ optimizer: 'sgd', learningRate: 0.01, sizes: untied });
    expect(text).toMatch(/^Plain SGD moves a row by the learning rate times its/);
    expect(text).toContain('‖g‖ spans 9.0× from its lower to its upper quartile, their ‖Δrow‖ 9.0×');
    expect(text).not.toMatch(/√v/);
  });

  it('says nothing moved at a learning rate of 0', () => {
    const still: MoveSizes = {
      lookup: { rows: 40, update: { min: 0, q1: 0, median: 0, q3: 0, max: 0 }, grad: q(1e-2) },
      output: EMPTY,
      momentum: EMPTY,
    };
    expect(moveSizeExplanation({ optimizer: 'adam', learningRate: 0, sizes: still })).toMatch(
      /learning rate is 0, so every ‖Δrow‖ is 0/,
    );
  });
});

describe('formatRange', () => {
  it('writes a shared exponent once, and both in full when they differ', () => {
    expect(formatRange(1.3e-2, 2.04e-2)).toBe('1.3–2.0e-2');
    expect(formatRange(9.5e-3, 2.0e-2)).toBe('9.5e-3–2.0e-2');
    expect(formatRange(0, 2.0e-2)).toBe('0–2.0e-2');
    expect(formatRange(0, 0)).toBe('0–0');
  });
});
