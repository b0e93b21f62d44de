/**
 * Chapter 8 ('learned'): what the rows become. The position table is the clearest case: row i is
 * added to whatever token sits at slot i of every sequence, so its gradient is the sum of the
 * gradients reaching slot i. Neighbouring slots see nearly the same contexts, so their rows grow
 * alike and the cosine matrix of the table draws a band along its diagonal. Rows at or past the
 * training length T are never looked up: the lookup sends them exactly zero, and the position table
 * feeds no output layer, so nothing else does either.
 *
 * Read from the engine: the position table at step 0, every few steps and after the last step, and
 * the last step's report (how far each position row moved in that step).
 */
import { positionCosines } from '../learned/positions';
import { num, type LessonResult } from './result';

/** The position table at one step: [P, H], row-major. */
export interface PositionSnapshot {
  readonly step: number;
  readonly position: Float32Array;
}

export interface LearnedInput {
  /** Step 0 first, the last step last. */
  readonly snapshots: readonly PositionSnapshot[];
  readonly positions: number;
  readonly hidden: number;
  /** The training sequence length T. */
  readonly seqLength: number;
  /** The last step's ‖ΔE_position[r]‖, by row (the engine's StepReport). */
  readonly lastUpdateRowNorm: ArrayLike<number>;
  /** Whether the optimizer decays weights (AdamW): then the rows past T shrink and do not turn. */
  readonly weightDecay: boolean;
}

/** The band figures at one snapshot (positions.ts's definitions). */
export interface BandPoint {
  readonly step: number;
  readonly adjacent: number;
  readonly tenApart: number;
  readonly beyondAdjacent: number;
}

export interface LearnedClaim {
  readonly holds: boolean;
  readonly steps: number;
  readonly positions: number;
  readonly lookedUp: number;
  readonly band: readonly BandPoint[];
  /** The largest |cos_end(i, j) − cos_0(i, j)| over rows i, j both at or past T. */
  readonly beyondMaxCosineChange: number;
  /** ‖row_end‖ / ‖row_0‖ of the rows at or past T: the smallest and the largest. */
  readonly beyondScale: { readonly min: number; readonly max: number };
  /** The last step's ‖Δrow‖ of the rows at or past T (the report's): the smallest and the largest. */
  readonly beyondLastUpdate: { readonly min: number; readonly max: number };
}

/** A band grown this much above its step-0 value (and this far above rows 10 apart) counts as formed. */
const BAND_RISE = 0.05;
/** Cosines of rows that only shrank agree with step 0 to float32 rounding, far inside this. */
const UNCHANGED = 1e-5;

function norm(table: Float32Array, row: number, H: number): number {
  let s = 0;
  for (let c = row * H; c < (row + 1) * H; c++) s += table[c]! ** 2;
  return Math.sqrt(s);
}

function range(values: readonly number[]): { min: number; max: number } {
  return values.length === 0
    ? { min: NaN, max: NaN }
    : { min: Math.min(...values), max: Math.max(...values) };
}

/** The claim's numbers from the engine's position tables and its last report. */
export function learnedClaim(input: LearnedInput): LearnedClaim {
  const { snapshots, positions: P, hidden: H } = input;
  const first = snapshots[0];
  const last = snapshots.at(-1);
  if (!first || !last || snapshots.length < 2)
    throw new Error('The learned chapter needs the position table at step 0 and after training.');
  const T = Math.max(0, Math.min(P, input.seqLength));
  const cos = snapshots.map((s) => positionCosines(s.position, P, H, T));
  const start = cos[0]!.cosines;
  const end = cos.at(-1)!.cosines;
  let beyondMaxCosineChange = 0;
  for (let i = T; i < P; i++)
    for (let j = i + 1; j < P; j++)
      beyondMaxCosineChange = Math.max(beyondMaxCosineChange, Math.abs(end[i * P + j]! - start[i * P + j]!));
  const beyond = Array.from({ length: P - T }, (_, k) => T + k);
  const band = cos.map((c, k) => ({
    step: snapshots[k]!.step,
    adjacent: c.adjacent,
    tenApart: c.tenApart,
    beyondAdjacent: c.beyondAdjacent,
  }));
  const a0 = band[0]!;
  const a1 = band.at(-1)!;
  return {
    holds:
      a1.adjacent - a0.adjacent >= BAND_RISE &&
      a1.adjacent - a1.tenApart >= BAND_RISE &&
      beyondMaxCosineChange < UNCHANGED,
    steps: last.step,
    positions: P,
    lookedUp: T,
    band,
    beyondMaxCosineChange,
    beyondScale: range(beyond.map((r) => norm(last.position, r, H) / norm(first.position, r, H))),
    beyondLastUpdate: range(beyond.map((r) => input.lastUpdateRowNorm[r]!)),
  };
}

/** A cosine with two decimals and its sign: −0.04, 0.13. */
const cos2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2).replace('-', '−') : '–');

/** One factor when every row shrank alike (AdamW's decay does), else the range. */
function scaleText({ min, max }: { min: number; max: number }): string {
  const [a, b] = [min.toFixed(4), max.toFixed(4)];
  return a === b ? a : `${a}–${b}`;
}

export function learnedResult(input: LearnedInput): LessonResult<LearnedClaim> {
  const c = learnedClaim(input);
  const a0 = c.band[0]!;
  const a1 = c.band.at(-1)!;
  const sentences = [
    `After ${c.steps} steps, neighbouring position rows (1 and 2, 2 and 3, … up to ${c.lookedUp - 1}) have a mean cosine of ${cos2(a1.adjacent)}, against ${cos2(a0.adjacent)} at step 0; rows 10 apart are at ${cos2(a1.tenApart)} (${cos2(a0.tenApart)} at step 0).`,
    c.holds || a1.adjacent - a0.adjacent >= BAND_RISE
      ? 'Each position became most like the positions next to it: a band along the diagonal of the cosine matrix. Nobody told the model that slot 5 follows slot 4; it learned it from where words sit.'
      : 'In this run the neighbouring rows did not grow clearly more alike than rows farther apart.',
  ];
  if (c.lookedUp < c.positions) {
    sentences.push(
      `Rows ${c.lookedUp}–${c.positions - 1} are never looked up: every training sequence is ${c.lookedUp} tokens long. Their cosines are ${c.beyondMaxCosineChange < UNCHANGED ? 'as at step 0, to float rounding' : 'no longer as at step 0'} (the largest change is ${num(c.beyondMaxCosineChange)}).`,
    );
    sentences.push(
      input.weightDecay && c.beyondScale.max < 1
        ? `They did move a little: AdamW's weight decay shrank each to ${scaleText(c.beyondScale)} of its length (${num(c.beyondLastUpdate.max)} in the last step), and shrinking a row does not turn it, so no cosine changed.`
        : `They did not move at all: in the last step their ‖Δrow‖ was at most ${num(c.beyondLastUpdate.max)}.`,
    );
  }
  return {
    chapter: 'learned',
    answer: c.holds ? 'band' : null,
    sentences,
    claim: c,
  };
}
