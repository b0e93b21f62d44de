/**
 * Finding the best live pair, and the runner-up, under each score. The order is: highest score,
 * then highest count(ab), then the pair whose left and then right symbol comes first in plain
 * string order. A linear scan over the pair slots; see scripts/bench-trainer.ts.
 */
import { gainOf } from './likelihood';
import type { MergeScore } from './options';
import type { PairSlots } from './pairs';

export interface Candidate {
  readonly left: number;
  readonly right: number;
  readonly score: number;
  /** count(ab). */
  readonly count: number;
}

export interface Ranking {
  readonly best: Candidate;
  /** The best pair after `best` under the same order; null when only one pair is live. */
  readonly runnerUp: Candidate | null;
}

/** What the scan reads besides the pair slots. */
export interface ScoringContext {
  readonly slots: PairSlots;
  /** c(x) for every symbol. */
  readonly symbolCount: readonly number[];
  /** The epoch in which each symbol's count last changed. */
  readonly symbolChanged: readonly number[];
  /** For the pair (x, x): how many merges it would make (⌊r / 2⌋ summed over runs of x). */
  readonly selfMerges: readonly number[];
  /** N: tokens in the corpus now. */
  readonly total: number;
  /** The merge being chosen; memos written now carry it. */
  readonly epoch: number;
  /** Whether (left, right) comes before (otherLeft, otherRight) in plain string order. */
  sortsBefore(left: number, right: number, otherLeft: number, otherRight: number): boolean;
}

/** The best two pairs seen so far, kept in mutable fields so the scan allocates only on a change. */
class Podium {
  first: Candidate | null = null;
  second: Candidate | null = null;

  constructor(private readonly sortsBefore: ScoringContext['sortsBefore']) {}

  /** The score a pair must reach to enter the podium (ties are settled by `offer`). */
  get bar(): number {
    return this.second?.score ?? -Infinity;
  }

  offer(left: number, right: number, score: number, count: number): void {
    if (this.second !== null && !this.beats(left, right, score, count, this.second)) return;
    const candidate = { left, right, score, count };
    if (this.first === null || this.beats(left, right, score, count, this.first)) {
      this.second = this.first;
      this.first = candidate;
    } else {
      this.second = candidate;
    }
  }

  private beats(left: number, right: number, score: number, count: number, other: Candidate): boolean {
    if (score !== other.score) return score > other.score;
    if (count !== other.count) return count > other.count;
    return this.sortsBefore(left, right, other.left, other.right);
  }
}

/**
 * The best pair and the runner-up under `kind`. The caller guarantees at least one live pair.
 *
 * `'pmi'`: equal scores compare equal exactly: count(a) · count(b) stays below 2^52 (options.ts
 * caps the corpus), so the product is exact and the division is the correctly rounded value of the
 * same rational number.
 */
export function rankPairs(kind: MergeScore, context: ScoringContext): Ranking {
  const podium = new Podium(context.sortsBefore);
  if (kind === 'likelihood') scanLikelihood(context, podium);
  else scanRatioOrCount(kind === 'pmi', context, podium);
  if (podium.first === null) throw new Error('Trainer bookkeeping: no live pair to rank.');
  return { best: podium.first, runnerUp: podium.second };
}

function scanRatioOrCount(pmi: boolean, { slots, symbolCount }: ScoringContext, podium: Podium): void {
  for (let slot = 0; slot < slots.end; slot++) {
    const count = slots.count[slot]!;
    if (count === 0) continue;
    const left = slots.left[slot]!;
    const right = slots.right[slot]!;
    const score = pmi ? count / (symbolCount[left]! * symbolCount[right]!) : count;
    if (score >= podium.bar) podium.offer(left, right, score, count);
  }
}

/**
 * Every pair's gain depends on N, and every merge lowers N, so no gain stays valid from one merge
 * to the next; recomputing all of them (four logarithms each) made `npm run bench:trainer` three
 * times slower (1.4 s against 0.45 s to 2,000 tokens). But a stale gain is still an upper bound. dΔ/dN = log(N / (N − k)) > 0, so with
 * c(a), c(b), c(ab) and c(t) unchanged a pair's gain can only have fallen since it was computed.
 * The scan therefore recomputes a pair only if
 *   - one of those counts changed since its memo (the slot's own stamp, or the stamps of a, b and
 *     t: a merge changes the counts of its own three symbols only), or
 *   - its memo could still reach the podium.
 * Every other pair's true gain is below the runner-up's, so it can be neither best nor runner-up,
 * and the result is the one a full recomputation gives (the property tests compare the two).
 *
 * The memo is compared with a small slack so that rounding can never turn "fell" into "rose": the
 * gain is a sum of terms of size about k·log N, so the error of one evaluation is below
 * 1e-15 · N · (log N + 1) · a few, far under the 1e-12 · N · (log N + 1) allowed.
 */
function scanLikelihood(context: ScoringContext, podium: Podium): void {
  const { slots, symbolCount, symbolChanged, selfMerges, total, epoch } = context;
  const slack = 1e-12 * (total + 1) * (Math.log(total + 1) + 1);
  for (let slot = 0; slot < slots.end; slot++) {
    const count = slots.count[slot]!;
    if (count === 0) continue;
    const left = slots.left[slot]!;
    const right = slots.right[slot]!;
    const makes = slots.makes[slot]!;
    const memoAt = slots.memoAt[slot]!;
    const countsKept =
      memoAt > slots.changed[slot]! &&
      memoAt > symbolChanged[left]! &&
      memoAt > symbolChanged[right]! &&
      (makes < 0 || memoAt > symbolChanged[makes]!);
    if (countsKept && slots.memo[slot]! < podium.bar - slack) continue;
    const same = left === right;
    const score = gainOf(
      symbolCount[left]!,
      symbolCount[right]!,
      makes < 0 ? 0 : symbolCount[makes]!,
      same ? selfMerges[left]! : count,
      total,
      same,
      makes === left,
      makes === right && !same,
    );
    slots.memo[slot] = score;
    slots.memoAt[slot] = epoch;
    if (score >= podium.bar) podium.offer(left, right, score, count);
  }
}
