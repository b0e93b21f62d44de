/**
 * Chapter 3 ('joint-training'): the embedding tables move step by step, by the same backprop and
 * the same optimizer as every other weight, while the loss changes.
 *
 * Read from the engine: each step's StepReport (loss, which position rows got a gradient) and a
 * snapshot of the watched token rows and the whole position table at step 0 and after each step.
 * A row's drift at step t is ‖row_t − row_0‖, its distance from where initialization put it.
 */
import type { EmbeddingTables } from '../model/embeddingSum';
import type { StepReport } from '../train/stepReport';
import { lossText, median, num, positiveIndices, type LessonResult } from './result';

/** The watched rows at one step: token rows in the order asked, and the position table [P, H]. */
export interface RowSnapshot {
  readonly step: number;
  readonly hidden: number;
  readonly tokenRows: readonly Float32Array[];
  readonly position: Float32Array;
}

/** Cuts a snapshot out of the engine's full tables (tables() at a step). */
export function rowSnapshot(tables: EmbeddingTables, tokenIds: readonly number[]): RowSnapshot {
  const H = tables.hidden;
  return {
    step: tables.step,
    hidden: H,
    tokenRows: tokenIds.map((id) => tables.token.slice(id * H, (id + 1) * H)),
    position: tables.position.slice(),
  };
}

function distance(a: Float32Array, b: Float32Array, from = 0, length = a.length): number {
  let s = 0;
  for (let k = from; k < from + length; k++) s += (a[k]! - b[k]!) ** 2;
  return Math.sqrt(s);
}

export interface WatchedRow {
  readonly token: string;
  /** ‖row_t − row_0‖ for t = 0 … steps (the first is 0). */
  readonly drift: readonly number[];
  /** ‖row_0‖, to set the drift against. */
  readonly initialNorm: number;
}

export interface JointTrainingClaim {
  readonly steps: number;
  /** Total loss (MLM + NSP) of each step, before its update. */
  readonly loss: readonly number[];
  readonly rows: readonly WatchedRow[];
  /** Position rows that got a gradient at some step, and the rest. */
  readonly positionsWithGradient: number;
  readonly positionsWithout: number;
  /** Median final drift of those two groups of position rows (NaN for an empty group). */
  readonly positionDrift: number;
  readonly idlePositionDrift: number;
  /** Every watched row moved at every step and ended farther than after step 1; positions too. */
  readonly holds: boolean;
}

export interface JointTrainingInput {
  readonly tokens: readonly string[];
  /** Step 0 first, then one per step, in order. */
  readonly snapshots: readonly RowSnapshot[];
  readonly reports: readonly Pick<StepReport, 'step' | 'loss' | 'positionGradRowNorm'>[];
}

function positionDrifts(first: RowSnapshot, last: RowSnapshot, rows: readonly number[]): number[] {
  return rows.map((p) => distance(last.position, first.position, p * first.hidden, first.hidden));
}

export function jointTrainingResult(input: JointTrainingInput): LessonResult<JointTrainingClaim> {
  const { tokens, snapshots, reports } = input;
  const first = snapshots[0];
  const last = snapshots.at(-1);
  if (!first || !last || snapshots.length !== reports.length + 1)
    throw new Error('joint-training needs the step-0 snapshot and one per step.');
  const rows: WatchedRow[] = tokens.map((token, i) => ({
    token,
    drift: snapshots.map((s) => distance(s.tokenRows[i]!, first.tokenRows[i]!)),
    initialNorm: Math.hypot(...first.tokenRows[i]!),
  }));
  const P = first.position.length / first.hidden;
  const gotGradient = new Set<number>();
  for (const r of reports) for (const p of positiveIndices(r.positionGradRowNorm)) gotGradient.add(p);
  const idle = [...Array(P).keys()].filter((p) => !gotGradient.has(p));
  const positionDrift = median(positionDrifts(first, last, [...gotGradient]));
  const idlePositionDrift = median(positionDrifts(first, last, idle));
  const loss = reports.map((r) => r.loss.total);
  const grows = rows.every(
    (r) => r.drift.slice(1).every((d) => d > 0) && r.drift.at(-1)! > (r.drift[1] ?? 0),
  );
  const claim: JointTrainingClaim = {
    steps: reports.length,
    loss,
    rows,
    positionsWithGradient: gotGradient.size,
    positionsWithout: idle.length,
    positionDrift,
    idlePositionDrift,
    holds: reports.length > 1 && grows && positionDrift > 0,
  };
  return {
    chapter: 'joint-training',
    answer: claim.holds ? 'jointly' : null,
    sentences: sentencesOf(claim),
    claim,
  };
}

function sentencesOf(c: JointTrainingClaim): string[] {
  const lossFirst = c.loss[0]!;
  const lossLast = c.loss.at(-1)!;
  const trend = lossLast < lossFirst ? 'fell' : lossLast > lossFirst ? 'rose' : 'stayed';
  const drifts = c.rows.map(
    (r) => `"${r.token}" ${num(r.drift.at(-1)!)} (${num(r.drift[1] ?? 0)} after step 1)`,
  );
  const sentences = [
    `Over ${c.steps} steps the loss ${trend} from ${lossText(lossFirst)} to ${lossText(lossLast)}, and the watched rows of E_token moved away from their random start: ${drifts.join(', ')}, against initial norms near ${num(median(c.rows.map((r) => r.initialNorm)))}.`,
    `The ${c.positionsWithGradient} position rows the batches reached moved a median ${num(c.positionDrift)}.`,
  ];
  if (c.positionsWithout > 0)
    sentences.push(
      `The other ${c.positionsWithout}, where no real token of any batch sat, got no gradient and moved a median ${num(c.idlePositionDrift)}${c.idlePositionDrift > 0 ? ' (weight decay or the optimizer’s state alone)' : ''}.`,
    );
  return sentences;
}
