import { afterEach, describe, expect, it, vi } from 'vitest';
import { LESSON_CHAPTER_IDS, lessonChapter } from '../core/lesson/chapters';
import type { StepReport } from '../core/train/pure';
import type { TrainEngineClient } from '../engine/trainClient';
import type { EngineSnapshot } from '../engine/trainProtocol';
import { createLabStore } from './labStore';
import { planWork } from './controllers/lessonRunner';
import { FIRST_CHAPTER, INITIAL_LESSON, lessonPatchFor } from './lessonSlice';
import type { LabStore } from './types';

const V = 12;
/** A one-sequence batch of ids 2 7 5 7 3 and three [PAD] (id 0) slots. */
const BATCH_IDS = [2, 7, 5, 7, 3, 0, 0, 0];
const MASK = [1, 1, 1, 1, 1, 0, 0, 0];

/** A step report whose rows moved where `moved` says; the rest of it is what the result reads. */
function report(step: number, moved: readonly number[]): StepReport {
  const updateRowNorm = new Float32Array(V);
  const lookupGradRowNorm = new Float32Array(V);
  for (const r of moved) {
    updateRowNorm[r] = 1e-3;
    lookupGradRowNorm[r] = 1e-2;
  }
  return {
    step,
    learningRate: 0.1,
    clipScale: 1,
    loss: { mlm: 10, nsp: 0.7, total: 10.7 },
    updateRowNorm,
    lookupGradRowNorm,
    outputGradRowNorm: new Float32Array(V),
    movedWithoutGradient: [],
    batch: { inputIds: Int32Array.from(BATCH_IDS), attentionMask: Int32Array.from(MASK) },
  } as unknown as StepReport;
}

/** A stand-in for the lesson's engine Worker: each step pushes `stepReport`, as the Worker does, then replies. */
function fakeEngine(store: LabStore, stepReport: (step: number) => StepReport) {
  const calls: string[] = [];
  let step = 0;
  const client = {
    init: async () => {
      calls.push('init');
      step = 0;
      return Array.from({ length: V }, (_, i) => `t${i}`);
    },
    step: async () => {
      calls.push('step');
      step++;
      store
        .getState()
        .receiveLessonPush({ type: 'report', report: stepReport(step), comparison: null } as never);
    },
    dispose: () => calls.push('dispose'),
  } as unknown as TrainEngineClient;
  store.setState({ lessonEngine: () => client });
  return calls;
}

