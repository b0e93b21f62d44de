/**
 * The sentences of the "What the rows learned" view, made from the report's own numbers so each is
 * true for the settings and the step on show (learnedText.test.ts checks them against the numbers).
 */
import type {
  LearnedReport,
  PieceNeighbours,
  PositionCosines,
  SegmentDistance,
} from '../../core/learned/types';
import { median } from '../../core/lesson/result';

/** A cosine or a distance as the view prints it: 3 decimals, a real minus sign, a dash for NaN. */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? `−${s}` : s;
}

/**
 * How far neighbouring positions must be more alike than positions 10 apart before the view calls
 * it a band: random rows of H ≈ 100 have cosines of ±0.1 by chance, their means over ~30 pairs ±0.02.
 */
const BAND_MARGIN = 0.05;

export type BandState = 'band' | 'random' | 'none-yet';

export function bandState(p: PositionCosines, step: number): BandState {
  if (p.adjacent - p.tenApart >= BAND_MARGIN) return 'band';
  return step === 0 ? 'random' : 'none-yet';
}

/** The looked-up rows' band figures in words: adjacent rows, rows 10 apart, and what they mean. */
export function bandSentence(p: PositionCosines, step: number): string {
  const last = p.lookedUp - 1;
  const figures =
    `Rows 1–${last}, looked up by every training sequence: neighbours i and i+1 have a mean cosine ` +
    `of ${num(p.adjacent)}, rows 10 apart ${Number.isFinite(p.tenApart) ? num(p.tenApart) : 'none (too few rows)'}.`;
  switch (bandState(p, step)) {
    case 'band':
      return `${figures} Neighbouring positions have grown alike: the band along the diagonal.`;
    case 'random':
      return `${figures} At step 0 the rows are random draws, so their cosines are near 0 and there is no band.`;
    case 'none-yet':
      return `${figures} No band yet: neighbours are not yet clearly more alike than rows 10 apart.`;
  }
}

/** Why rows at and past the training length never move, and their neighbours' cosine now. */
export function neverSentence(p: PositionCosines): string {
  const T = p.lookedUp;
  if (T >= p.count)
    return `Training sequences are ${T} pieces long, as long as the table: every one of its ${p.count} rows is looked up.`;
  return (
    `Rows ${T}–${p.count - 1} are never looked up: training sequences are ${T} pieces long, so no ` +
    `position past ${T - 1} is ever in a batch and no gradient reaches those rows (the position table ` +
    `is not tied to any output). Their neighbours' mean cosine: ${num(p.beyondAdjacent)}.`
  );
}

/** One sentence on centred against raw cosine, for the output tied or not. */
export function centredNote(centred: boolean, tied: boolean): string {
  const drift = tied
    ? 'With the output tied to E_token, every step pushes all rows a little the same way, a drift every row shares'
    : 'Rows share a common offset too (their mean row), though with the output untied no softmax pushes them all together';
  return centred
    ? `Centred: each row minus the mean row of E_token. ${drift}; taking it out leaves what makes a row different from the others.`
    : `Raw cosine of the rows as they are. ${drift}, and after some steps that shared part dominates the raw cosine, so many rows look alike.`;
}

/** The segment rows now and at step 0. */
export function segmentSentence(s: SegmentDistance, step: number): string {
  if (step === 0)
    return (
      `At step 0, ‖E_segment[A] − E_segment[B]‖ is ${num(s.distance)} and their cosine ${num(s.cosine)}: ` +
      "two random rows. Train, and watch how far apart the two sentences' rows move."
    );
  const ratio = s.distanceAtStart > 0 ? s.distance / s.distanceAtStart : NaN;
  const trend =
    !Number.isFinite(ratio) || Math.abs(ratio - 1) < 0.02
      ? 'about as far apart as at step 0'
      : ratio > 1
        ? `${num(ratio, 2)}× as far apart as at step 0`
        : `closer together than at step 0 (${num(ratio, 2)}×)`;
  return (
    `‖E_segment[A] − E_segment[B]‖ is ${num(s.distance)} at step ${step} (step 0: ${num(s.distanceAtStart)}); ` +
    `their cosine is ${num(s.cosine)} (step 0: ${num(s.cosineAtStart)}). The two rows are ${trend}.`
  );
}

