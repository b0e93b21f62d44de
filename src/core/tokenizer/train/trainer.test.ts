import { describe, expect, it } from 'vitest';
import { createWordPieceTrainer, scoresOf, type MergeStep } from './index';
import { COURSE_CORPUS } from './test/fixtures';

/**
 * The ten merges of the course formula ('pmi') on COURSE_CORPUS (test/fixtures.ts), worked by hand.
 * score = count(ab) / (count(a) · count(b)); counts are weighted by word frequency. Each line lists
 * the winner and whatever it beat or tied with; the runner-up is the best of those.
 *
 *  1. counts ##u 38, ##g 20, ##n 18, p 17, h 15, ##s 5, b 4, g 2.
 *     (##g, ##s) 5/(20·5) = 1/20 beats the six pairs with ##u, each n/(38·n) = 1/38: ##s is rare.
 *  2. All seven live pairs tie at 1/38: (##u, ##n) 18/(38·18), (p, ##u) 17, (##u, ##g) 15,
 *     (h, ##u) 15, (##u, ##gs) 5, (b, ##u) 4, (g, ##u) 2. The highest count(ab) wins: (##u, ##n).
 *  3. ##un 18, ##u 20. (b, ##un) 4/(4·18) = 1/18 ties (g, ##un) 2/(2·18); count 4 beats 2.
 *     Next best: (##u, ##g) 15/(20·15) = 1/20, (p, ##un) 12/(17·18) = 2/51.
 *  4. ##un 14. (g, ##un) 2/(2·14) = 1/14 beats (p, ##un) 12/(17·14) = 6/119.
 *  5. ##un 12. (p, ##un) 12/(17·12) = 1/17 beats the 1/20 pairs.
 *  6. p 5 (only "pug" still starts with p). Four pairs tie at 1/20: (##u, ##g) 15/(20·15),
 *     (h, ##u) 15/(15·20), (##u, ##gs) 5/(20·5), (p, ##u) 5/(5·20). Two have count 15, and "##u"
 *     sorts before "h" ("#" is U+0023): (##u, ##g).
 *  7. ##u 5 (only in "hugs"), ##ug 15. (##u, ##gs) 5/(5·5) = 1/5 beats (h, ##u) 5/(15·5) = 1/15,
 *     (p, ##ug) 5/(5·15) = 1/15 and (h, ##ug) 10/(15·15) = 2/45.
 *  8. (h, ##ugs) 5/(15·5) = 1/15 ties (p, ##ug) 5/(5·15), both count 5: "h" sorts before "p".
 *  9. h 10. (h, ##ug) 10/(10·15) = 1/15 ties (p, ##ug) 5/(5·15); count 10 beats 5.
 * 10. ##ug 5. (p, ##ug) 5/(5·5) = 1/5, the last pair. Every word is whole: 23 tokens, 38 pieces.
 *
 * Pieces go 119 -> 114 -> 96 -> 92 -> 90 -> 78 -> 63 -> 58 -> 53 -> 43 -> 38: each merge removes
 * count(ab) pieces.
 */
type Pair = readonly [string, string, number, number]; // left, right, score, count(ab)
const HAND_WORKED: readonly [string, string, string, number, number, number, number, number, Pair | null][] =
  [
    // left, right, token, score, count(ab), count(a), count(b), words changed, runner-up
    ['##g', '##s', '##gs', 1 / 20, 5, 20, 5, 1, ['##u', '##g', 1 / 38, 20]],
    ['##u', '##n', '##un', 1 / 38, 18, 38, 18, 3, ['p', '##u', 1 / 38, 17]],
    ['b', '##un', 'bun', 1 / 18, 4, 4, 18, 1, ['g', '##un', 1 / 18, 2]],
    ['g', '##un', 'gun', 1 / 14, 2, 2, 14, 1, ['p', '##un', 6 / 119, 12]],
    ['p', '##un', 'pun', 1 / 17, 12, 17, 12, 1, ['##u', '##g', 1 / 20, 15]],
    ['##u', '##g', '##ug', 1 / 20, 15, 20, 15, 2, ['h', '##u', 1 / 20, 15]],
    ['##u', '##gs', '##ugs', 1 / 5, 5, 5, 5, 1, ['h', '##u', 1 / 15, 5]],
    ['h', '##ugs', 'hugs', 1 / 15, 5, 15, 5, 1, ['p', '##ug', 1 / 15, 5]],
    ['h', '##ug', 'hug', 1 / 15, 10, 10, 15, 1, ['p', '##ug', 1 / 15, 5]],
    ['p', '##ug', 'pug', 1 / 5, 5, 5, 5, 1, null],
  ];
const PIECES_AFTER = [114, 96, 92, 90, 78, 63, 58, 53, 43, 38];
const PIECES_BEFORE = [119, ...PIECES_AFTER.slice(0, -1)];
const PMI = { vocabSize: 100, score: 'pmi' } as const;