function readyStore(): LabStore {
  const store = createLabStore();
  store
    .getState()
    .setVocab({ kind: 'ready', name: 'test', tokens: Array.from({ length: V }, (_, i) => `t${i}`) });
  vi.stubGlobal('fetch', async () => new Response('The cat sat.\n\nA dog ran.'));
  return store;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('lesson slice', () => {
  it('lessonPatchFor takes the step and the report from the lesson engine’s pushes, and ignores notices', () => {
    const r = report(3, [2]);
    expect(lessonPatchFor(INITIAL_LESSON, { type: 'report', report: r, comparison: null } as never)).toEqual({
      lastReport: r,
      step: 3,
    });
    const snapshot = { step: 4 } as EngineSnapshot;
    expect(lessonPatchFor(INITIAL_LESSON, { type: 'snapshot', snapshot })).toEqual({ step: 4 });
    expect(lessonPatchFor({ ...INITIAL_LESSON, step: 4 }, { type: 'snapshot', snapshot })).toEqual({});
    expect(lessonPatchFor(INITIAL_LESSON, { type: 'notice', level: 'info', message: 'hi' })).toEqual({});
  });

  it('the first chapter, written into the page’s bundle, is core/lesson’s first', () => {
    expect(FIRST_CHAPTER).toBe(LESSON_CHAPTER_IDS[0]);
  });

  it('planWork counts loading, every engine start and step, and the result', () => {
    expect(planWork(lessonChapter('only-batch-rows').plan)).toBe(2 + 1 + 1);
    expect(planWork(lessonChapter('wordpiece').plan)).toBe(2);
    expect(planWork(lessonChapter('joint-training').plan)).toBe(2 + 1 + 10);
  });

  it('keeps one prediction per chapter and an unknown chapter as asked, for the view to explain', () => {
    const store = createLabStore();
    store.getState().predictLesson('adam', 'yes');
    store.getState().predictLesson('wordpiece', 'frequent');
    store.getState().setLessonChapter('nonsense');
    const { lesson } = store.getState();
    expect(lesson.predictions).toEqual({ adam: 'yes', wordpiece: 'frequent' });
    expect(lesson.chapter).toBe('nonsense');
  });

  it('runLesson does nothing for an unknown chapter or while another run is going', async () => {
    const store = readyStore();
    const calls = fakeEngine(store, (s) => report(s, [2, 3, 5, 7]));
    await store.getState().runLesson('nonsense');
    store.setState({ lesson: { ...store.getState().lesson, running: 'adam' } });
    await store.getState().runLesson('only-batch-rows');
    expect(calls).toEqual([]);
    expect(store.getState().lesson.runs).toEqual({});
  });

  it('runs a chapter on the lesson engine and keeps the result core/lesson states for its reports', async () => {
    const store = readyStore();
    const calls = fakeEngine(store, (s) => report(s, [2, 3, 5, 7]));
    const running = store.getState().runLesson('only-batch-rows');
    expect(store.getState().lesson.running).toBe('only-batch-rows');
    await running;
    const { lesson, training } = store.getState();
    expect(calls).toEqual(['init', 'step']);
    expect(lesson.running).toBeNull();
    expect(lesson.step).toBe(1);
    const outcome = lesson.runs['only-batch-rows']!.outcome;
    expect(outcome.claim).toMatchObject({ moved: [2, 3, 5, 7], batchIds: [2, 3, 5, 7], holds: true });
    expect(outcome.answer).toBe('batch');
    // The Training view's state is untouched.
    expect(training.status).toBe('idle');
    expect(training.lastReport).toBeNull();
  });

  it('a run whose rows disagree with the batch says so: no answer, the claim does not hold', async () => {
    const store = readyStore();
    fakeEngine(store, (s) => report(s, [2, 3, 5, 7, 9]));
    await store.getState().runLesson('only-batch-rows');
    const outcome = store.getState().lesson.runs['only-batch-rows']!.outcome;
    expect(outcome.claim.holds).toBe(false);
    expect(outcome.answer).toBeNull();
  });

  it('a failed load is reported for the chapter, and the next run may start', async () => {
    const store = createLabStore();
    vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
    await store.getState().runLesson('tied-output');
    const { lesson } = store.getState();
    expect(lesson.errors['tied-output']).toMatch(/404/);
    expect(lesson.running).toBeNull();
    expect(lesson.progress).toBeNull();
  });

  it('leaving mid-run stops at the next step, records no error and keeps no half result', async () => {
    const store = readyStore();
    let steps = 0;
    fakeEngine(store, (s) => {
      steps++;
      // The learner leaves the view during the first step of the first of three runs.
      if (s === 1) store.getState().cancelLesson();
      return report(s, [2, 3, 5, 7]);
    });
    await store.getState().runLesson('adam');
    const { lesson } = store.getState();
    expect(steps).toBe(1);
    expect(lesson.running).toBeNull();
    expect(lesson.errors).toEqual({});
    expect(lesson.runs).toEqual({});
  });

  it('changing chapter cancels the run in progress', async () => {
    const store = readyStore();
    let steps = 0;
    fakeEngine(store, (s) => {
      steps++;
      if (s === 2) store.getState().setLessonChapter('vocab-size');
      return report(s, [2, 3, 5, 7]);
    });
    await store.getState().runLesson('adam');
    expect(steps).toBe(2);
    expect(store.getState().lesson.chapter).toBe('vocab-size');
    expect(store.getState().lesson.runs).toEqual({});
  });
});
