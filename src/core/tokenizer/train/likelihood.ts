/**
 * WordPiece's own merge criterion (Schuster and Nakajima, "Japanese and Korean voice search",
 * ICASSP 2012): add the unit that most increases the likelihood of the training data under the
 * language model. With a unigram model over the current tokenization of the corpus that gain has an
 * exact closed form in a handful of counts, derived here.
 *
 * The model. Let the corpus be tokenized into N tokens (every word's current split, weighted by the
 * word's count), c(x) the number of times token x occurs, and p(x) = c(x) / N its maximum-likelihood
 * unigram probability. The log-likelihood of the corpus is
 *
 *   log L = Σ_x c(x) · log(c(x) / N) = Σ_x F(c(x)) − F(N),    with F(n) = n · log n, F(0) = 0
 *
 * (Σ_x c(x) = N, so Σ_x c(x) log N = F(N); 0 · log 0 = 0 is the limit, and a token that no longer
 * occurs contributes nothing).
 *
 * A merge of a and b into t = ab replaces k occurrences of the adjacent pair (a, b) by one t each.
 * For a ≠ b, k = count(ab): two occurrences of (a, b) cannot overlap. For a = b (`##a ##a`), a run
 * of r a's holds r − 1 adjacent pairs, but merging left to right without overlap (merge.ts) makes
 * only ⌊r / 2⌋ merges, so k is the sum of ⌊r / 2⌋ over runs, which the trainer keeps separately.
 * After the merge
 *
 *   c'(a) = c(a) − k,  c'(b) = c(b) − k,  c'(t) = c(t) + k,  N' = N − k
 *
 * (each merge turns two tokens into one; c(t) is usually 0, but a merge can make a token that
 * already occurs: "h" + "##ug" and "hu" + "##g" both make "hug"), and every other count is
 * unchanged, so only these terms of log L move:
 *
 *   Δ log L = [F(c(a) − k) − F(c(a))] + [F(c(b) − k) − F(c(b))] + [F(c(t) + k) − F(c(t))]
 *           − [F(N − k) − F(N)]
 *
 * When two of a, b and t are the same token their changes add up before F is applied, since one
 * count carries both:
 *   a = b         ("##a" + "##a"):  c'(a) = c(a) − 2k, so the first two brackets become
 *                                   F(c(a) − 2k) − F(c(a));
 *   t = b         ("##" + "###" = "###", only in words spelled with "#"): c'(b) = c(b), so only
 *                                   a's and N's brackets remain;
 *   t = a, a = b = t  (b = "##"):   b's or nothing's bracket, and c'(a) = c(a) − k for a = b = t.
 *                                   No split holds a bare "##" (every continuation has a character
 *                                   after the prefix), so these two never occur in training; the
 *                                   formula covers them so that it is right for any counts.
 *
 * That is the exact gain, in nats, and it is the score. Each difference is computed without
 * subtracting two large F values (on a 60-million-token corpus that would lose most of the digits):
 *
 *   F(c − k) − F(c) = c · log1p(−k / c) − k · log(c − k)     (c > k),    −F(c)  (c = k)
 *   F(c + k) − F(c) = c · log1p(k / c) + k · log(c + k)      (c > 0),    F(k)   (c = 0)
 *
 * How it relates to the popular formulas. Regrouping the exact gain (a ≠ b, c(t) = 0):
 *
 *   Δ log L = k · log(k · N' / (c'(a) · c'(b)))
 *           + c(a) · log1p(−k / c(a)) + c(b) · log1p(−k / c(b)) − N · log1p(−k / N)
 *
 * When k is small next to c(a), c(b) and N each log1p term is about −k / c, so the second line is
 * about −k − k + k = −k, and
 *
 *   Δ log L ≈ k · (log(k · N / (c(a) · c(b))) − 1),
 *
 * the count-weighted pointwise mutual information k · log(k·N / (c(a)·c(b))), often quoted as the
 * WordPiece gain, less k. The −k term is not a constant: it takes away one nat per merged
 * occurrence, so it matters whenever two candidates' PMI values are close. The course formula
 * count(ab) / (count(a) · count(b)) ranks pairs by the PMI alone (its log is the PMI less log N,
 * the same for every pair): it drops the weight k, so a pair seen 3 times whose parts never occur
 * apart beats one seen 3,000 times. The likelihood gain keeps the weight: a merge is worth as much
 * as the number of tokens it removes, times how much more probable each of them becomes.
 *
 * Every pair's gain depends on N, which every merge changes, so the trainer cannot keep a gain
 * fixed between merges; see `scanLikelihood` in scoring.ts for how it avoids recomputing all.
 */
import { mergedToken } from './merge';

/** Which of a, b and the merged token t are the same token; see the derivation. */
export type Coincidence = 'none' | 'a=b' | 't=a' | 't=b' | 'a=b=t';

/** The coincidence of a merge of `left` and `right`, from the strings. */
export function coincidenceOf(left: string, right: string): Coincidence {
  const token = mergedToken(left, right);
  if (left === right) return token === left ? 'a=b=t' : 'a=b';
  return token === left ? 't=a' : token === right ? 't=b' : 'none';
}

/** The counts one candidate merge of a and b into t depends on, before the merge. */
export interface MergeCounts {
  /** c(a). */
  readonly left: number;
  /** c(b); equal to c(a) when a = b. */
  readonly right: number;
  /** k: occurrences the merge replaces (count(ab) for a ≠ b, the non-overlapping count for a = b). */
  readonly merges: number;
  /** c(t): how often the merged token already occurs (almost always 0). */
  readonly token: number;
  /** N: tokens in the corpus. */
  readonly total: number;
  readonly coincidence: Coincidence;
}

/** F(c − k) − F(c), F(n) = n log n: what a count falling from c to c − k does to Σ F. */
export function fallTerm(c: number, k: number): number {
  const rest = c - k;
  return rest > 0 ? c * Math.log1p(-k / c) - k * Math.log(rest) : -c * Math.log(c);
}

/** F(c + k) − F(c): what a count rising from c to c + k does to Σ F. */
export function riseTerm(c: number, k: number): number {
  return (c > 0 ? c * Math.log1p(k / c) : 0) + k * Math.log(c + k);
}

/** The exact Δ log L (nats) of the unigram model when the merge is made; see the derivation above. */
export function likelihoodGain({ left, right, merges, token, total, coincidence }: MergeCounts): number {
  const sameParts = coincidence === 'a=b' || coincidence === 'a=b=t';
  return gainOf(
    left,
    right,
    token,
    merges,
    total,
    sameParts,
    coincidence === 't=a' || coincidence === 'a=b=t',
    coincidence === 't=b',
  );
}

/**
 * `likelihoodGain` with positional arguments, for the trainer's scan over every live pair:
 * `sameParts` for a = b, `tokenIsLeft` for t = a (with a = b: all three), `tokenIsRight` for t = b.
 */
export function gainOf(
  left: number,
  right: number,
  token: number,
  k: number,
  total: number,
  sameParts: boolean,
  tokenIsLeft: boolean,
  tokenIsRight: boolean,
): number {
  let parts: number;
  if (sameParts) parts = tokenIsLeft ? fallTerm(left, k) : fallTerm(left, 2 * k) + riseTerm(token, k);
  else if (tokenIsLeft) parts = fallTerm(right, k);
  else if (tokenIsRight) parts = fallTerm(left, k);
  else parts = fallTerm(left, k) + fallTerm(right, k) + riseTerm(token, k);
  return parts - fallTerm(total, k);
}
