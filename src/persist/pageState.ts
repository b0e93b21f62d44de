/**
 * What the Training view draws, saved with the weights so a reload shows the same picture: the
 * loss history, the per-row counters since the start, the scrubber's recent frames and the last
 * step's report. Numbers go in the header's JSON; per-row arrays go in the payload as `page/…`.
 */
import * as v from 'valibot';
import {
  OPTIMIZER_COMPARISON,
  TRAINING_POINT,
  TRAINING_POINT_KEYS,
  type OptimizerComparison,
  type TrainingPoint,
} from '../core/domain/history';
import { SAVED_REPORT } from '../core/domain/report';
import type { RowFrame, RowStats, StepReport } from '../core/train/pure';
import { perCause, reclassifyLegacy, ROW_CAUSES, type CauseCounts } from '../core/train/pure';
import type { TokenId } from '../core/tokenizer';
import { SessionFileError, type TypedArray } from './format';
import { framesKept } from './framesKept';

export { FRAME_BYTES_BUDGET, framesKept } from './framesKept';

export interface SavedPageState {
  readonly history: readonly TrainingPoint[];
  readonly rows: RowStats | null;
  readonly frames: readonly RowFrame[];
  readonly lastReport: StepReport | null;
  readonly comparison: OptimizerComparison | null;
}

type Named = { name: string; values: TypedArray };

const REPORT_ARRAYS = [
  'mlmPredictions',
  'nspPredictions',
  'outputGradRowNorm',
  'lookupGradRowNorm',
  'updateRowNorm',
  'positionGradRowNorm',
  'positionUpdateRowNorm',
  'segmentGradRowNorm',
  'segmentUpdateRowNorm',
] as const;
const BATCH_ARRAYS = [
  'inputIds',
  'tokenTypeIds',
  'attentionMask',
  'maskedSlots',
  'maskedBatchIndex',
  'maskedPositions',
  'maskedLabels',
  'isNext',
] as const;

/** The page's state as JSON plus named arrays. A report of a non-finite step is not kept. */
export function encodePageState(state: SavedPageState): { json: unknown; arrays: Named[] } {
  const arrays: Named[] = [];
  const put = (name: string, values: TypedArray) => arrays.push({ name: `page/${name}`, values });
  const { rows, lastReport: r } = state;
  if (rows) {
    ROW_CAUSES.forEach((c) => put(`rows/${c}`, rows.byCause[c]));
    put('rows/frequency', rows.frequency);
    put('rows/lastUpdateNorm', rows.lastUpdateNorm);
    if (rows.last) put('rows/lastCauses', rows.last.causes);
  }
  const frames = framesKept(state.frames);
  frames.forEach((f, i) => {
    put(`frames/${i}/causes`, f.causes);
    put(`frames/${i}/updateNorm`, f.updateNorm);
  });
  const report = r && !r.nonFinite ? r : null;
  if (report) {
    REPORT_ARRAYS.forEach((k) => put(`report/${k}`, report[k]));
    // Measured since issue 18; a file without it reads back as null (not measured), not as zeros.
    if (report.centredUpdateRowNorm) put('report/centredUpdateRowNorm', report.centredUpdateRowNorm);
    BATCH_ARRAYS.forEach((k) => put(`report/batch/${k}`, report.batch[k]));
  }
  const json = {
    // The causes the Uint8Arrays index, by name: a file without them predates the 'stalled' cause.
    rowCauses: ROW_CAUSES,
    history: state.history.map((p) => TRAINING_POINT_KEYS.map((k) => p[k])),
    rows: rows && { vocabSize: rows.vocabSize, steps: rows.steps, lastCounts: rows.last?.counts ?? null },
    frames: frames.map((f) => ({ step: f.step, counts: f.counts })),
    report: report && {
      step: report.step,
      loss: report.loss,
      mlmAccuracy: report.mlmAccuracy,
      nspAccuracy: report.nspAccuracy,
      learningRate: report.learningRate,
      gradNorm: report.gradNorm,
      clipScale: report.clipScale,
      lookupRows: report.lookupRows,
      movedWithoutGradient: report.movedWithoutGradient,
      ms: report.ms,
      batch: {
        batchSize: report.batch.batchSize,
        seqLength: report.batch.seqLength,
        maskedOutcomes: report.batch.maskedOutcomes,
      },
    },
    comparison: state.comparison,
  };
  return { json, arrays };
}

