import { describe, expect, it } from 'vitest';
import { rowFactsSentence } from './rowFactsText';

const base = {
  vocabSize: 30_522,
  lookupGradient: 137,
  outputGradient: 30_522,
  moved: 30_522,
  movedWithoutGradient: 0,
  optimizer: 'adamw' as const,
  tied: true,
  learningRate: 1e-4,
};

describe('rowFactsSentence', () => {
  it('counts rows by path and names what moves rows with no gradient under AdamW', () => {
    expect(rowFactsSentence(base)).toBe(
      'Last step: 137 of 30,522 token rows got a gradient through the lookup; 30,522 through the output softmax; 30,522 moved, 0 of them with no gradient at all (AdamW’s m and v from earlier steps, and its weight decay).',
    );
  });

  it('gives no softmax rows when untied and says plain SGD cannot move a row without a gradient', () => {
    const text = rowFactsSentence({ ...base, optimizer: 'sgd', tied: false, outputGradient: 0, moved: 137 });
    expect(text).toContain('none through the output softmax (the output layer is untied)');
    expect(text).toContain('plain SGD keeps no state');
    expect(text).not.toMatch(/weight decay/);
  });

  it('says nothing moved at a learning rate of 0', () => {
    expect(rowFactsSentence({ ...base, moved: 0, learningRate: 0 })).toMatch(
      /none moved, as the learning rate is 0\.$/,
    );
  });
});
