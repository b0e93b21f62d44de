import { describe, expect, it } from 'vitest';
import { accumulateRows, createRowStats, rowTotals } from '../core/train/pure';
import { runRowFacts, stepRowFacts } from './rowFacts';

const step = (n: number, lookup: number[], output: number[], update: number[], inputIds: number[]) => ({
  step: n,
  lookupGradRowNorm: Float32Array.from(lookup),
  outputGradRowNorm: Float32Array.from(output),
  updateRowNorm: Float32Array.from(update),
  batch: { inputIds: Int32Array.from(inputIds) },
});

describe('row facts', () => {
  it('stepRowFacts counts the rows each path reached and the rows that moved', () => {
    const facts = stepRowFacts(step(3, [0.5, 0, 0, 0.1], [0.2, 0.3, 0, 0], [1, 1, 0.5, 0], [0, 3]));
    expect(facts).toMatchObject({
      step: 3,
      lookupGradient: 2,
      outputGradient: 2,
      moved: 3,
      gradient: { lookup: 2, outputOnly: 1 },
    });
    // Rows 0 and 3 through the lookup, row 1 through the output only; row 2 had no gradient.
    expect(facts.moveSizes.lookup.rows).toBe(2);
    expect(facts.moveSizes.lookup.update!.median).toBe(0.5);
    expect(facts.moveSizes.output.grad!.median).toBeCloseTo(0.3, 6);
    expect(facts.moveSizes.momentum.rows).toBe(1);
  });

  it('runRowFacts agrees with rowTotals and counts ids seen and ids looked up every step', () => {
    let rows = createRowStats(4);
    rows = accumulateRows(rows, step(1, [1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 2, 2]));
    rows = accumulateRows(rows, step(2, [1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0]));
    const facts = runRowFacts(rows);
    expect(facts).toMatchObject(rowTotals(rows));
    expect(facts.steps).toBe(2);
    expect(facts.seen).toBe(2);
    expect(facts.everyStep).toBe(1);
    // Row 0 moved in both steps, row 2 in the first only.
    expect(facts.movedEveryStep).toBe(1);
  });

  it('a model before its first step has seen nothing and has no row looked up every step', () => {
    const facts = runRowFacts(createRowStats(5));
    expect(facts.seen).toBe(0);
    expect(facts.neverSeen).toBe(5);
    // Every row matches "looked up in all 0 steps"; the plot is not drawn before a step, but the
    // count must still be the one the caption would read.
    expect(facts.everyStep).toBe(5);
  });
});
