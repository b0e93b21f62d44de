import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng';
import { CONTINUATION_PREFIX, createBertTokenizer } from '../tokenizer';
import { loadBertVocab } from '../tokenizer/test/load-vocab';
import { googleTruncateSeqPair } from '../tokenizer/test/truncate-seq-pair';
import { parseCorpus } from './corpus';
import { roundHalfEven } from './masking';
import { createPretrainingData, truncateSeqPair, type PretrainingInstance } from './pretraining-data';
import { smallCorpusText } from './test/fixtures';

const bert = createBertTokenizer(loadBertVocab());
const [PAD, CLS, SEP] = [0, 101, 102];
const longDocuments = parseCorpus(smallCorpusText(12, 1, 40));

/** The sequence before masking: the input with each masked slot's label put back. */
function original(instance: PretrainingInstance): number[] {
  const ids = [...instance.inputIds];
  instance.maskedPositions.forEach((p, m) => (ids[p] = instance.maskedLabels[m]!));
  return ids;
}

function take(n: number, next: () => PretrainingInstance): PretrainingInstance[] {
  return Array.from({ length: n }, next);
}

describe('createPretrainingData', () => {
  it('packs [CLS] A [SEP] B [SEP] with segment 0 through the first [SEP] and 1 after it', () => {
    const data = createPretrainingData(longDocuments, bert, { maxSeqLength: 48 }, 1);
    for (const instance of take(200, data.nextInstance)) {
      const ids = original(instance);
      const firstSep = ids.indexOf(SEP);
      expect(ids[0]).toBe(CLS);
      expect(ids.at(-1)).toBe(SEP);
      expect(firstSep).toBeGreaterThan(1); // A is not empty
      expect(ids.length - 1).toBeGreaterThan(firstSep + 1); // B is not empty
      expect(ids.length).toBeLessThanOrEqual(48);
      expect(instance.tokenTypeIds).toEqual(ids.map((_, i) => (i <= firstSep ? 0 : 1)));
    }
  });

  it('makes about 50% IsNext pairs', () => {
    // shortSeqProb = 0: a document that draws a short target makes only one-sentence chunks,
    // which are always NotNext (Google's behaviour), and would pull the share below one half.
    const data = createPretrainingData(longDocuments, bert, { maxSeqLength: 64, shortSeqProb: 0 }, 2);
    const isNext = take(3000, data.nextInstance).filter((x) => x.isNext).length / 3000;
    expect(Math.abs(isNext - 0.5)).toBeLessThan(0.04);
  });

  it('takes B from the same document after A for IsNext, and from another document for NotNext', () => {
    // Each sentence is one token ("d3s7" is sentence 7 of document 3), added to a tiny vocabulary.
    const names = Array.from({ length: 6 }, (_, d) => Array.from({ length: 12 }, (_, s) => `d${d}s${s}`));
    const tokenizer = createBertTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...names.flat()]);
    const data = createPretrainingData(names, tokenizer, { maxSeqLength: 8, shortSeqProb: 0 }, 3);
    const where = (id: number): [number, number] => {
      const [d, s] = tokenizer.vocab[id]!.slice(1).split('s').map(Number);
      return [d!, s!];
    };
    for (const instance of take(300, data.nextInstance)) {
      const ids = original(instance);
      const sep = ids.indexOf(3);
      const [docA, lastA] = where(ids[sep - 1]!);
      const [docB, firstB] = where(ids[sep + 1]!);
      if (instance.isNext) expect([docB, firstB]).toEqual([docA, lastA + 1]);
      else expect(docB).not.toBe(docA);
    }
  });

  it('masks about 15% of the tokens, never [CLS], [SEP] or [PAD]', () => {
    const data = createPretrainingData(longDocuments, bert, { maxSeqLength: 64 }, 4);
    let masked = 0;
    let tokens = 0;
    for (const instance of take(1000, data.nextInstance)) {
      const ids = original(instance);
      // Python's round, as Google's script: a length of 30 gives round(4.5) = 4 predictions.
      expect(instance.maskedPositions.length).toBe(Math.max(1, roundHalfEven(ids.length * 0.15)));
      for (const p of instance.maskedPositions) expect([CLS, SEP, PAD]).not.toContain(ids[p]);
      masked += instance.maskedPositions.length;
      tokens += ids.length;
    }
    expect(Math.abs(masked / tokens - 0.15)).toBeLessThan(0.01);
  });

  it('caps the masked tokens of a sequence at maxPredictionsPerSeq', () => {
    const data = createPretrainingData(longDocuments, bert, { maxSeqLength: 64, maxPredictionsPerSeq: 5 }, 4);
    const counts = take(300, data.nextInstance).map((x) => x.maskedPositions.length);
    expect(Math.max(...counts)).toBe(5);
  });

  it('with whole-word masking masks every piece of a chosen word', () => {
    const text =
      'The unaffable tokenizer split embeddings into wordpieces. Bioluminescent jellyfish glimmered unpredictably.';
    const documents = [...parseCorpus(text), ...longDocuments.slice(0, 3)];
    const data = createPretrainingData(documents, bert, { maxSeqLength: 40, wholeWordMask: true }, 5);
    let multiPiece = 0;
    for (const instance of take(400, data.nextInstance)) {
      const ids = original(instance);
      const chosen = new Set(instance.maskedPositions);
      const isContinuation = (p: number): boolean => bert.vocab[ids[p]!]!.startsWith(CONTINUATION_PREFIX);
      for (let start = 0; start < ids.length; start++) {
        if (isContinuation(start) && start > 0 && ![CLS, SEP].includes(ids[start - 1]!)) continue;
        let end = start + 1;
        while (end < ids.length && isContinuation(end)) end++;
        const inWord = [...Array(end - start).keys()].filter((k) => chosen.has(start + k)).length;
        expect(inWord === 0 || inWord === end - start).toBe(true);
        if (inWord > 1) multiPiece++;
      }
    }
    expect(multiPiece).toBeGreaterThan(0);
  });

  it('pads a batch to maxSeqLength and lists the masked slots with labels, outcomes and isNext', () => {
    const data = createPretrainingData(longDocuments, bert, { maxSeqLength: 64, shortSeqProb: 0.5 }, 6);
    const batch = data.nextBatch(4);
    const T = 64;
    expect([batch.batchSize, batch.seqLength, batch.inputIds.length, batch.attentionMask.length]).toEqual([
      4,
      T,
      4 * T,
      4 * T,
    ]);
    for (let b = 0; b < 4; b++) {
      const real = batch.attentionMask.subarray(b * T, (b + 1) * T).reduce((s, x) => s + x, 0);
      for (let t = real; t < T; t++) {
        expect([batch.inputIds[b * T + t], batch.tokenTypeIds[b * T + t]]).toEqual([PAD, 0]);
      }
    }
    const M = batch.maskedSlots.length;
    expect([batch.maskedLabels.length, batch.maskedOutcomes.length, batch.maskedPositions.length]).toEqual([
      M,
      M,
      M,
    ]);
    batch.maskedSlots.forEach((slot, m) => {
      expect(slot).toBe(batch.maskedBatchIndex[m]! * T + batch.maskedPositions[m]!);
      expect(batch.attentionMask[slot]).toBe(1);
    });
    expect(batch.isNext).toHaveLength(4);
  });

  it('gives identical batches for the same seed and different ones for another', () => {
    const batches = (seed: number) => {
      const data = createPretrainingData(
        longDocuments,
        bert,
        { maxSeqLength: 32, wholeWordMask: true },
        seed,
      );
      return [data.nextBatch(8), data.nextBatch(8), data.nextBatch(8)];
    };
    expect(batches(7)).toEqual(batches(7));
    expect(batches(7)).not.toEqual(batches(8));
  });

  it('starts a new pass with fresh pairs and masks when the corpus runs out, the same for the same seed', () => {
    // Two-sentence documents: an IsNext pair is always (first sentence, second sentence), so pairs
    // come back in the next pass and their masks can be compared.
    const animals = ['cat', 'dog', 'horse', 'goat', 'duck', 'sheep', 'mouse', 'fox'];
    const corpus = animals.map((animal) => [
      `The ${animal} walked slowly along the river bank in the morning.`,
      `Later the ${animal} rested under a tall tree near the old farm house.`,
    ]);
    const twoPasses = (seed: number): [PretrainingInstance[], PretrainingInstance[]] => {
      const data = createPretrainingData(corpus, bert, { maxSeqLength: 64, shortSeqProb: 0 }, seed);
      const passes: PretrainingInstance[][] = [[], [], []];
      for (;;) {
        const instance = data.nextInstance();
        if (data.epoch > 2) break;
        passes[data.epoch]!.push(instance);
      }
      return [passes[1]!, passes[2]!];
    };
    const [first, second] = twoPasses(9);
    expect(twoPasses(9)).toEqual([first, second]);
    expect(twoPasses(10)).not.toEqual([first, second]);

    // Fresh pairs: the second pass is not the first one reordered.
    const pairs = (pass: PretrainingInstance[]) =>
      pass.map((x) => JSON.stringify([original(x), x.isNext])).sort();
    expect(pairs(second)).not.toEqual(pairs(first));

    // Fresh masks: most pairs that come back are masked differently.
    const masks = (pass: PretrainingInstance[]) =>
      new Map(
        pass.map((x) => [JSON.stringify(original(x)), JSON.stringify([x.maskedPositions, x.inputIds])]),
      );
    const [before, after] = [masks(first), masks(second)];
    const again = [...before.keys()].filter((key) => after.has(key));
    expect(again.length).toBeGreaterThanOrEqual(2);
    const remasked = again.filter((key) => before.get(key) !== after.get(key));
    expect(remasked.length).toBeGreaterThanOrEqual(again.length / 2);
  });

  it('makes the pinned first batch for seed 1', () => {
    // Pinned: a share link stores the seed and the step to train to, and the page replays the run
    // from the seed. A change to how pairs, cuts or masks are drawn changes what an old link shows,
    // so it must fail here. The vocabulary is bert-base-uncased's, which no trainer setting moves.
    const corpus = [
      ['The cat sat on the mat.', 'It was warm there.', 'Then it slept until noon.'],
      [
        'Rain fell on the old town.',
        'People hurried home with umbrellas.',
        'By evening the streets were empty.',
      ],
      ['She planted tomatoes in spring.', 'They grew tall by summer.'],
    ];
    const batch = createPretrainingData(corpus, bert, { maxSeqLength: 20 }, 1).nextBatch(2);
    const rows = [0, 1].map((b) => Array.from(batch.inputIds.subarray(b * 20, (b + 1) * 20)));
    // [CLS] the seizing(cat, random) sat on the mat . [SEP] it was warm there [MASK](.) then [MASK](it) slept until noon [SEP]
    expect(rows[0]).toEqual([
      101, 1996, 24681, 2938, 2006, 1996, 13523, 1012, 102, 2009, 2001, 4010, 2045, 103, 2059, 103, 7771,
      2127, 11501, 102,
    ]);
    // [CLS] she planted tomatoes [MASK](in) spring . [SEP] by [MASK](evening) the streets were empty . [SEP] [PAD] x 4
    expect(rows[1]).toEqual([
      101, 2016, 8461, 12851, 103, 3500, 1012, 102, 2011, 103, 1996, 4534, 2020, 4064, 1012, 102, 0, 0, 0, 0,
    ]);
    expect(Array.from(batch.tokenTypeIds)).toEqual([
      ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      ...[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
    ]);
    expect(Array.from(batch.maskedBatchIndex)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(batch.maskedPositions)).toEqual([2, 13, 15, 4, 9]);
    expect(Array.from(batch.maskedLabels)).toEqual([4937, 1012, 2009, 1999, 3944]);
    expect(batch.maskedOutcomes).toEqual(['random', 'mask', 'mask', 'mask', 'mask']);
    expect(Array.from(batch.isNext)).toEqual([1, 0]);
  });

  it('rejects a corpus without tokens and a sequence length too short for a pair', () => {
    expect(() => createPretrainingData([[''], []], bert, {}, 1)).toThrow(/no sentences with any tokens/);
    expect(() => createPretrainingData(longDocuments, bert, { maxSeqLength: 4 }, 1)).toThrow(/maxSeqLength/);
  });
});

