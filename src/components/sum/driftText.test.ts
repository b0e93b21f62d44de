import { describe, expect, it } from 'vitest';
import { tokenDrift } from '../../core/train/drift';
import { driftCause, driftSummary } from './driftText';

const start = Float32Array.of(0, 0, 1, 1, 2, 2, 3, 3);
/** Four rows of two columns: every row moved by (0.1, −0.2), and row 0 by (0.3, 0) more. */
const moved = start.map((x, i) => x + (i % 2 === 0 ? 0.1 : -0.2) + (i === 0 ? 0.3 : 0));
const drift = tokenDrift(moved, start, 4, 2, 7);
const still = tokenDrift(start, start, 4, 2, 7);

describe('the drift note', () => {
  it('gives the shared part’s size against the median row’s, from the drift’s own numbers', () => {
    const text = driftSummary(drift);
    expect(text).toContain('the 4 rows have moved a median ‖Δrow‖ = 0.224');
    expect(text).toContain(`‖mean Δ‖ = ${drift.meanNorm.toPrecision(3)}`);
    expect(driftSummary(still)).toBe(
      'At step 7 no row of E_token has moved since step 0: there is no drift yet.',
    );
  });

  it('names Adam’s per-coordinate step under a tied output, and not under untied SGD', () => {
    const tied = driftCause({ optimizer: 'adamw', tieOutputEmbeddings: true, learningRate: 1e-3 }, drift);
    expect(tied).toContain('AdamW’s per-coordinate step m/√v');
    expect(tied).toContain('tied output');
    const untied = driftCause({ optimizer: 'sgd', tieOutputEmbeddings: false, learningRate: 1e-3 }, drift);
    expect(untied).toContain('The output layer is untied');
    expect(untied).not.toContain('per-coordinate step');
    const tiedSgd = driftCause({ optimizer: 'sgd', tieOutputEmbeddings: true, learningRate: 1e-3 }, drift);
    expect(tiedSgd).toContain('plain SGD keeps each row’s step proportional to its gradient');
  });

  it('says a learning rate of 0 moves nothing, and keeps the cause of a change made before', () => {
    const zero = { optimizer: 'adamw', tieOutputEmbeddings: true, learningRate: 0 } as const;
    expect(driftCause(zero, still)).toBe('The learning rate is 0, so no step moves any row.');
    expect(driftCause(zero, drift)).toMatch(/^The learning rate is now 0: .* It comes from the tied output/);
  });
});
