/**
 * The numbers of a step report as a saved session keeps them in its JSON header (the per-row
 * arrays travel in the payload, checked by kind and length where they are read). One valibot
 * schema, with the batch bounds the engine enforces.
 */
import * as v from 'valibot';
import type { MaskOutcome } from '../train/masking';
import { jsonNumber } from './history';
import { SETTING_LIMITS } from './settings';

/** How each masked slot was corrupted: BERT's 80 % [MASK], 10 % random token, 10 % kept. */
const MASK_OUTCOMES = ['mask', 'random', 'keep'] as const satisfies readonly MaskOutcome[];

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
const bounded = (key: 'batchSize' | 'seqLength') => v.pipe(count, v.maxValue(SETTING_LIMITS[key].max));

export const SAVED_REPORT = v.object({
  step: count,
  loss: v.object({ mlm: jsonNumber, nsp: jsonNumber, total: jsonNumber }),
  mlmAccuracy: jsonNumber,
  nspAccuracy: jsonNumber,
  learningRate: jsonNumber,
  gradNorm: jsonNumber,
  clipScale: jsonNumber,
  /** Token ids; that they are below the vocabulary size is checked by the reader, who knows it. */
  lookupRows: v.array(count),
  movedWithoutGradient: v.array(count),
  ms: v.object({ forwardBackward: jsonNumber, optimizer: jsonNumber, report: jsonNumber }),
  batch: v.object({
    batchSize: bounded('batchSize'),
    seqLength: bounded('seqLength'),
    maskedOutcomes: v.array(v.picklist(MASK_OUTCOMES)),
  }),
});
