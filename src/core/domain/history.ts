/**
 * What the loss curves draw, one point per step, and what an A/B optimizer comparison reports:
 * the page keeps them, the saved session stores them, and the engine sends the comparison. Each
 * is a valibot schema with its type inferred from it.
 */
import * as v from 'valibot';
import type { AbsentDrift } from '../train/compare';
import type { StepReport } from '../train/stepReport';
import { OPTIMIZER_CHOICES } from './settings';

/** JSON writes NaN and ±Infinity (a diverged step's loss) as null: null reads back as NaN. */
export const jsonNumber = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? NaN),
);

export const TRAINING_POINT = v.object({
  step: jsonNumber,
  mlm: jsonNumber,
  nsp: jsonNumber,
  total: jsonNumber,
  mlmAccuracy: jsonNumber,
  nspAccuracy: jsonNumber,
  learningRate: jsonNumber,
  ms: jsonNumber,
});
export type TrainingPoint = Readonly<v.InferOutput<typeof TRAINING_POINT>>;

/** The point's fields in the order a saved session writes them, one array per point. */
export const TRAINING_POINT_KEYS = Object.keys(TRAINING_POINT.entries) as (keyof TrainingPoint)[];

/** A step report reduced to the numbers the loss curves draw. */
export const trainingPointOf = (r: StepReport): TrainingPoint => ({
  step: r.step,
  mlm: r.loss.mlm,
  nsp: r.loss.nsp,
  total: r.loss.total,
  mlmAccuracy: r.mlmAccuracy,
  nspAccuracy: r.nspAccuracy,
  learningRate: r.learningRate,
  ms: r.ms.forwardBackward + r.ms.optimizer + r.ms.report,
});

/** One run's drift numbers (core/train/compare.ts's AbsentDrift). */
const DRIFT = v.object({
  step: jsonNumber,
  nonFinite: v.boolean(),
  loss: jsonNumber,
  absentRows: jsonNumber,
  drifting: jsonNumber,
  meanDrift: jsonNumber,
  maxDrift: jsonNumber,
}) satisfies v.GenericSchema<unknown, AbsentDrift>;

/** The same step of both runs of an A/B comparison, reduced to a few numbers each. */
export const OPTIMIZER_COMPARISON = v.object({
  optimizer: v.picklist(OPTIMIZER_CHOICES),
  compareOptimizer: v.picklist(OPTIMIZER_CHOICES),
  main: DRIFT,
  other: DRIFT,
});
export type OptimizerComparison = Readonly<v.InferOutput<typeof OPTIMIZER_COMPARISON>>;