describe('truncateSeqPair', () => {
  it('cuts the longer side, from either end, until the pair fits', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const a = [1, 2, 3, 4, 5, 6, 7];
      const b = [11, 12, 13];
      truncateSeqPair(a, b, 6, rng);
      expect([a.length, b.length]).toEqual([3, 3]);
      expect(b).toEqual([11, 12, 13]);
      const start = a[0]! - 1;
      expect(a).toEqual([start + 1, start + 2, start + 3]);
    }
  });

  it('cuts B when both sides are as long (trunc_tokens = tokens_a if len(a) > len(b) else tokens_b)', () => {
    const rng = new Rng(2);
    const cutFromB = new Set<string>();
    for (let i = 0; i < 50; i++) {
      // A tie at the start: B loses the one piece too many.
      const a = [1, 2, 3, 4, 5];
      const b = [11, 12, 13, 14, 15];
      truncateSeqPair(a, b, 9, rng);
      expect(a).toEqual([1, 2, 3, 4, 5]);
      expect(b).toHaveLength(4);
      cutFromB.add(JSON.stringify(b));
      // A longer by one: A is cut to 4, then the tie cuts B.
      const c = [1, 2, 3, 4, 5];
      const d = [11, 12, 13, 14];
      truncateSeqPair(c, d, 7, rng);
      expect([c.length, d.length]).toEqual([4, 3]);
    }
    // From the front or the back, at random.
    expect(cutFromB).toEqual(new Set(['[11,12,13,14]', '[12,13,14,15]']));
  });

  it('keeps as many pieces of each side as the run_classifier rule, on every length 1..12 and budget 2..20', () => {
    const rng = new Rng(3);
    for (let lengthA = 1; lengthA <= 12; lengthA++) {
      for (let lengthB = 1; lengthB <= 12; lengthB++) {
        for (let budget = 2; budget <= 20; budget++) {
          const a = Array.from({ length: lengthA }, (_, i) => i);
          const b = Array.from({ length: lengthB }, (_, i) => 100 + i);
          const [keptA, keptB] = googleTruncateSeqPair(a, b, budget);
          truncateSeqPair(a, b, budget, rng);
          expect([a.length, b.length], `A ${lengthA}, B ${lengthB}, budget ${budget}`).toEqual([
            keptA.length,
            keptB.length,
          ]);
        }
      }
    }
  });
});
