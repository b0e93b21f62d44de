/**
 * Chapter 2 ('random-start'): the tables before any step, and a sentence pair's embedding sum.
 *
 * The lab initializes as BERT does (core/model/params.ts): every entry of every embedding table is
 * drawn independently from a normal with σ = initStd (0.02), redrawn when beyond 2σ. That truncated
 * normal has mean 0 and standard deviation σ·√(1 − 2·2·φ(2)/(Φ(2) − Φ(−2))) ≈ 0.8796σ (φ, Φ the
 * standard normal's density and distribution), so the measured std is about 0.0176, not 0.02.
 * Two independent random rows in H dimensions have a cosine of mean 0 and spread about 1/√H.
 */
import { embeddingSum, type EmbeddingTables } from '../model/embeddingSum';
import { count, num, type LessonResult } from './result';

/** φ(2) = e^(−2)/√(2π) and Φ(2) − Φ(−2) = erf(√2). */
const PHI_2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const MASS_WITHIN_2 = 0.9544997361036416;
/** The std of a standard normal truncated to [−2, 2], over that of the untruncated one. */
export const TRUNCATED_STD_FACTOR = Math.sqrt(1 - (2 * 2 * PHI_2) / MASS_WITHIN_2);

export interface TableStats {
  readonly entries: number;
  readonly mean: number;
  /** The population standard deviation of the entries. */
  readonly std: number;
  readonly maxAbs: number;
}

export function tableStats(values: Float32Array): TableStats {
  let sum = 0;
  let maxAbs = 0;
  for (const x of values) {
    sum += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const x of values) squares += (x - mean) ** 2;
  return { entries: values.length, mean, std: Math.sqrt(squares / values.length), maxAbs };
}

/** cos(a, b) of rows i and j of a row-major [rows, H] table. */
function rowCosine(table: Float32Array, hidden: number, i: number, j: number): number {
  let dot = 0;
  let ni = 0;
  let nj = 0;
  for (let k = 0; k < hidden; k++) {
    const a = table[i * hidden + k]!;
    const b = table[j * hidden + k]!;
    dot += a * b;
    ni += a * a;
    nj += b * b;
  }
  return dot / Math.sqrt(ni * nj);
}

function norm(values: Float32Array, row: number, hidden: number): number {
  let s = 0;
  for (let k = 0; k < hidden; k++) s += values[row * hidden + k]! ** 2;
  return Math.sqrt(s);
}

/** One slot of the pair: the norms of the three rows, of their sum, and of LayerNorm's output. */
export interface SlotNorms {
  readonly token: string;
  readonly tokenRow: number;
  readonly segmentRow: number;
  readonly positionRow: number;
  readonly sum: number;
  readonly layerNorm: number;
}

export interface RandomStartInput {
  /** The step-0 tables: the engine's tables() before any step, or initialEmbeddingTables(). */
  readonly tables: EmbeddingTables;
  /** The pair as the tokenizer packs it (encodePair): tokens, ids and segments, no padding. */
  readonly pair: {
    readonly tokens: readonly string[];
    readonly inputIds: readonly number[];
    readonly tokenTypeIds: readonly number[];
  };
  /** Two unrelated words of the vocabulary whose rows are compared. */
  readonly words: readonly [
    { readonly token: string; readonly id: number },
    { readonly token: string; readonly id: number },
  ];
  readonly initStd: number;
  readonly layerNormEps: number;
}

export interface RandomStartClaim {
  readonly step: number;
  readonly token: TableStats;
  /** initStd · TRUNCATED_STD_FACTOR: the std the truncated normal should give. */
  readonly expectedStd: number;
  /** 2 · initStd: no entry may lie beyond it. */
  readonly bound: number;
  readonly cosine: number;
  readonly slots: readonly SlotNorms[];
  /** Step 0; std within 3% of expectedStd; |mean| < std/100; no entry beyond 2σ; |cos| < 0.5. */
  readonly holds: boolean;
}

export function randomStartResult(input: RandomStartInput): LessonResult<RandomStartClaim> {
  const { tables, pair, words, initStd, layerNormEps } = input;
  const H = tables.hidden;
  for (const w of words)
    if (!(Number.isInteger(w.id) && w.id >= 0 && w.id < tables.vocabSize))
      throw new RangeError(`"${w.token}" is not in the vocabulary of ${tables.vocabSize} rows.`);
  const token = tableStats(tables.token);
  const expectedStd = initStd * TRUNCATED_STD_FACTOR;
  const bound = 2 * initStd;
  const cosine = rowCosine(tables.token, H, words[0].id, words[1].id);
  const sum = embeddingSum(tables, pair.inputIds, pair.tokenTypeIds, layerNormEps);
  const slots = pair.tokens.map((t, i) => ({
    token: t,
    tokenRow: norm(sum.tokenEmbedding, i, H),
    segmentRow: norm(sum.segmentEmbedding, i, H),
    positionRow: norm(sum.positionEmbedding, i, H),
    sum: norm(sum.embeddingSum, i, H),
    layerNorm: norm(sum.embeddingOutput, i, H),
  }));
  const holds =
    tables.step === 0 &&
    Math.abs(token.std / expectedStd - 1) < 0.03 &&
    Math.abs(token.mean) < token.std / 100 &&
    token.maxAbs <= bound &&
    Math.abs(cosine) < 0.5;
  const first = slots[1] ?? slots[0]!;
  const sentences = [
    `At step ${tables.step} the ${count(token.entries)} entries of E_token have mean ${num(token.mean)} and standard deviation ${num(token.std)}: draws from a normal with σ = ${num(initStd)}, redrawn beyond ±${num(bound)} (largest |entry| ${num(token.maxAbs)}), whose std is ${num(TRUNCATED_STD_FACTOR)}σ = ${num(expectedStd)}.`,
    `The rows of "${words[0].token}" and "${words[1].token}" have a cosine of ${num(cosine)}: random directions in ${H} dimensions, whose cosines spread about ±${num(1 / Math.sqrt(H))} around 0.`,
    `For "${first.token}" in the pair, the token, segment and position rows have norms ${num(first.tokenRow)}, ${num(first.segmentRow)} and ${num(first.positionRow)}; their sum ${num(first.sum)}; LayerNorm rescales it to ${num(first.layerNorm)}${tables.step === 0 ? ` (√${H} = ${num(Math.sqrt(H))}, as γ = 1 and β = 0 before training)` : ''}. Random rows in, a random vector out.`,
  ];
  return {
    chapter: 'random-start',
    answer: holds ? 'random' : null,
    sentences,
    claim: { step: tables.step, token, expectedStd, bound, cosine, slots, holds },
  };
}
