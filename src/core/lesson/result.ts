/**
 * What every chapter's result function returns, and the small helpers they share: the batch's
 * real (non-[PAD]) ids, medians, and numbers written the same way in every sentence.
 */
import type { LessonChapterId } from './chapters';
import { quantileSorted } from '../train/moveSizes';

/**
 * A chapter's outcome. `sentences` state the run's own numbers and are true for the settings the
 * run used; `claim` holds the facts a test compares with the engine's report, and `claim.holds`
 * says whether this run bore the chapter's claim out. `answer` is the id of the choice the run
 * supports: the chapter's `question.correct` when the claim holds.
 */
export interface LessonResult<Claim extends { readonly holds: boolean }> {
  readonly chapter: LessonChapterId;
  readonly answer: string | null;
  readonly sentences: readonly string[];
  readonly claim: Claim;
}

/** The distinct ids of the batch's real tokens, ascending: every slot the attention mask keeps. */
export function batchTokenIds(batch: {
  readonly inputIds: ArrayLike<number>;
  readonly attentionMask: ArrayLike<number>;
}): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < batch.inputIds.length; i++)
    if (batch.attentionMask[i] === 1) ids.add(batch.inputIds[i]!);
  return [...ids].sort((a, b) => a - b);
}

/** Indices whose value is > 0, ascending. */
export function positiveIndices(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) out.push(i);
  return out;
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The q-quantile of `values` by linear interpolation between order statistics (NumPy's default):
 * q = 0.5 is the median, the mean of the middle two for an even count. NaN when empty.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  // The Training view's move-size table's definition (d3's type 7), on a sorted copy.
  return quantileSorted(Float64Array.from(values).sort(), q);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** A count in words' company: 30,522. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A measured quantity with two significant digits: 0.018, 5.3e-3, 1.2. Small and large values
 * go to e-notation so a sentence never shows a column of zeros.
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-2 || abs >= 1e5) return x.toExponential(1).replace('e+', 'e');
  return String(Number(x.toPrecision(2)));
}

/** A loss with two decimals, so that ten steps' change shows: 10.98. */
export function lossText(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : String(x);
}

/** A share as a percentage with up to one decimal: 12.5%. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Number(((100 * part) / whole).toFixed(1))}%`;
}
