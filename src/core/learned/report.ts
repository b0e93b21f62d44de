/**
 * A whole LearnedReport from plain arrays: the tables of one step, the vocabulary, the corpus's
 * piece counts and the request. The Worker calls it after each step while the view is open, Node
 * tests and scripts call it on a session's tables; nothing here knows tfjs.
 */
import { SPECIAL_TOKENS } from '../tokenizer/specials';
import { cosineIndex, nearestRows } from './neighbours';
import { pca2d } from './pca';
import { positionCosines } from './positions';
import { segmentDistance } from './segments';
import type { LearnedReport, LearnedRequest, PieceNeighbours, Projection2D } from './types';

export const LEARNED_LIMITS = { k: 50, mapSize: 500, pieces: 12, pieceLength: 100 } as const;

export class LearnedRequestError extends Error {
  override name = 'LearnedRequestError';
}

/** The tables of one step, as the session reads them (row-major float32). */
export interface LearnedTables {
  readonly step: number;
  readonly vocabSize: number;
  readonly hidden: number;
  readonly maxPositions: number;
  readonly token: Float32Array; // [V, H]
  readonly position: Float32Array; // [P, H]
  readonly segment: Float32Array; // [2, H]
  readonly segmentAtStart: Float32Array; // [2, H], from the seed
}

/** The two maps' principal axes ([2, H] each), kept by the caller to sign the next frame's alike. */
export interface LearnedAxes {
  readonly vocab: Float64Array;
  readonly position: Float64Array;
}

export interface LearnedInputs {
  readonly tables: LearnedTables;
  readonly vocab: readonly string[];
  /** How often each id occurs in the training corpus: [V]. */
  readonly pieceCounts: ArrayLike<number>;
  readonly request: LearnedRequest;
  /** The training sequence length T: rows 0..T−1 of the position table are looked up. */
  readonly seqLength: number;
  readonly previousAxes: LearnedAxes | null;
}

function checkPieces(name: string, pieces: unknown): void {
  if (!Array.isArray(pieces)) throw new LearnedRequestError(`${name} must be a list of word pieces.`);
  if (pieces.length > LEARNED_LIMITS.pieces)
    throw new LearnedRequestError(
      `${name} lists ${pieces.length} pieces; at most ${LEARNED_LIMITS.pieces} are allowed.`,
    );
  for (const piece of pieces) {
    if (typeof piece !== 'string')
      throw new LearnedRequestError(`${name} must hold only word pieces (text).`);
    if (piece.length > LEARNED_LIMITS.pieceLength)
      throw new LearnedRequestError(
        `“${piece.slice(0, 20)}…” is ${piece.length} characters long; a word piece has at most ${LEARNED_LIMITS.pieceLength}.`,
      );
  }
}

