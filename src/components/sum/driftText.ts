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
export const nothingMoved = (d: TokenDrift): boolean => d.medianChange === 0 && d.meanNorm === 0;

/** What the shared part is, with its size against the median row's change. */
export function driftSummary(d: TokenDrift): string {
  const V = d.rows.toLocaleString('en-US');
  if (nothingMoved(d))
    return `At step ${d.step} no row of E_token has moved since step 0: there is no drift yet.`;
  const ratio = d.medianChange > 0 ? d.meanNorm / d.medianChange : Infinity;
  const compared = Number.isFinite(ratio) ? `${ratio.toFixed(2)} times the median row’s change` : '';
  return (
    `Since step 0 the ${V} rows have moved a median ‖Δrow‖ = ${norm(d.medianChange)}. The part they all ` +
    `share is the mean change m = mean over rows of Δrow, with ‖m‖ = ${norm(d.meanNorm)}${compared ? ` (${compared})` : ''}; ` +
    `with m taken out the median row has moved ${norm(d.medianCentred)}, and m holds ${percent(d.commonShare)} ` +
    `of all the movement (V‖m‖² of Σ‖Δrow‖²).`
  );
}

const ADAM_NAMES: Partial<Record<OptimizerChoice, string>> = {
  adam: 'Adam’s',
  adamw: 'AdamW’s',
  lazyadam: 'LazyAdam’s',
};

/** Where the shared part comes from under a tied output. */
function tiedCause(optimizer: OptimizerChoice): string {
  const softmax =
    'The output layer is tied to E_token, so every row that is not a masked slot’s target gets the ' +
    'softmax gradient Σₘ pₘ[r]·hₘ: the same directions hₘ for every row, only the weights p differ.';
  const adam = ADAM_NAMES[optimizer];
  if (adam === undefined) {
    const sgd = optimizer === 'sgd' ? 'Plain SGD' : 'SGD with momentum';
    return (
      `${softmax} ${sgd} keeps each row’s step proportional to its gradient, and p is small for most rows, ` +
      'so this shared step stays small next to what the batch’s own rows move. With Adam, whose ' +
      'per-coordinate step m/√v makes a small steady gradient move a row about as far as a large one, ' +
      'the rows would take nearly one step together.'
    );
  }
  const extra =
    optimizer === 'adamw'
      ? ' AdamW’s weight decay adds a pull of each row toward 0, different for each row.'
      : optimizer === 'lazyadam'
        ? ' LazyAdam skips only rows with no gradient, and with a tied output every row has one.'
        : '';
  return (
    `${softmax} ${adam} per-coordinate step m/√v makes a small steady gradient move a row about as far ` +
    'as a large one, so the rows take nearly one step together: rare-token rows drift as one ' +
    '(representation degeneration, Gao et al., ICLR 2019).' +
    extra +
    ' Under plain SGD each row’s step would stay proportional to its small p, and with an untied ' +
    'output rows outside the batch would get no gradient at all.'
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
    'The output layer is untied, so only the batch’s ids get a gradient, through the lookup, each ' +
    `in a direction of its own; ${which}. No gradient is shared by all rows, so the mean change is ` +
    'little more than those rows’ changes spread over all of them. A tied output, whose softmax ' +
    'sends every row p·h, is what makes the rows drift together.'
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
