import type { StateCreator } from 'zustand';
import { errorMessage } from '../core/errorMessage';
import type { StepReport } from '../core/train/pure';
import { createTrainEngineClient, type TrainEngineClient } from '../engine/trainClient';
import type { FromEngine } from '../engine/trainProtocol';
import {
  isLessonChapterId,
  LESSON_CHAPTER_IDS,
  lessonChapter,
  type ChapterPlan,
  type LessonChapterId,
} from '../core/lesson/chapters';
import { lessonOutcome } from './lessonResults';
import { fetchCorpus, LessonCancelled, runEnginePlan } from './controllers/lessonRunner';
import type { LessonEngineRun, LessonProgress, LessonSlice, LessonView } from './lessonTypes';
import type { LabState } from './types';
import { until } from './until';

export const FIRST_CHAPTER: string = LESSON_CHAPTER_IDS[0];

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

/** The training runs of a plan (the vocabulary-size chapter counts lookups with one). */
const runsOf = (plan: ChapterPlan) => (plan.kind === 'wordpiece' ? [] : plan.runs);

/** Units of work in a plan, for the progress bar: loading, engine starts and steps, the result. */
export function planWork(plan: ChapterPlan): number {
  return 2 + runsOf(plan).reduce((n, r) => n + r.steps + 1, 0);
}

/** Lets the page paint the progress before a synchronous computation holds the main thread. */
const paint = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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

  const progressOf = (done: number, total: number, label: string): LessonProgress => ({
    done: Math.min(done, total),
    total,
    label,
  });

  const execute = async (chapter: LessonChapterId, plan: ChapterPlan, signal: AbortSignal) => {
    const started = performance.now();
    const total = planWork(plan);
    let done = 0;
    const advance = (label: string) => update({ progress: progressOf(++done, total, label) });
    update({ progress: progressOf(0, total, 'Loading the corpus and the vocabulary…') });
    const corpus = await fetchCorpus(get().assetBase);
    await until(store, (s) => s.vocab.kind !== 'loading');
    const vocab = get().vocab;
    if (vocab.kind !== 'ready')
      throw new Error('The lesson needs the bert-base-uncased vocabulary, which has not loaded.');
    advance('Corpus and vocabulary loaded');
    const runs: LessonEngineRun[] = [];
    const pair = plan.kind === 'engine' ? (plan.pair ?? null) : null;
    for (const run of runsOf(plan)) {
      if (signal.aborted) throw new LessonCancelled();
      update({ progress: progressOf(done, total, `${run.label}: starting the model…`) });
      runs.push(
        await runEnginePlan(run, pair, {
          engine: get().lessonEngine(),
          vocab: vocab.tokens,
          corpus,
          signal,
          reports,
          onStep: (step) => advance(`${run.label}: step ${step} of ${run.steps}`),
        }),
      );
      advance(`${run.label}: done`);
    }
    if (signal.aborted) throw new LessonCancelled();
    update({
      progress: progressOf(
        done,
        total,
        plan.kind === 'engine' ? 'Reading the numbers…' : 'Training WordPiece…',
      ),
    });
    await paint();
    const outcome = lessonOutcome({ chapter, plan, engine: runs, corpus, bertVocab: vocab.tokens });
    return { chapter, engine: runs, outcome, ms: performance.now() - started };
  };

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
      if (!isLessonChapterId(chapter) || get().lesson.running !== null) return;
      const { plan } = lessonChapter(chapter);
      abort = new AbortController();
      const { signal } = abort;
      const { lesson } = get();
      update({
        running: chapter,
        errors: without(lesson.errors, chapter),
        runs: without(lesson.runs, chapter),
      });
      try {
        const data = await execute(chapter, plan, signal);
        update({ runs: { ...get().lesson.runs, [chapter]: data } });
      } catch (error) {
        if (!(error instanceof LessonCancelled) && !signal.aborted)
          update({ errors: { ...get().lesson.errors, [chapter]: errorMessage(error) } });
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
