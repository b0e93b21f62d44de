/**
 * The sentences under the E_token overview about the common drift: what the shared part is, from
 * the engine's own tables (core/train/drift.ts), and where it comes from under the settings in use.
 */
import type { EngineSettings, OptimizerChoice } from '../../core/domain/settings';
import type { TokenDrift } from '../../core/train/drift';

export type DriftSettings = Pick<EngineSettings, 'optimizer' | 'tieOutputEmbeddings' | 'learningRate'>;

/** A norm as the sentence writes it: 3 significant digits, exponent form below 0.01. */
export const norm = (x: number): string =>
  x === 0 ? '0' : Math.abs(x) < 0.01 ? x.toExponential(2) : x.toPrecision(3);

const percent = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;

/** Whether nothing has moved since step 0 (step 0 itself, or a learning rate of 0 throughout). */
const nothingMoved = (d: TokenDrift): boolean => d.medianChange === 0 && d.meanNorm === 0;

/** What the shared part is, with its size against the median row's change. */
export function driftSummary(d: TokenDrift): string {
  const V = d.rows.toLocaleString('en-US');
  if (nothingMoved(d))
    return `At step ${d.step} no row of E_token has moved since step 0: there is no drift yet.`;
  const ratio =
    d.medianChange > 0 ? `, ${(d.meanNorm / d.medianChange).toFixed(2)} times the median row’s change` : '';
  return (
    `Since step 0 the ${V} rows have moved a median ‖Δrow‖ = ${norm(d.medianChange)}. The part they all ` +
    `share, the mean change of all rows (mean Δ), has ‖mean Δ‖ = ${norm(d.meanNorm)}${ratio}; with it taken ` +
    `out the median row has moved ${norm(d.medianCentred)}, and it holds ${percent(d.commonShare)} of all the ` +
    `movement (V‖mean Δ‖² of Σ‖Δrow‖²).`
  );
}

const ADAM_NAMES: Partial<Record<OptimizerChoice, string>> = {
  adam: 'Adam’s',
  adamw: 'AdamW’s',
  lazyadam: 'LazyAdam’s',
};

const SOFTMAX =
  'It comes from the tied output: every row that is no masked slot’s target gets the softmax gradient ' +
  'p[r]·h summed over the masked slots, the same directions h for every row';

/** Where the shared part comes from under a tied output. */
function tiedCause(optimizer: OptimizerChoice): string {
  const adam = ADAM_NAMES[optimizer];
  if (adam === undefined) {
    const sgd = optimizer === 'sgd' ? 'plain SGD' : 'SGD with momentum';
    return (
      `${SOFTMAX}; but ${sgd} keeps each row’s step proportional to its gradient, and p is small for ` +
      'most rows, so the shared step stays small next to the batch rows’ own. Under Adam the ' +
      'per-coordinate step m/√v would move every row about as far, and the rows would drift together.'
    );
  }
  const lazy =
    optimizer === 'lazyadam'
      ? ' (LazyAdam skips only rows with no gradient, and here every row has one)'
      : '';
  return (
    `${SOFTMAX}, and ${adam} per-coordinate step m/√v${lazy} moves a row with a small steady gradient ` +
    'about as far as one with a large gradient, so the rows step together (representation degeneration, ' +
    'Gao et al., ICLR 2019). Under plain SGD a row’s step would stay proportional to its small p, and ' +
    'with an untied output rows outside the batch would get no gradient.'
  );
}

/** Where the shared part comes from, or why there is little of it, under an untied output. */
function untiedCause(optimizer: OptimizerChoice): string {
  const which = {
    sgd: 'plain SGD moves only the rows of the batch’s ids',
    momentum: 'SGD with momentum moves only rows that had a gradient in this or earlier steps',
    adam: 'Adam moves those rows, and on momentum the rows seen in earlier steps',
    adamw: 'AdamW moves those rows, on momentum the rows seen earlier, and decays every row toward 0',
    lazyadam: 'LazyAdam moves only the rows with a gradient',
  }[optimizer];
  return (
    'The output layer is untied, so only the batch’s ids get a gradient, through the lookup, each in ' +
    `a direction of its own; ${which}. No gradient is shared by all rows: the mean change is little ` +
    'more than those rows’ changes spread over all of them. A tied output, whose softmax sends every ' +
    'row p·h, is what makes the rows drift together.'
  );
}

/** Where the shared part comes from under these settings, in two or three sentences. */
export function driftCause(settings: DriftSettings, d: TokenDrift): string {
  const cause = settings.tieOutputEmbeddings
    ? tiedCause(settings.optimizer)
    : untiedCause(settings.optimizer);
  if (settings.learningRate !== 0) return cause;
  return nothingMoved(d)
    ? 'The learning rate is 0, so no step moves any row.'
    : `The learning rate is now 0: no row moves any more, and what is shown is the change made before. ${cause}`;
}
