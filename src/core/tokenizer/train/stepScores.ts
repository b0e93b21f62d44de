/** What each score makes of a merge the trainer made, from the counts its step reports. */
import { coincidenceOf, likelihoodGain } from './likelihood';
import type { MergeScore } from './options';
import type { MergeStep } from './trainer';

type StepCounts = Pick<
  MergeStep,
  'pair' | 'pairCount' | 'leftCount' | 'rightCount' | 'mergeCount' | 'tokenCount' | 'totalTokens'
>;

/**
 * The value of all three scores for the step's pair, before the merge. Under the score the trainer
 * ran with, the value is exactly the step's `score`: the same function of the same counts.
 */
export function scoresOf(step: StepCounts): Record<MergeScore, number> {
  return {
    likelihood: likelihoodGain({
      left: step.leftCount,
      right: step.rightCount,
      merges: step.mergeCount,
      token: step.tokenCount,
      total: step.totalTokens,
      coincidence: coincidenceOf(step.pair[0], step.pair[1]),
    }),
    pmi: step.pairCount / (step.leftCount * step.rightCount),
    bpe: step.pairCount,
  };
}

/**
 * k · (log(k · N / (c(a) · c(b))) − 1): count-weighted PMI less k, what the exact gain comes to when
 * k is small next to c(a), c(b) and N (likelihood.ts).
 */
export function approximateGain(step: StepCounts): number {
  const k = step.mergeCount;
  return k * (Math.log((k * step.totalTokens) / (step.leftCount * step.rightCount)) - 1);
}
