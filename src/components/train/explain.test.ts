import { describe, expect, it } from 'vitest';
import { movementExplanation } from './explain';

describe('movementExplanation', () => {
  it('says the tied softmax reaches every row', () => {
    expect(movementExplanation({ optimizer: 'sgd', tieOutputEmbeddings: true })).toMatch(
      /softmax sends a small gradient to every row/,
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
});