describe('createWordPieceTrainer on the course corpus', () => {
  it('starts from the specials and the sorted alphabet, with first characters bare', () => {
    const trainer = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100 });
    expect(trainer.vocab).toEqual([
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      '[MASK]',
      '##g',
      '##n',
      '##s',
      '##u',
      'b',
      'g',
      'h',
      'p',
    ]);
    expect(trainer.splitOf('hugs')).toEqual(['h', '##u', '##g', '##s']);
    expect(trainer.initialPiecesPerWord).toBe(119 / 38);
    expect(trainer.wordCount).toBe(6);
    expect(trainer.stopped).toBeNull();
  });

  it('makes the ten hand-worked merges of the course formula, scores, counts and runners-up included', () => {
    const trainer = createWordPieceTrainer(COURSE_CORPUS, PMI);
    const steps = trainer.run(20);
    const expected: MergeStep[] = HAND_WORKED.map(
      ([left, right, token, score, pairCount, leftCount, rightCount, wordsChanged, second], i) => ({
        step: i + 1,
        pair: [left, right],
        token,
        score,
        pairCount,
        leftCount,
        rightCount,
        mergeCount: pairCount,
        tokenCount: 0,
        totalTokens: PIECES_BEFORE[i]!,
        runnerUp: second && {
          pair: [second[0], second[1]],
          token: second[0] + second[1].slice(2),
          score: second[2],
          pairCount: second[3],
        },
        wordsChanged,
        vocabSize: 14 + i,
        piecesPerWord: PIECES_AFTER[i]! / 38,
      }),
    );
    expect(steps).toEqual(expected);
    expect(trainer.stopped).toBe('exhausted');
    expect(trainer.step()).toBeNull();
    expect(trainer.vocab.slice(13)).toEqual(HAND_WORKED.map(([, , token]) => token));
    expect(trainer.splitOf('hugs')).toEqual(['hugs']);
  });

  it('stops at the target size, counting specials and alphabet', () => {
    const trainer = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 16, score: 'pmi' });
    expect(trainer.run(20).map((s) => s.token)).toEqual(['##gs', '##un', 'bun']);
    expect(trainer.stopped).toBe('target');
    expect(trainer.vocab).toHaveLength(16);
    expect(trainer.splitOf('pun')).toEqual(['p', '##un']);
  });

  it.each(['likelihood', 'pmi', 'bpe'] as const)(
    '%s: steps one merge at a time exactly as run() does',
    (score) => {
      const stepped = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100, score });
      const oneByOne: MergeStep[] = [];
      for (let next = stepped.step(); next !== null; next = stepped.step()) oneByOne.push(next);
      const ran = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100, score });
      expect([...ran.run(3), ...ran.run(2), ...ran.run(Infinity)]).toEqual(oneByOne);
    },
  );

  it("still accepts the course formula's old id 'wordpiece'", () => {
    const old = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100, score: 'wordpiece' });
    expect(old.run(Infinity)).toEqual(createWordPieceTrainer(COURSE_CORPUS, PMI).run(Infinity));
  });

  it('bpe merges the most frequent pair first where the course formula prefers a pair with a rare part', () => {
    // (##u, ##g) occurs 20 times but ##u is everywhere (38); (##g, ##s) occurs 5 times, and ##s
    // never occurs without it: the course formula's 1/20 beats 1/38, BPE's 20 beats 5.
    const wordpiece = createWordPieceTrainer(COURSE_CORPUS, PMI).run(Infinity);
    const bpe = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100, score: 'bpe' }).run(Infinity);
    expect(wordpiece[0]!.pair).toEqual(['##g', '##s']);
    expect(bpe.map((s) => [s.token, s.score])).toEqual([
      ['##ug', 20],
      ['##un', 18],
      ['hug', 15],
      ['pun', 12],
      ['hugs', 5], // ties (p, ##ug) at 5: "hug" sorts before "p"
      ['pug', 5],
      ['bun', 4],
      ['gun', 2],
    ]);
    // BPE builds "hugs" from "hug" + "##s"; WordPiece from the rare "##gs", via "##ugs". Both end
    // with every word whole, BPE with two tokens fewer.
    expect(wordpiece.map((s) => s.token)).toEqual(expect.arrayContaining(['##gs', '##ugs']));
    expect(bpe.at(-1)!.piecesPerWord).toBe(1);
    expect(wordpiece).toHaveLength(bpe.length + 2);
  });

  it.each(['likelihood', 'pmi', 'bpe'] as const)(
    '%s: scoresOf gives back, from the counts a step reports, exactly the score it won with',
    (score) => {
      const steps = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100, score }).run(Infinity);
      expect(steps.length).toBeGreaterThan(5);
      for (const step of steps) expect(scoresOf(step)[score]).toBe(step.score);
    },
  );

  it('likelihood: merges (##u, ##g) first, the pair that shortens the corpus most for its association', () => {
    // 27.6 nats (likelihood.test.ts works it by hand) against 24.3 for (##u, ##n): both parts of
    // (##g, ##s) are rarer apart, but it occurs 5 times, not 20.
    const [first, second] = createWordPieceTrainer(COURSE_CORPUS, { vocabSize: 100 }).run(2);
    expect(first).toMatchObject({ pair: ['##u', '##g'], pairCount: 20, totalTokens: 119 });
    expect(first!.score).toBeCloseTo(27.597, 3);
    expect(first!.runnerUp).toMatchObject({ pair: ['##u', '##n'], pairCount: 18 });
    expect(first!.runnerUp!.score).toBeCloseTo(24.275, 3);
    expect(second!.totalTokens).toBe(99);
  });
});
