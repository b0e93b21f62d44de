/**
 * BERT's pretraining examples, made as Google's create_pretraining_data.py makes them:
 * documents of tokenized sentences -> sentence pairs `[CLS] A [SEP] B [SEP]` that are 50% IsNext
 * (B is the text that follows A) and 50% NotNext (B starts at a random sentence of another
 * document) -> masked-LM corruption (masking.ts).
 *
 * As in Google's script, a chunk of a single sentence always gets a random B, and a document
 * that draws a short target length (`shortSeqProb`) is cut into such chunks only, so with the
 * default options somewhat fewer than half the pairs are IsNext (40-45% on the test corpora;
 * 49% with shortSeqProb = 0).
 *
 * Google writes `dupe_factor` (10) differently masked copies of the corpus up front. Here a pass
 * over the corpus (an epoch, with fresh pairs and masks) is made when the previous one runs out,
 * so training can go on for as many steps as asked. Everything draws from one `Rng`: the same
 * seed gives the same documents, pairs, masks and batches.
 */
import { Rng } from '../math/rng';
import type { BertInput } from '../model/bert';
import { CLS, CONTINUATION_PREFIX, indexVocab, MASK, PAD, SEP, type BertTokenizer } from '../tokenizer';
import type { PretrainingTargets } from './loss';
import { maskSequence, type MaskingOptions, type MaskingVocab, type MaskOutcome } from './masking';

export interface PretrainingOptions extends MaskingOptions {
  /** Sequence length, specials included; every batch is padded to it (BERT: 128, then 512). */
  readonly maxSeqLength: number;
  /** How often a pair aims for a random shorter length, so the model also sees short inputs (0.1). */
  readonly shortSeqProb: number;
}

const DEFAULT_PRETRAINING_OPTIONS: PretrainingOptions = {
  maxSeqLength: 128,
  shortSeqProb: 0.1,
  maskedLmProb: 0.15,
  maxPredictionsPerSeq: 20,
  wholeWordMask: false,
};

/** One training sequence before padding. */
export interface PretrainingInstance {
  readonly inputIds: number[]; // after masking
  readonly tokenTypeIds: (0 | 1)[];
  readonly maskedPositions: number[];
  readonly maskedLabels: number[];
  readonly maskedOutcomes: MaskOutcome[];
  readonly isNext: boolean;
}

/** A padded batch of B sequences of T = maxSeqLength slots, as plain arrays. */
export interface PretrainingBatch extends BertInput, PretrainingTargets {
  /** The sequence of each masked token: [M]. */
  readonly maskedBatchIndex: Int32Array;
  /** The position of each masked token in its sequence: [M]. */
  readonly maskedPositions: Int32Array;
  /** What replaced each masked token: [M]. */
  readonly maskedOutcomes: readonly MaskOutcome[];
}

export interface PretrainingData {
  /** The corpus as token ids, after removing empty sentences and documents, in shuffled order. */
  readonly documents: readonly (readonly number[][])[];
  /** Passes over the corpus made so far. */
  readonly epoch: number;
  /** The next `batchSize` instances, padded to `maxSeqLength`. */
  nextBatch(batchSize: number): PretrainingBatch;
  /** The next instance, unpadded. */
  nextInstance(): PretrainingInstance;
}

class PretrainingDataError extends Error {
  override name = 'PretrainingDataError';
}

/**
 * Google's truncate_seq_pair: while the pair is too long, drop one token from the longer side
 * (B on a tie), from its front or its back at random, so the model does not learn that
 * sequences always end at a sentence boundary.
 */
export function truncateSeqPair(a: number[], b: number[], maxTokens: number, rng: Rng): void {
  while (a.length + b.length > maxTokens) {
    const longer = a.length > b.length ? a : b;
    if (rng.float() < 0.5) longer.shift();
    else longer.pop();
  }
}

/** Google's create_instances_from_document, for one document, before masking. */
function pairsFromDocument(
  documents: readonly (readonly number[][])[],
  index: number,
  options: PretrainingOptions,
  rng: Rng,
): { a: number[]; b: number[]; isNext: boolean }[] {
  const document = documents[index]!;
  // Room for [CLS], [SEP], [SEP].
  const maxTokens = options.maxSeqLength - 3;
  const targetLength = rng.float() < options.shortSeqProb ? rng.intInclusive(2, maxTokens) : maxTokens;
  const pairs: { a: number[]; b: number[]; isNext: boolean }[] = [];
  let chunk: number[][] = [];
  let chunkLength = 0;
  for (let i = 0; i < document.length; i++) {
    const sentence = document[i]!;
    chunk.push(sentence);
    chunkLength += sentence.length;
    if (i !== document.length - 1 && chunkLength < targetLength) continue;
    // A takes the chunk's first `aEnd` sentences, cut at a random sentence boundary.
    const aEnd = chunk.length >= 2 ? rng.intInclusive(1, chunk.length - 1) : 1;
    const a = chunk.slice(0, aEnd).flat();
    let b: number[] = [];
    // A one-sentence chunk has nothing to continue with, so it always gets a random B.
    const isNext = !(chunk.length === 1 || rng.float() < 0.5);
    if (isNext) {
      b = chunk.slice(aEnd).flat();
    } else {
      const targetB = targetLength - a.length;
      // Ten tries at a different document, as Google (a one-document corpus uses itself).
      let other = 0;
      for (let tries = 0; tries < 10; tries++) {
        other = rng.intInclusive(0, documents.length - 1);
        if (other !== index) break;
      }
      const randomDocument = documents[other]!;
      for (let j = rng.intInclusive(0, randomDocument.length - 1); j < randomDocument.length; j++) {
        b.push(...randomDocument[j]!);
        if (b.length >= targetB) break;
      }
      // The sentences of the chunk that B did not use are put back, to start the next chunk.
      i -= chunk.length - aEnd;
    }
    truncateSeqPair(a, b, maxTokens, rng);
    pairs.push({ a, b, isNext });
    chunk = [];
    chunkLength = 0;
  }
  return pairs;
}

