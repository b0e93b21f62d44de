import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jointTrainingResult, rowSnapshot, type RowSnapshot } from './jointTraining';
import { tablesOf, trainRun, VOCAB } from './test/trainRun';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOKENS = ['the', 'boat', 'rain'];
const IDS = TOKENS.map((t) => VOCAB.indexOf(t));

async function run(optimizer: 'adamw' | 'sgd', learningRate: number, steps = 4) {
  const snapshots: RowSnapshot[] = [];
  const reports = await trainRun({
    optimizer,
    tied: true,
    steps,
    learningRate,
    seqLength: 40,
    watch: async (state) => void snapshots.push(rowSnapshot(await tablesOf(state), IDS)),
  });
  return { tokens: TOKENS, snapshots, reports };
}

describe('joint-training on real AdamW steps', () => {
  it('sees every watched row and the reached position rows move away from the start, step after step', async () => {
    const input = await run('adamw', 1e-3);
    const result = jointTrainingResult(input);
    const { claim } = result;
    expect(IDS.every((id) => id >= 0)).toBe(true);
    expect(claim.holds).toBe(true);
    expect(result.answer).toBe('jointly');
    expect(claim.loss).toEqual(input.reports.map((r) => r.loss.total));
    for (const row of claim.rows) {
      expect(row.drift).toHaveLength(5);
      expect(row.drift[0]).toBe(0);
      expect(row.drift[4]).toBeGreaterThan(row.drift[1]!);
    }
    // Sequences of at most 40 slots reach positions below 40 only.
    expect(claim.positionsWithGradient).toBeLessThanOrEqual(40);
    expect(claim.positionsWithout).toBe(64 - claim.positionsWithGradient);
    expect(claim.positionDrift).toBeGreaterThan(claim.idlePositionDrift);
    // AdamW's weight decay moves even the position rows no token reached.
    expect(claim.idlePositionDrift).toBeGreaterThan(0);
    expect(result.sentences[0]).toContain(`Over 4 steps the loss`);
    expect(result.sentences[2]).toContain('weight decay');
  });

  it('does not hold at a learning rate of 0, where nothing moves', async () => {
    const result = jointTrainingResult(await run('sgd', 0, 2));
    expect(result.claim.rows.every((r) => r.drift.every((d) => d === 0))).toBe(true);
    expect(result.claim.holds).toBe(false);
    expect(result.answer).toBeNull();
  });

  it('refuses a series without the step-0 snapshot', async () => {
    const input = await run('sgd', 1e-2, 1);
    expect(() => jointTrainingResult({ ...input, snapshots: input.snapshots.slice(1) })).toThrow(/step-0/);
  });
});
