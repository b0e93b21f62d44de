import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../tokenizer';
import { loadBertVocab } from '../tokenizer/test/load-vocab';
import { parseCorpus } from '../train/corpus';
import { createPretrainingData } from '../train/pretraining-data';
import { lessonChapter } from './chapters';
import { BUILTIN_CORPUS as CORPUS } from './test/corpus';
import { compareVocabularies, lookupsByFrequency, vocabSizeResult, type LookupBand } from './vocabSize';

const BERT = loadBertVocab();
const plan = lessonChapter('vocab-size').plan;
if (plan.kind !== 'vocab-size') throw new Error('vocab-size compares vocabularies');
const RUN = plan.runs[0]!;

describe('compareVocabularies on the built-in corpus', () => {
  const comparison = compareVocabularies(CORPUS, plan);

  it('finds many more rarely seen rows in the five times larger vocabulary', () => {
    const { small, large } = comparison;
    expect(small.vocabSize).toBe(plan.vocabSize);
    expect(large.vocabSize).toBe(plan.vocabSize * plan.factor);
    // Fewer pieces in all, shared among five times the rows.
    expect(large.tokens).toBeLessThan(small.tokens);
    expect(large.rare / large.rows).toBeGreaterThan(2 * (small.rare / small.rows));
    expect(large.medianOccurrences).toBeLessThan(small.medianOccurrences);
    expect(small.rows).toBe(small.vocabSize - 5);
  });

  it('refuses an empty corpus with a message', () => {
    expect(() => compareVocabularies('  \n', plan)).toThrow(
      'The corpus has no words to train a vocabulary on.',
    );
  });

  it('counts every word of the corpus: pieces per word times words is the piece count', () => {
    const words = CORPUS.toLowerCase().match(/[a-z]+/g)!.length;
    // countWords also counts numbers and punctuation as words, so it finds at least the letter runs.
    expect(comparison.small.tokens / comparison.small.piecesPerWord).toBeGreaterThanOrEqual(words);
  });
});

/**
 * The lab preset's batches for the chapter's run: the built-in corpus through bert-base-uncased,
 * drawn as the engine's session draws them (seed 42, 8 × 32, 15% of slots predicted), and each
 * row's lookups counted as RowStats.frequency counts them: every occurrence in inputIds.
 */
function labLookups(steps: number) {
  const { seed, seqLength, batchSize } = RUN.settings;
  const data = createPretrainingData(
    parseCorpus(CORPUS),
    createBertTokenizer(BERT),
    { maxSeqLength: seqLength, maxPredictionsPerSeq: Math.max(1, Math.round(seqLength * 0.15)) },
    seed,
  );
  const frequency = new Uint32Array(BERT.length);
  const randomIds = new Set<number>();
  for (let s = 0; s < steps; s++) {
    const batch = data.nextBatch(batchSize);
    for (const id of batch.inputIds) frequency[id]!++;
    batch.maskedOutcomes.forEach((o, m) => {
      if (o === 'random') randomIds.add(batch.inputIds[batch.maskedSlots[m]!]!);
    });
  }
  return { frequency, randomIds };
}

describe('lookupsByFrequency on the lab preset batches', () => {
  const steps = RUN.steps;
  const { frequency, randomIds } = labLookups(steps);
  const lookups = lookupsByFrequency(CORPUS, BERT, frequency, steps);

  it('sorts every non-special row into one band or the absent rows', () => {
    const rows = lookups.bands.reduce((n, b) => n + b.rows, 0) + lookups.absent;
    expect(rows).toBe(BERT.length - 5);
    expect(lookups.lookedUp).toBeGreaterThan(100);
    expect(lookups.lookedUp).toBeLessThan(BERT.length / 10);
  });

  it('looks up the frequent rows more per row than the once-seen ones', () => {
    const [once, , , top] = lookups.bands as [LookupBand, LookupBand, LookupBand, LookupBand];
    expect(top.meanLookups).toBeGreaterThan(10 * once.meanLookups);
  });

  it('finds rows absent from the corpus only where masking put a random token', () => {
    expect(lookups.absentLookedUp).toBeGreaterThan(0);
    for (const r of lookups.absentLookedUpRows) expect(randomIds.has(r)).toBe(true);
  });

  it('rejects a frequency array of another vocabulary', () => {
    expect(() => lookupsByFrequency(CORPUS, BERT, new Uint32Array(3), 1)).toThrow(/differ in size/);
  });

  it('vocabSizeResult states both measurements with their numbers and the claim holds', () => {
    const comparison = compareVocabularies(CORPUS, plan);
    const result = vocabSizeResult(comparison, lookups);
    expect(result.claim.holds).toBe(true);
    expect(result.answer).toBe(lessonChapter('vocab-size').question.correct);
    expect(result.sentences[0]).toContain(
      `In ${steps} steps the engine looked up ${lookups.lookedUp.toLocaleString('en-US')} of`,
    );
    expect(result.sentences[1]).toContain('random tokens');
    expect(result.sentences[2]).toContain(`${plan.vocabSize} tokens cut it into`);
    expect(result.sentences[3]).toContain('Asked for 5 times as many, 3,000 tokens');
  });
});