function checkOptions(o: PretrainingOptions): void {
  if (!Number.isInteger(o.maxSeqLength) || o.maxSeqLength < 5) {
    throw new PretrainingDataError(
      `maxSeqLength must be a whole number of at least 5, not ${o.maxSeqLength}.`,
    );
  }
  if (!(o.shortSeqProb >= 0 && o.shortSeqProb <= 1)) {
    throw new PretrainingDataError(`shortSeqProb must be in [0, 1], not ${o.shortSeqProb}.`);
  }
  if (!(o.maskedLmProb > 0 && o.maskedLmProb < 1)) {
    throw new PretrainingDataError(`maskedLmProb must be in (0, 1), not ${o.maskedLmProb}.`);
  }
  if (!Number.isInteger(o.maxPredictionsPerSeq) || o.maxPredictionsPerSeq < 1) {
    throw new PretrainingDataError(
      `maxPredictionsPerSeq must be a whole number of at least 1, not ${o.maxPredictionsPerSeq}.`,
    );
  }
}

export function createPretrainingData(
  texts: readonly (readonly string[])[],
  tokenizer: BertTokenizer,
  options: Partial<PretrainingOptions>,
  seed: number,
): PretrainingData {
  const o: PretrainingOptions = { ...DEFAULT_PRETRAINING_OPTIONS, ...options };
  checkOptions(o);
  const rng = new Rng(seed);
  const vocab = indexVocab(tokenizer.vocab);
  const specialIds = new Set<number>([vocab.special[CLS], vocab.special[SEP], vocab.special[PAD]]);
  const maskingVocab: MaskingVocab = {
    size: tokenizer.vocab.length,
    maskId: vocab.special[MASK],
    isSpecial: (id) => specialIds.has(id),
    isContinuation: (id) => tokenizer.vocab[id]?.startsWith(CONTINUATION_PREFIX) ?? false,
  };

  // Empty sentences and documents are dropped, then the documents are shuffled, as Google does.
  const documents = texts
    .map((sentences) => sentences.map((s) => tokenizer.encode(s) as number[]).filter((ids) => ids.length > 0))
    .filter((doc) => doc.length > 0);
  if (documents.length === 0) throw new PretrainingDataError('The corpus has no sentences with any tokens.');
  rng.shuffle(documents);

  let queue: PretrainingInstance[] = [];
  let epoch = 0;
  const makeEpoch = (): void => {
    const instances: PretrainingInstance[] = [];
    for (let d = 0; d < documents.length; d++) {
      for (const { a, b, isNext } of pairsFromDocument(documents, d, o, rng)) {
        const ids = [vocab.special[CLS], ...a, vocab.special[SEP], ...b, vocab.special[SEP]];
        const tokenTypeIds = ids.map((_, i): 0 | 1 => (i < a.length + 2 ? 0 : 1));
        const masked = maskSequence(ids, maskingVocab, o, rng);
        instances.push({
          inputIds: masked.inputIds,
          tokenTypeIds,
          maskedPositions: masked.positions,
          maskedLabels: masked.labels,
          maskedOutcomes: masked.outcomes,
          isNext,
        });
      }
    }
    queue = rng.shuffle(instances);
    epoch++;
  };

  const nextInstance = (): PretrainingInstance => {
    if (queue.length === 0) makeEpoch();
    return queue.shift()!;
  };

  return {
    documents,
    get epoch() {
      return epoch;
    },
    nextInstance,
    nextBatch(batchSize: number): PretrainingBatch {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new PretrainingDataError(
          `The batch size must be a whole number of at least 1, not ${batchSize}.`,
        );
      }
      const instances = Array.from({ length: batchSize }, nextInstance);
      return padBatch(instances, o.maxSeqLength, vocab.special[PAD]);
    },
  };
}

/** Packs instances into row-major arrays of B x T slots, padding with [PAD], segment 0, attention 0. */
export function padBatch(
  instances: readonly PretrainingInstance[],
  seqLength: number,
  padId: number,
): PretrainingBatch {
  const B = instances.length;
  const T = seqLength;
  const inputIds = new Int32Array(B * T).fill(padId);
  const tokenTypeIds = new Int32Array(B * T);
  const attentionMask = new Int32Array(B * T);
  const slots: number[] = [];
  const batchIndex: number[] = [];
  const positions: number[] = [];
  const labels: number[] = [];
  const outcomes: MaskOutcome[] = [];
  instances.forEach((instance, b) => {
    if (instance.inputIds.length > T)
      throw new PretrainingDataError(`An instance is longer than ${T} slots.`);
    inputIds.set(instance.inputIds, b * T);
    tokenTypeIds.set(instance.tokenTypeIds, b * T);
    attentionMask.fill(1, b * T, b * T + instance.inputIds.length);
    instance.maskedPositions.forEach((p, m) => {
      slots.push(b * T + p);
      batchIndex.push(b);
      positions.push(p);
      labels.push(instance.maskedLabels[m]!);
      outcomes.push(instance.maskedOutcomes[m]!);
    });
  });
  return {
    batchSize: B,
    seqLength: T,
    inputIds,
    tokenTypeIds,
    attentionMask,
    maskedSlots: Int32Array.from(slots),
    maskedBatchIndex: Int32Array.from(batchIndex),
    maskedPositions: Int32Array.from(positions),
    maskedLabels: Int32Array.from(labels),
    maskedOutcomes: outcomes,
    isNext: Uint8Array.from(instances, (x) => (x.isNext ? 1 : 0)),
  };
}
