/**
 * The fused step's report as read back from its one staging buffer, and the check that it can be
 * true at all. The staging buffer is copied into at the end of the step's own submission; if that
 * submission never ran, the buffer keeps the zeros WebGPU filled it with, and a report of zeros
 * must not pass as a step.
 *
 * The staging buffer's layout is `reportLayout`, the one description both the copy into it
 * (recordStep.ts) and `parseReport` read.
 */

/**
 * The report's sections, in staging order, each copied whole from the start of its own buffer:
 * stats [‖g‖, nonFinite, clipScale, ‖g‖²] (kernels/gradNorm.ts), losses [MLM, NSP],
 * predictions [M] (MLM, i32) then [B] (NSP, i32), then the row norms (bufferPlan.ts's
 * normsLayout).
 */
export const REPORT_SECTIONS = ['stats', 'losses', 'preds', 'norms'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

/** Words of the stats and losses sections, and where each value sits in them. */
export const STATS = { gradNorm: 0, nonFinite: 1, clipScale: 2, sumOfSquares: 3, words: 4 } as const;
export const LOSSES = { mlm: 0, nsp: 1, words: 2 } as const;

export interface ReportLayout {
  /** Each section's first word and its length in words. */
  readonly sections: Readonly<Record<ReportSection, { readonly at: number; readonly words: number }>>;
  readonly words: number;
}

/** The staging layout for M masked rows, B sequences and `norms` row-norm words. */
export function reportLayout(M: number, B: number, norms: number): ReportLayout {
  const words: Record<ReportSection, number> = {
    stats: STATS.words,
    losses: LOSSES.words,
    preds: M + B,
    norms,
  };
  let at = 0;
  const sections = Object.fromEntries(
    REPORT_SECTIONS.map((name) => {
      const section = { at, words: words[name] };
      at += words[name];
      return [name, section];
    }),
  ) as ReportLayout['sections'];
  return { sections, words: at };
}

export interface RawReport {
  readonly gradNorm: number;
  /** The GPU's flag, 0 or 1 as written; anything else is impossible. */
  readonly nonFiniteFlag: number;
  readonly clipScale: number;
  readonly sumOfSquares: number;
  readonly mlmLoss: number;
  readonly nspLoss: number;
  readonly mlmPredictions: Int32Array; // [M]
  readonly nspPredictions: Int32Array; // [B]
  /** The row norms section, as a view into the read-back bytes. */
  readonly norms: Float32Array;
}

/** Decodes the staging bytes by `reportLayout`; the norms are whatever follows the predictions. */
export function parseReport(data: ArrayBuffer, M: number, B: number): RawReport {
  const f = new Float32Array(data);
  const i32 = new Int32Array(data);
  const { sections: s } = reportLayout(M, B, f.length - reportLayout(M, B, 0).words);
  const stat = (k: number) => f[s.stats.at + k]!;
  const loss = (k: number) => f[s.losses.at + k]!;
  const preds = s.preds.at;
  return {
    gradNorm: stat(STATS.gradNorm),
    nonFiniteFlag: stat(STATS.nonFinite),
    clipScale: stat(STATS.clipScale),
    sumOfSquares: stat(STATS.sumOfSquares),
    mlmLoss: loss(LOSSES.mlm),
    nspLoss: loss(LOSSES.nsp),
    mlmPredictions: Int32Array.from(i32.subarray(preds, preds + M)),
    nspPredictions: Int32Array.from(i32.subarray(preds + M, preds + M + B)),
    norms: f.subarray(s.norms.at, s.norms.at + s.norms.words),
  };
}

/** Relative slack for two f32 results of one sum (a square root, a division): a few ulps. */
const F32_SLACK = 1e-5;
/**
 * How far below zero a cross-entropy may read. Each row's loss is log Σ_j e^(x_j − μ) − (x_y − μ)
 * with μ the row's largest logit: the sum holds e^0 = 1 so its log is ≥ 0, and x_y − μ ≤ 0, so the
 * loss is ≥ 0 up to the error of WGSL's log near 1 (2⁻²¹ absolute). 1e-4 is far beyond that.
 */
const LOSS_FLOOR = -1e-4;

const near = (a: number, b: number) =>
  Math.abs(a - b) <= F32_SLACK * Math.max(Math.abs(a), Math.abs(b), 1e-30);

/**
 * Why `r` cannot be the report of a step that ran, or null when it can. Only facts that hold for
 * every step the kernels can compute are checked, so a real step is never refused:
 *
 * - the non-finite flag is written as exactly 0 or 1;
 * - on a non-finite step the clip factor is written as exactly 1;
 * - on a finite step ‖g‖ = √(‖g‖²) (one thread computes both from one sum), and the clip factor is
 *   1 when ‖g‖ ≤ clipNorm, else clipNorm / ‖g‖. In particular it is never 0: ‖g‖ ≤ √(f32 max) ≈
 *   1.8e19 (a larger sum overflows and is flagged non-finite), so clipNorm / ‖g‖ stays a normal
 *   float. A report of zeros (a submission that never ran) has a clip factor of 0.
 * - on a finite step both losses are finite (the kernel flags them otherwise) and not negative
 *   (see LOSS_FLOOR).
 *
 * A loss of exactly 0 is NOT impossible and is not checked: once a model has memorized a batch,
 * every row's log Σ e^(x_j − μ) can round to log(1) = 0 in f32 (every other logit ~17 below the
 * label's), which a lab run at a high learning rate on a tiny corpus can reach.
 */
export function impossibleReport(r: RawReport, clipNorm: number): string | null {
  if (r.nonFiniteFlag !== 0 && r.nonFiniteFlag !== 1) {
    return `the non-finite flag reads ${r.nonFiniteFlag}, not 0 or 1`;
  }
  if (r.nonFiniteFlag === 1) {
    return r.clipScale === 1 ? null : `a non-finite step has a clip factor of ${r.clipScale}, not 1`;
  }
  if (!(r.clipScale > 0 && r.clipScale <= 1)) return `the clip factor is ${r.clipScale}, outside (0, 1]`;
  if (!(Number.isFinite(r.gradNorm) && r.gradNorm >= 0 && near(r.gradNorm * r.gradNorm, r.sumOfSquares))) {
    return `‖g‖ = ${r.gradNorm} is not the square root of ‖g‖² = ${r.sumOfSquares}`;
  }
  const expected = r.gradNorm > clipNorm ? clipNorm / r.gradNorm : 1;
  if (!near(r.clipScale, expected)) {
    return `the clip factor is ${r.clipScale}, not ${expected} for ‖g‖ = ${r.gradNorm} and clip norm ${clipNorm}`;
  }
  for (const [name, loss] of [
    ['MLM', r.mlmLoss],
    ['NSP', r.nspLoss],
  ] as const) {
    if (!(Number.isFinite(loss) && loss >= LOSS_FLOOR)) return `the ${name} loss is ${loss} on a finite step`;
  }
  return null;
}
