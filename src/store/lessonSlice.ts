import type { StateCreator } from 'zustand';
import { errorMessage } from '../core/errorMessage';
import type { StepReport } from '../core/train/pure';
import { createTrainEngineClient, type TrainEngineClient } from '../engine/trainClient';
import type { FromEngine } from '../engine/trainProtocol';
import type { LessonSlice, LessonView } from './lessonTypes';
import type { LabState } from './types';

/** core/lesson's LESSON_CHAPTER_IDS[0] (a test checks), written here so the page need not load the chapters. */
export const FIRST_CHAPTER = 'wordpiece';

export const INITIAL_LESSON: LessonView = {
  chapter: FIRST_CHAPTER,
  predictions: {},
  running: null,
  progress: null,
  runs: {},
  lastReport: null,
  step: 0,
  errors: {},
};

type EnginePush = Exclude<FromEngine, { type: 'reply' }>;

/** The change one push from the lesson's engine makes (a pure reduction, like the Training view's). */
export function lessonPatchFor(lesson: LessonView, push: EnginePush): Partial<LessonView> {
  switch (push.type) {
    case 'report':
      return { lastReport: push.report, step: push.report.step };
    case 'snapshot':
      return push.snapshot.step === lesson.step ? {} : { step: push.snapshot.step };
    default:
      return {};
  }
}

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const copy = { ...record };
  delete copy[key];
  return copy;
};

export const createLessonSlice: StateCreator<LabState, [], [], LessonSlice> = (set, get, store) => {
  const update = (patch: Partial<LessonView>) => set({ lesson: { ...get().lesson, ...patch } });
  let client: TrainEngineClient | null = null;
  let pending: StepReport[] = [];
  let abort: AbortController | null = null;
  const receive = (push: EnginePush) => {
    if (push.type === 'report') pending.push(push.report);
    update(lessonPatchFor(get().lesson, push));
  };
  const engine = () => (client ??= createTrainEngineClient((push) => get().receiveLessonPush(push)));
  const reports = { take: () => pending.splice(0) };

  return {
    lesson: INITIAL_LESSON,
    setLessonChapter: (chapter) => {
      if (chapter === get().lesson.chapter) return;
      get().cancelLesson();
      update({ chapter });
    },
    predictLesson: (chapter, choice) =>
      update({ predictions: { ...get().lesson.predictions, [chapter]: choice } }),
    runLesson: async (chapter) => {
      if (get().lesson.running !== null) return;
      abort = new AbortController();
      const { signal } = abort;
      const { lesson } = get();
      // Marked as running before the first await, so a second call in the meantime does nothing.
      update({ running: chapter });
      try {
        // The chapters, their result functions and the WordPiece trainer come with the run, not
        // with the page: the first view's JavaScript stays within its budget.
        const { runChapter } = await import('./controllers/lessonRunner');
        const data = await runChapter(chapter, {
          store,
          engine: get().lessonEngine,
          reports,
          signal,
          onProgress: (progress) => update({ progress }),
          onStart: () =>
            update({ errors: without(lesson.errors, chapter), runs: without(get().lesson.runs, chapter) }),
        });
        if (data) update({ runs: { ...get().lesson.runs, [chapter]: data } });
      } catch (error) {
        // A stopped run (the learner left) is no error and leaves no half result.
        if (!signal.aborted) update({ errors: { ...get().lesson.errors, [chapter]: errorMessage(error) } });
      } finally {
        pending = [];
        if (abort?.signal === signal) abort = null;
        update({ running: null, progress: null });
      }
    },
    cancelLesson: () => abort?.abort(),
    lessonEngine: engine,
    receiveLessonPush: receive,
    disposeLesson: () => {
      abort?.abort();
      client?.dispose();
      client = null;
    },
  };
};