/** An axis of a principal-component map: "PC1 (12.3% of variance)". */
export function axisLabel(axis: 1 | 2, explained: readonly [number, number]): string {
  const fraction = explained[axis - 1];
  return `PC${axis} (${fraction === undefined || !Number.isFinite(fraction) ? '—' : (fraction * 100).toFixed(1)}% of variance)`;
}

/** Said while the report on show is older than the engine's step. */
export function staleNote(reportStep: number, step: number): string | null {
  return reportStep < step ? `Showing step ${reportStep}; reading step ${step}…` : null;
}

/** Picks the running model's vocabulary does not have (the micro preset's own), dropped. */
export function droppedNote(dropped: readonly string[]): string | null {
  if (dropped.length === 0) return null;
  const list = dropped.map((p) => `“${p}”`).join(', ');
  return `${list} ${dropped.length === 1 ? 'is' : 'are'} not in this model's vocabulary (the micro preset learns its own), so ${dropped.length === 1 ? 'it was' : 'they were'} dropped from the picks.`;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What the listed rows have in common that the learner can check: how often their pieces occur in
 * the training corpus, against the piece's own count and against the vocabulary, most of whose
 * pieces the corpus never uses. Measured on the default run (seed 42), the centred lists of
 * frequent pieces hold other frequent pieces at cosines of 0.99 and more from step 30 on; at step
 * 300, with the top principal component of the 300 most frequent rows also taken out, 35 words of
 * 7 kinds (weekdays, colours, …) are no nearer within a kind than across (0.03 against 0.01).
 */
export function neighbourCountsSentences(
  entry: PieceNeighbours,
  report: Pick<LearnedReport, 'step' | 'vocabSize' | 'corpusPieces'>,
  tied: boolean,
): string[] {
  const counts = entry.neighbours.map((n) => n.count);
  if (counts.length === 0) return [];
  const k = counts.length;
  const inCorpus = counts.filter((c) => c > 0).length;
  const sentences = [
    `“${entry.piece}” occurs ${count(entry.count)} ${entry.count === 1 ? 'time' : 'times'} in the training corpus; its ${k} nearest ${k === 1 ? 'row occurs' : 'rows occur a median of'} ${count(median(counts))} times.`,
  ];
  if (report.step === 0) {
    sentences.push('At step 0 every row is a random draw, so these neighbours are chance.');
    return sentences;
  }
  // Most of bert-base-uncased never occurs in a small corpus: neighbours drawn at random would
  // mostly be such pieces, so lists made of corpus pieces say the rows sort by use.
  const share = report.corpusPieces / report.vocabSize;
  if (inCorpus / k >= 0.8 && share < 0.5)
    sentences.push(
      `${inCorpus === k ? `All ${k}` : `${inCorpus} of the ${k}`} occur in the corpus, where only ${count(report.corpusPieces)} of the ${count(report.vocabSize)} pieces occur at all: the nearest rows are rows the corpus uses. ` +
        (tied
          ? 'With the output tied to E_token, each step pulls the row of every masked word’s right answer towards that slot’s hidden state and pushes every other row away a little, so rows of often-right pieces are pulled towards the same hidden states again and again.'
          : 'With the output untied, only rows of pieces that occur in the corpus ever get a gradient; the rest keep their random start.'),
    );
  return sentences;
}

/** Spearman's rank correlation of `values` with their order 0, 1, …, n−1 (no ties assumed). */
export function rankCorrelationWithOrder(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const rank = new Float64Array(n);
  order.forEach((i, r) => (rank[i] = r));
  // Both rank lists are permutations of 0..n−1: ρ = 1 − 6 Σ d² / (n (n² − 1)).
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rank[i]! - i) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/**
 * Whether the map's first axis is a frequency axis: the `frequent` first points of the map are the
 * corpus's most frequent pieces in order, so the rank correlation of their PC1 coordinates with
 * that order says how much PC1 sorts pieces by frequency (−0.66 at step 300 of the default run).
 */
export function frequencyAxisSentence(coords: Float32Array, frequent: number): string | null {
  const pc1 = Array.from({ length: frequent }, (_, i) => coords[2 * i]!);
  const rho = rankCorrelationWithOrder(pc1);
  if (!(Math.abs(rho) >= 0.5)) return null;
  const side = rho < 0 ? 'right' : 'left';
  return `Along PC1 the pieces line up largely by how often they occur, the most frequent to the ${side}: the rank correlation of PC1 with frequency is ${num(Math.abs(rho), 2)}. The direction in which these rows differ most is how often their pieces occur.`;
}
