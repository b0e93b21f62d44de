import { describe, expect, it } from 'vitest';
import { createBertTokenizer } from '../tokenizer';
import { loadBertVocab } from '../tokenizer/test/load-vocab';
import { countWords } from '../tokenizer/train';
import { lessonChapter } from './chapters';
import { BUILTIN_CORPUS as CORPUS } from './test/corpus';
import { wordpieceLesson } from './wordpiece';

const BERT = loadBertVocab();
const plan = lessonChapter('wordpiece').plan;
if (plan.kind !== 'wordpiece') throw new Error('wordpiece trains a vocabulary');

describe('wordpieceLesson on the built-in corpus', () => {
  const result = wordpieceLesson(CORPUS, BERT, plan);
  const { claim } = result;
  const counts = countWords(CORPUS);

  it('trains to the plan size and lists the first whole words in merge order with their corpus counts', () => {
    expect(claim.vocabSize).toBe(plan.vocabSize);
    expect(result.vocab).toHaveLength(plan.vocabSize);
    expect(claim.firstWhole).toHaveLength(10);
    const steps = claim.firstWhole.map((w) => w.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const w of claim.firstWhole) {
      expect(w.count).toBe(counts.get(w.word));
      expect(result.steps[w.step - 1]!.token).toBe(w.word);
    }
    expect(claim.firstWhole[0]!.word).toBe('the');
  });

  it('bears out the right choice: the first whole words are all among the 50 most frequent', () => {
    const top50 = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 50)
      .map(([w]) => w);
    for (const w of claim.firstWhole) expect(top50).toContain(w.word);
    expect(claim.topWhole).toBeGreaterThan(0.8);
    expect(claim.onceWhole).toBeLessThan(0.1);
    expect(claim.holds).toBe(true);
    expect(result.answer).toBe(lessonChapter('wordpiece').question.correct);
  });

  it('tokenizes the chapter words with both vocabularies as the real tokenizers do', () => {
    const trained = createBertTokenizer(result.vocab);
    const bert = createBertTokenizer(BERT);
    for (const w of claim.words) {
      expect(w.trained).toEqual(trained.tokenize(w.word));
      expect(w.bert).toEqual(bert.tokenize(w.word));
    }
    const marmalade = claim.words.find((w) => w.word === 'marmalade')!;
    expect(marmalade.count).toBe(1);
    expect(marmalade.trained.length).toBeGreaterThan(1);
    expect(claim.words.find((w) => w.word === 'the')!.bert).toEqual(['the']);
    expect(claim.sentence.bert).toEqual(bert.tokenize(plan.sentence));
  });

  it('writes the run numbers into its sentences', () => {
    expect(result.sentences[0]).toContain(
      `"the" (merge ${claim.firstWhole[0]!.step}, ${counts.get('the')} times, rank 1)`,
    );
    expect(result.sentences[1]).toContain(
      `${Math.round(100 * claim.topWhole)}% of the 50 most frequent words`,
    );
    expect(result.sentences.some((s) => s.startsWith('"embeddings" (not in the corpus)'))).toBe(true);
  });

  it('does not claim the order when the vocabulary is too small for any merge', () => {
    // The specials and the corpus's alphabet alone: 89 tokens.
    const tiny = wordpieceLesson(CORPUS, BERT, { ...plan, vocabSize: 89 });
    expect(tiny.claim.merges).toBe(0);
    expect(tiny.claim.firstWhole).toEqual([]);
    expect(tiny.claim.holds).toBe(false);
    expect(tiny.answer).toBeNull();
  });

  it('handles an empty corpus with a sentence, not a crash', () => {
    const empty = wordpieceLesson('', BERT, plan);
    expect(empty.claim.merges).toBe(0);
    expect(empty.claim.holds).toBe(false);
    expect(empty.sentences[0]).toContain('no word of two or more letters became a single token');
  });
});
