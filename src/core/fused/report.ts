/**
 * The fused step's report as read back from its one staging buffer, and the check that it can be
 * true at all. The staging buffer is copied into at the end of the step's own submission; if that
 * submission never ran, the buffer keeps the zeros WebGPU filled it with, and a report of zeros
 * must not pass as a step.
 *
 * Staging layout, in 4-byte words: stats [‖g‖, nonFinite, clipScale, ‖g‖²] (kernels/gradNorm.ts),
 * losses [MLM, NSP], predictions [M] (MLM, i32) then [B] (NSP, i32), then the row norms
 * (bufferPlan.ts's normsLayout).
 */
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

export function parseReport(data: ArrayBuffer, M: number, B: number): RawReport {
  const f = new Float32Array(data);
  const i32 = new Int32Array(data);
  const predsAt = 6;
  return {
    gradNorm: f[0]!,
    nonFiniteFlag: f[1]!,
    clipScale: f[2]!,
    sumOfSquares: f[3]!,
    mlmLoss: f[4]!,
    nspLoss: f[5]!,
    mlmPredictions: Int32Array.from(i32.subarray(predsAt, predsAt + M)),
    nspPredictions: Int32Array.from(i32.subarray(predsAt + M, predsAt + M + B)),
    norms: f.subarray(predsAt + M + B),
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
