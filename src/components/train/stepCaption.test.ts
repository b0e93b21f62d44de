import { describe, expect, it } from 'vitest';
import { stepCaption } from './stepCaption';

const counts = (lookup: number, output: number, momentum: number, unchanged: number, stalled = 0) => ({
  lookup,
  output,
  momentum,
  unchanged,
  stalled,
});

describe('stepCaption', () => {
  it('narrates a tied Adam step with thousands separators, as the issue words it', () => {
    expect(stepCaption({ step: 12, counts: counts(41, 30_481, 183, 0), optimizer: 'adam', tied: true })).toBe(
      'Step 12: 41 rows moved through the lookup, 30,481 through the output softmax only, Adam moved 183 rows with no gradient. Every row moved.',
    );
  });

  it('uses the singular for one row and counts the rows with no gradient that stayed put', () => {
    expect(stepCaption({ step: 1, counts: counts(1, 0, 1, 998), optimizer: 'momentum', tied: false })).toBe(
      'Step 1: 1 row moved through the lookup, none through the output softmax (the output layer is untied), Momentum moved 1 row with no gradient. 998 rows got no gradient and did not move.',
    );
    expect(stepCaption({ step: 2, counts: counts(30, 0, 0, 1), optimizer: 'adam', tied: false })).toMatch(
      / 1 row got no gradient and did not move\.$/,
    );
  });

  it('gives no output-softmax rows when the output layer is untied, whatever the counts say', () => {
    const text = stepCaption({ step: 3, counts: counts(40, 5, 0, 955), optimizer: 'sgd', tied: false });
    expect(text).toContain('none through the output softmax (the output layer is untied)');
    expect(text).not.toMatch(/\d through the output softmax/);
  });

  it('says plain SGD moves nothing without a gradient and LazyAdam leaves such rows alone', () => {
    expect(stepCaption({ step: 5, counts: counts(40, 960, 0, 0), optimizer: 'sgd', tied: true })).toBe(
      'Step 5: 40 rows moved through the lookup, 960 through the output softmax only, plain SGD moved no row without a gradient. Every row moved.',
    );
    expect(
      stepCaption({ step: 5, counts: counts(40, 0, 0, 960), optimizer: 'lazyadam', tied: false }),
    ).toContain('LazyAdam left every row without a gradient where it was');
  });

  it('names weight decay for AdamW and appends the masked-word loss', () => {
    const text = stepCaption({
      step: 7,
      counts: counts(40, 0, 960, 0),
      optimizer: 'adamw',
      tied: false,
      mlmLoss: 6.90776,
    });
    expect(text).toContain('AdamW moved 960 rows with no gradient (momentum and weight decay)');
    expect(text).toMatch(/Masked-word loss 6\.908\.$/);
  });

  it('says at a learning rate of 0 that rows got a gradient but none moved, never that they were updated', () => {
    const untied = stepCaption({
      step: 12,
      counts: counts(0, 0, 0, 959, 41),
      optimizer: 'adamw',
      tied: false,
      learningRate: 0,
      gradient: { lookup: 41, outputOnly: 0 },
    });
    expect(untied).toBe(
      'Step 12: learning rate 0 — 41 rows got a gradient through the lookup but none moved. 959 rows got no gradient and did not move.',
    );
    const tied = stepCaption({
      step: 12,
      counts: counts(0, 0, 0, 0, 1000),
      optimizer: 'adam',
      tied: true,
      learningRate: 0,
      gradient: { lookup: 41, outputOnly: 959 },
    });
    expect(tied).toBe(
      'Step 12: learning rate 0 — 41 rows got a gradient through the lookup and 959 through the output softmax only, but none moved.',
    );
    expect(tied).not.toMatch(/moved through|updated/);
  });

  it('without the step’s report, counts the rows that had a gradient and did not move in one number', () => {
    expect(stepCaption({ step: 3, counts: counts(0, 0, 0, 0, 1000), optimizer: 'sgd', tied: true })).toBe(
      'Step 3: 1,000 rows got a gradient but none moved.',
    );
    expect(
      stepCaption({ step: 4, counts: counts(40, 950, 0, 0, 10), optimizer: 'sgd', tied: true }),
    ).toContain('plain SGD moved no row without a gradient. 10 rows got a gradient but did not move.');
  });

  it('says a non-finite step changed nothing', () => {
    expect(
      stepCaption({ step: 9, counts: counts(0, 0, 0, 1000), optimizer: 'adam', tied: true, nonFinite: true }),
    ).toMatch(/^Step 9 was not applied: .* every weight stayed as it was\.$/);
  });
});

describe('stepCaption: how far rows moved', () => {
  it('adds each group’s median ‖Δrow‖ and leaves out empty or still groups', () => {
    const text = stepCaption({
      step: 20,
      counts: counts(137, 30_385, 0, 0),
      optimizer: 'adamw',
      tied: true,
      medians: {
        lookup: { update: 0.019, grad: 1.7e-3 },
        output: { update: 0.024, grad: 1.9e-4 },
        momentum: { update: 0, grad: 0 },
      },
    });
    expect(text).toContain(
      'Every row moved. Median ‖Δrow‖ (‖g‖): 1.9e-2 (1.7e-3) through the lookup, 2.4e-2 (1.9e-4) through the output softmax only.',
    );
    expect(text).not.toContain('with no gradient.');
  });

  it('writes no ‖g‖ for rows that moved with no gradient', () => {
    const text = stepCaption({
      step: 2,
      counts: counts(136, 0, 101, 30_285),
      optimizer: 'adam',
      tied: false,
      medians: { lookup: { update: 2.1e-3, grad: 1.1e-4 }, momentum: { update: 7.3e-4, grad: 0 } },
    });
    expect(text).toContain(
      'Median ‖Δrow‖ (‖g‖): 2.1e-3 (1.1e-4) through the lookup, 7.3e-4 with no gradient.',
    );
  });
});
