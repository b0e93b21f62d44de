import { describe, expect, it } from 'vitest';
import { OPTIMIZER_CHOICES, PRESET_NAMES, withinLimits } from '../domain/settings';
import { isLessonChapterId, LESSON_CHAPTER_IDS, LESSON_CHAPTERS, lessonChapter } from './chapters';

describe('the lesson chapters', () => {
  it('point at another view of the lab only through seeAlso, which an embedded Lesson turns into a link', () => {
    const views = /\b(Tokenize & Pack|Vocabulary|Training|Embedding sum|Learned rows) (view|tab)\b/;
    for (const chapter of LESSON_CHAPTERS) {
      for (const text of [chapter.lead, chapter.question.prompt, chapter.question.why])
        expect(text, chapter.id).not.toMatch(views);
      if (chapter.question.seeAlso) expect(chapter.question.seeAlso.text, chapter.id).toMatch(views);
    }
    expect(LESSON_CHAPTERS.filter((c) => c.question.seeAlso).map((c) => c.id)).toEqual(['learned']);
  });

  it('come in the public order of ids, numbered from 1', () => {
    expect(LESSON_CHAPTERS.map((c) => c.id)).toEqual([...LESSON_CHAPTER_IDS]);
    expect(LESSON_CHAPTERS.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const id of LESSON_CHAPTER_IDS) expect(lessonChapter(id).id).toBe(id);
    expect(isLessonChapterId('adam')).toBe(true);
    expect(isLessonChapterId('Adam')).toBe(false);
    expect(isLessonChapterId(7)).toBe(false);
  });

  it('ask a question with 3 or 4 distinct choices, one of them right', () => {
    for (const { question } of LESSON_CHAPTERS) {
      const ids = question.choices.map((c) => c.id);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect(ids.length).toBeLessThanOrEqual(4);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain(question.correct);
    }
  });

  it('run on seed 42 with settings inside the engine bounds, in at most 150 steps per chapter', () => {
    for (const { plan } of LESSON_CHAPTERS) {
      if (plan.kind === 'wordpiece') continue;
      const ids = plan.runs.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      // A chapter finishes in under 20 s: a wasm step of the lab preset takes about 0.1 s.
      expect(plan.runs.reduce((n, r) => n + r.steps, 0)).toBeLessThanOrEqual(150);
      for (const { settings, steps } of plan.runs) {
        expect(settings.seed).toBe(42);
        expect(PRESET_NAMES).toContain(settings.preset);
        expect(OPTIMIZER_CHOICES).toContain(settings.optimizer);
        for (const key of ['batchSize', 'seqLength', 'learningRate', 'seed'] as const)
          expect(withinLimits(key, settings[key])).toBe(true);
        expect(settings.warmupSteps).toBeLessThan(settings.totalSteps);
        expect(Number.isInteger(steps) && steps >= 0).toBe(true);
      }
    }
  });

  it('use plain SGD with an untied output for only-batch-rows and a tied one for tied-output', () => {
    const only = lessonChapter('only-batch-rows').plan;
    const tied = lessonChapter('tied-output').plan;
    if (only.kind !== 'engine' || tied.kind !== 'engine') throw new Error('engine chapters');
    expect(only.runs[0]!.settings).toMatchObject({ optimizer: 'sgd', tieOutputEmbeddings: false });
    expect(tied.runs[0]!.settings).toMatchObject({ optimizer: 'sgd', tieOutputEmbeddings: true });
  });
});