/** Refuses a request outside its bounds with a sentence that says which bound. */
export function validateLearnedRequest(request: LearnedRequest): void {
  const { k, mapSize } = request;
  if (!Number.isInteger(k) || k < 1 || k > LEARNED_LIMITS.k)
    throw new LearnedRequestError(
      `The number of neighbours must be a whole number from 1 to ${LEARNED_LIMITS.k}, not ${String(k)}.`,
    );
  if (!Number.isInteger(mapSize) || mapSize < 0 || mapSize > LEARNED_LIMITS.mapSize)
    throw new LearnedRequestError(
      `The map's number of frequent pieces must be a whole number from 0 to ${LEARNED_LIMITS.mapSize}, not ${String(mapSize)}.`,
    );
  if (typeof request.centred !== 'boolean') throw new LearnedRequestError('centred must be true or false.');
  checkPieces('pieces', request.pieces);
  checkPieces('mapPieces', request.mapPieces);
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();
/** piece → id, built once per vocabulary array. */
function indexOf(vocab: readonly string[]): Map<string, number> {
  let index = indexes.get(vocab);
  if (!index) indexes.set(vocab, (index = new Map(vocab.map((piece, id) => [piece, id]))));
  return index;
}

const rankings = new WeakMap<object, Int32Array>();
/** Ids that occur in the corpus, most frequent first (ties by id), the special tokens left out; built once per counts array. */
function byFrequency(counts: ArrayLike<number>, vocab: readonly string[]): Int32Array {
  let ranked = rankings.get(counts as object);
  if (!ranked) {
    const specials = new Set<string>(SPECIAL_TOKENS);
    const ids: number[] = [];
    for (let id = 0; id < counts.length; id++)
      if (counts[id]! > 0 && !specials.has(vocab[id] ?? '')) ids.push(id);
    ids.sort((a, b) => counts[b]! - counts[a]! || a - b);
    rankings.set(counts as object, (ranked = Int32Array.from(ids)));
  }
  return ranked;
}

/** The rows `ids` of a [*, H] table, gathered into [ids.length, H]. */
function gather(table: Float32Array, hidden: number, ids: readonly number[]): Float32Array {
  const out = new Float32Array(ids.length * hidden);
  ids.forEach((id, i) => out.set(table.subarray(id * hidden, (id + 1) * hidden), i * hidden));
  return out;
}

function projection(
  table: Float32Array,
  hidden: number,
  ids: readonly number[],
  previous: Float64Array | null,
): { map: Projection2D; axes: Float64Array } {
  const p = pca2d(gather(table, hidden, ids), ids.length, hidden, { previousAxes: previous });
  return { map: { ids, coords: p.coords, explained: p.explained }, axes: p.axes };
}

/** The map's ids: the `mapSize` most frequent pieces, then the picks not among them (unknown picks skipped). */
function mapIds(inputs: LearnedInputs, index: Map<string, number>): number[] {
  const ids = Array.from(byFrequency(inputs.pieceCounts, inputs.vocab).subarray(0, inputs.request.mapSize));
  const seen = new Set(ids);
  for (const piece of inputs.request.mapPieces) {
    const id = index.get(piece);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

function neighboursOf(inputs: LearnedInputs, index: Map<string, number>): PieceNeighbours[] {
  const { tables, request, vocab } = inputs;
  if (request.pieces.length === 0) return [];
  const cosines = cosineIndex(
    { values: tables.token, rows: tables.vocabSize, cols: tables.hidden },
    request.centred,
  );
  return request.pieces.map((piece) => {
    const id = index.get(piece);
    if (id === undefined) return { piece, id: null, count: 0, neighbours: [] };
    const neighbours = nearestRows(cosines, id, request.k).map((n) => ({
      piece: vocab[n.id]!,
      ...n,
      count: inputs.pieceCounts[n.id] ?? 0,
    }));
    return { piece, id, count: inputs.pieceCounts[id] ?? 0, neighbours };
  });
}

/** The report for one step, and the maps' axes for signing the next. */
export function learnedReport(inputs: LearnedInputs): { report: LearnedReport; axes: LearnedAxes } {
  validateLearnedRequest(inputs.request);
  const { tables, request, vocab, previousAxes } = inputs;
  const { hidden: H, vocabSize: V, maxPositions: P } = tables;
  if (vocab.length !== V)
    throw new RangeError(`The vocabulary has ${vocab.length} pieces; the table has ${V} rows.`);
  const index = indexOf(vocab);
  const vocabMap = projection(tables.token, H, mapIds(inputs, index), previousAxes?.vocab ?? null);
  const positionIds = Array.from({ length: P }, (_, i) => i);
  const positionMap = projection(tables.position, H, positionIds, previousAxes?.position ?? null);
  const report: LearnedReport = {
    step: tables.step,
    vocabSize: V,
    hidden: H,
    centred: request.centred,
    k: request.k,
    neighbours: neighboursOf(inputs, index),
    corpusPieces: byFrequency(inputs.pieceCounts, vocab).length,
    positions: positionCosines(tables.position, P, H, inputs.seqLength),
    vocabMap: vocabMap.map,
    positionMap: positionMap.map,
    segments: segmentDistance(tables.segment, tables.segmentAtStart, H),
  };
  return { report, axes: { vocab: vocabMap.axes, position: positionMap.axes } };
}

/** The typed arrays a report holds, for a Worker to transfer rather than copy. */
export function learnedTransfer(report: LearnedReport): ArrayBuffer[] {
  return [report.positions.cosines, report.vocabMap.coords, report.positionMap.coords].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** How often each id occurs in the corpus's documents (token ids per sentence), each document counted once: [V]. */
export function corpusPieceCounts(
  documents: readonly (readonly (readonly number[])[])[],
  vocabSize: number,
): Uint32Array {
  const counts = new Uint32Array(vocabSize);
  for (const document of documents)
    for (const sentence of document) for (const id of sentence) if (id >= 0 && id < vocabSize) counts[id]!++;
  return counts;
}