function fail(message: string): never {
  throw new SessionFileError('header', `The saved view state is damaged: ${message}`);
}
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const whole = (x: unknown, what: string, max = 1e9): number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max ? x : fail(`${what} is not a count.`);

function counts(value: unknown, V: number): CauseCounts {
  if (!isObject(value)) fail('a count of row causes is missing.');
  return perCause((k) => whole(value[k], `count ${k}`, V));
}

/** Files saved before the 'stalled' cause existed knew the first four causes (see reclassifyLegacy). */
const LEGACY_CAUSE_COUNT = 4;

/** Token ids, each below the vocabulary size V. */
function ids(list: readonly number[], V: number, what: string): TokenId[] {
  return list.map((x) => whole(x, what, V - 1) as TokenId);
}

/**
 * Rebuilds the page's state from a checked header and its arrays; `vocabSize` is the model's.
 * Arrays are copied out of the payload so the page owns them.
 */
export function decodePageState(
  json: unknown,
  arrays: ReadonlyMap<string, TypedArray>,
  vocabSize: number,
): SavedPageState {
  const V = vocabSize;
  const get: ArrayGetter = <T extends TypedArray>(
    name: string,
    kind: new (n: number) => T,
    length?: number,
  ) => {
    const a = arrays.get(`page/${name}`);
    if (!(a instanceof kind)) fail(`array ${name} is missing or of the wrong type.`);
    if (length !== undefined && a.length !== length)
      fail(`array ${name} has ${a.length} entries, not ${length}.`);
    return a.slice() as T;
  };
  if (!isObject(json)) fail('it is not an object.');
  const legacy = json.rowCauses === undefined;
  if (!legacy && (!Array.isArray(json.rowCauses) || json.rowCauses.join() !== ROW_CAUSES.join()))
    fail('its row causes are not the ones this version knows.');
  /** Saved causes, checked against the causes the file was written with. */
  const causeArray = (name: string, old: boolean, length: number): Uint8Array => {
    const causes = get(name, Uint8Array, length);
    if (causes.some((c) => c >= (old ? LEGACY_CAUSE_COUNT : ROW_CAUSES.length)))
      fail(`array ${name} holds an unknown row cause.`);
    return causes;
  };
  if (!Array.isArray(json.history) || json.history.length > 100_000) fail('the loss history is not a list.');
  const history = json.history.map((p): TrainingPoint => {
    if (!Array.isArray(p) || p.length !== TRAINING_POINT_KEYS.length)
      fail('a loss history point is malformed.');
    const point = v.safeParse(
      TRAINING_POINT,
      Object.fromEntries(TRAINING_POINT_KEYS.map((k, i) => [k, p[i]])),
    );
    if (!point.success) fail(`history ${String(point.issues[0].path?.[0]?.key)} is not a number.`);
    return point.output;
  });

  let rows: RowStats | null = null;
  if (json.rows !== null) {
    const r = json.rows;
    if (!isObject(r) || r.vocabSize !== V) fail('the row counters are for another vocabulary.');
    const lastUpdateNorm = get('rows/lastUpdateNorm', Float32Array, V);
    let last: RowStats['last'] = null;
    if (r.lastCounts !== null) {
      const causes = causeArray('rows/lastCauses', legacy, V);
      last = legacy ? reclassifyLegacy(causes, lastUpdateNorm) : { causes, counts: counts(r.lastCounts, V) };
    }
    // An old file's per-row counters cannot be split after the fact: its 'lookup' column counts the
    // steps a row was looked up, moved or not, and no step is counted as 'stalled'.
    const byCause = perCause((c) =>
      legacy && c === 'stalled' ? new Uint32Array(V) : get(`rows/${c}`, Uint32Array, V),
    );
    rows = {
      vocabSize: V,
      steps: whole(r.steps, 'the counted steps'),
      byCause,
      frequency: get('rows/frequency', Uint32Array, V),
      lastUpdateNorm,
      last,
    };
  }

  if (!Array.isArray(json.frames)) fail('the frames are not a list.');
  const frames = json.frames.map((f, i): RowFrame => {
    if (!isObject(f)) fail('a frame is malformed.');
    const causes = causeArray(`frames/${i}/causes`, legacy, V);
    const updateNorm = get(`frames/${i}/updateNorm`, Float32Array, V);
    const step = whole(f.step, 'a frame’s step');
    if (legacy) return { step, updateNorm, ...reclassifyLegacy(causes, updateNorm) };
    return { step, updateNorm, causes, counts: counts(f.counts, V) };
  });

  const lastReport =
    json.report === null
      ? null
      : decodeReport(
          json.report,
          get,
          V,
          arrays.get('page/report/positionGradRowNorm')?.length ?? 0,
          arrays.has('page/report/centredUpdateRowNorm'),
        );

  return { history, rows, frames, lastReport, comparison: comparison(json.comparison) };
}

