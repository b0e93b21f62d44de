import { describe, expect, it } from 'vitest';
import { movementExplanation } from './explain';

describe('movementExplanation', () => {
  it('says the tied softmax reaches every row', () => {
    expect(movementExplanation({ optimizer: 'sgd', tieOutputEmbeddings: true })).toMatch(
      /softmax sends a gradient to every row/,
    );
  });

  it('says Adam keeps moving rows on momentum and LazyAdam moves only rows with a gradient', () => {
    expect(movementExplanation({ optimizer: 'adam', tieOutputEmbeddings: false })).toMatch(
      /no gradient keep moving on momentum/,
    );
    expect(movementExplanation({ optimizer: 'lazyadam', tieOutputEmbeddings: false })).toMatch(
      /only rows with a gradient move/,
    );
  });

  it('says the softmax’s rows move about as far as looked-up ones only under a tied Adam kind', () => {
    for (const optimizer of ['adam', 'adamw', 'lazyadam'] as const)
      expect(movementExplanation({ optimizer, tieOutputEmbeddings: true })).toMatch(/about as far/);
    expect(movementExplanation({ optimizer: 'adamw', tieOutputEmbeddings: true })).toContain('by √v,');
    expect(movementExplanation({ optimizer: 'adam', tieOutputEmbeddings: true })).toContain('by √v̂,');
    expect(movementExplanation({ optimizer: 'sgd', tieOutputEmbeddings: true })).not.toMatch(/about as far/);
    expect(movementExplanation({ optimizer: 'adam', tieOutputEmbeddings: false })).not.toMatch(
      /about as far/,
    );
  });

  it('says nothing moves at a learning rate of 0, whatever the optimizer', () => {
    expect(movementExplanation({ optimizer: 'adamw', tieOutputEmbeddings: true, learningRate: 0 })).toMatch(
      /no row moves/,
    );
  });
});