/** Reads an array of the payload by name, of the given kind and length, as a copy. */
type ArrayGetter = <T extends TypedArray>(name: string, kind: new (n: number) => T, length?: number) => T;

/**
 * The last step's report: its numbers from the header, its arrays from the payload; P position
 * rows. `hasCentred`: the file has the centred update norms (files saved before issue 18 do not).
 */
function decodeReport(
  json: unknown,
  get: ArrayGetter,
  V: number,
  P: number,
  hasCentred: boolean,
): StepReport {
  const parsed = v.safeParse(SAVED_REPORT, json);
  if (!parsed.success) fail(`the last report's ${v.getDotPath(parsed.issues[0]) ?? 'shape'} is malformed.`);
  const r = parsed.output;
  const b = r.batch;
  const B = b.batchSize;
  const T = b.seqLength;
  const M = b.maskedOutcomes.length;
  const a = <T extends TypedArray>(k: string, kind: new (n: number) => T, n: number) =>
    get(`report/${k}`, kind, n);
  const report: StepReport = {
    step: r.step,
    nonFinite: false,
    loss: r.loss,
    mlmAccuracy: r.mlmAccuracy,
    nspAccuracy: r.nspAccuracy,
    learningRate: r.learningRate,
    gradNorm: r.gradNorm,
    clipScale: r.clipScale,
    lookupRows: ids(r.lookupRows, V, 'lookupRows'),
    movedWithoutGradient: ids(r.movedWithoutGradient, V, 'movedWithoutGradient'),
    mlmPredictions: a('mlmPredictions', Int32Array, M),
    nspPredictions: a('nspPredictions', Int32Array, B),
    outputGradRowNorm: a('outputGradRowNorm', Float32Array, V),
    lookupGradRowNorm: a('lookupGradRowNorm', Float32Array, V),
    updateRowNorm: a('updateRowNorm', Float32Array, V),
    centredUpdateRowNorm: hasCentred ? a('centredUpdateRowNorm', Float32Array, V) : null,
    positionGradRowNorm: a('positionGradRowNorm', Float32Array, P),
    positionUpdateRowNorm: a('positionUpdateRowNorm', Float32Array, P),
    segmentGradRowNorm: a('segmentGradRowNorm', Float32Array, 2),
    segmentUpdateRowNorm: a('segmentUpdateRowNorm', Float32Array, 2),
    ms: r.ms,
    batch: {
      batchSize: B,
      seqLength: T,
      inputIds: a('batch/inputIds', Int32Array, B * T),
      tokenTypeIds: a('batch/tokenTypeIds', Int32Array, B * T),
      attentionMask: a('batch/attentionMask', Int32Array, B * T),
      maskedSlots: a('batch/maskedSlots', Int32Array, M),
      maskedBatchIndex: a('batch/maskedBatchIndex', Int32Array, M),
      maskedPositions: a('batch/maskedPositions', Int32Array, M),
      maskedLabels: a('batch/maskedLabels', Int32Array, M),
      maskedOutcomes: b.maskedOutcomes,
      isNext: a('batch/isNext', Uint8Array, B),
    },
  };
  const inRange = (x: Int32Array) => x.every((id) => id >= 0 && id < V);
  if (!inRange(report.batch.inputIds) || !inRange(report.batch.maskedLabels))
    fail('the last batch has ids outside the vocabulary.');
  return report;
}

function comparison(value: unknown): OptimizerComparison | null {
  if (value === null || value === undefined) return null;
  const result = v.safeParse(OPTIMIZER_COMPARISON, value);
  if (!result.success) fail('the optimizer comparison is malformed.');
  return result.output;
}
