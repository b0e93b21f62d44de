/**
 * How a chapter of the Lesson view trains: on the lesson's own engine (its own Worker, so the
 * Training view's model is never touched), from a fresh model each time. A run takes an
 * AbortSignal, checked between engine calls, so leaving the view stops it at its next step.
 */
import type { EngineSettings } from '../../core/domain/settings';
import {
  isLessonChapterId,
  lessonChapter,
  type ChapterPlan,
  type EngineRunPlan,
} from '../../core/lesson/chapters';
import type { StepReport } from '../../core/train/pure';
import type { TrainEngineClient } from '../../engine/trainClient';
import { computeInWorker } from '../../engine/lessonCompute';
import { lessonOutcome, type LessonCompute } from '../lessonResults';
import type { LessonEngineRun, LessonProgress, LessonRunData, PositionTable } from '../lessonTypes';
import type { LabStore } from '../types';
import { until } from '../until';
import { BUILTIN_CORPUS } from '../vocabTrainerSlice';

/** The lesson trains on wasm: the same numbers on every machine, ~0.1 s a step of the lab preset. */
const LESSON_BACKEND = 'wasm' as const;

class LessonCancelled extends Error {
  constructor() {
    super('The lesson run was stopped.');
  }
}

const check = (signal: AbortSignal) => {
  if (signal.aborted) throw new LessonCancelled();
};

/** Fetches the built-in corpus the engine and the trainer learn from. */
async function fetchCorpus(assetBase: string): Promise<string> {
  const response = await fetch(new URL(BUILTIN_CORPUS.path, assetBase));
  if (!response.ok) throw new Error(`Could not load the corpus: ${response.status}`);
  return response.text();
}

export interface EngineRunContext {
  readonly engine: TrainEngineClient;
  readonly vocab: readonly string[];
  readonly corpus: string;
  readonly signal: AbortSignal;
  /** Called with each step's report as the engine pushes it; set by the slice. */
  readonly reports: { take(): StepReport[] };
  readonly onStep: (step: number) => void;
}

/** Runs one training plan from a fresh model (the seed's weights) and gathers what it shows. */
async function runEnginePlan(
  plan: EngineRunPlan,
  pair: { readonly a: string; readonly b: string } | null,
  ctx: EngineRunContext,
): Promise<LessonEngineRun> {
  const settings: EngineSettings = { ...plan.settings, backend: LESSON_BACKEND };
  const tokens = await ctx.engine.init(settings, ctx.vocab, ctx.corpus);
  check(ctx.signal);
  ctx.reports.take();
  const start =
    plan.steps === 0
      ? { tables: await ctx.engine.tables(), trace: pair ? await ctx.engine.trace(pair.a, pair.b) : null }
      : null;
  const watch = plan.watch?.tables;
  const words = (watch?.tokenRows ?? []).filter((w) => tokens.includes(w));
  const ids = words.map((w) => tokens.indexOf(w));
  const values: Float32Array[][] = [];
  const positions: Float32Array[] = [];
  const read = async () => {
    if (!watch) return;
    values.push(await ctx.engine.snapshotRows(ids));
    positions.push((await ctx.engine.tables()).position);
  };
  const every = plan.watch?.positions?.every;
  const positionTables: PositionTable[] = [];
  const readPositions = async (step: number) => {
    if (every === undefined || (step % every !== 0 && step !== plan.steps)) return;
    const t = await ctx.engine.tables();
    positionTables.push({ step: t.step, hidden: t.hidden, count: t.maxPositions, position: t.position });
  };
  await read();
  await readPositions(0);
  const reports: StepReport[] = [];
  for (let s = 0; s < plan.steps; s++) {
    check(ctx.signal);
    await ctx.engine.step(1);
    reports.push(...ctx.reports.take());
    await read();
    await readPositions(s + 1);
    ctx.onStep(reports.at(-1)?.step ?? s + 1);
  }
  return {
    id: plan.id,
    label: plan.label,
    settings,
    reports,
    watched: watch ? { tokens: words, ids, values } : null,
    positions: watch ? positions : null,
    positionTables: every === undefined ? null : positionTables,
    start,
  };
}

/** The training runs of a plan (the vocabulary-size chapter counts lookups with one). */
const runsOf = (plan: ChapterPlan) => (plan.kind === 'wordpiece' ? [] : plan.runs);

/** Units of work in a plan, for the progress bar: loading, engine starts and steps, the result. */
export function planWork(plan: ChapterPlan): number {
  return 2 + runsOf(plan).reduce((n, r) => n + r.steps + 1, 0);
}

/** The WordPiece computations, each in a Worker of its own that the signal ends. */
const workerCompute = (signal: AbortSignal): LessonCompute => ({
  wordpiece: (corpus, bertVocab, options) =>
    computeInWorker({ type: 'wordpiece', corpus, bertVocab, options }, signal),
  compare: (corpus, options) => computeInWorker({ type: 'compare', corpus, options }, signal),
});

export interface ChapterRunDeps {
  readonly store: LabStore;
  readonly engine: () => TrainEngineClient;
  readonly reports: EngineRunContext['reports'];
  readonly signal: AbortSignal;
  readonly onProgress: (progress: LessonProgress) => void;
  /** Called once the chapter is known to exist, before anything runs. */
  readonly onStart: () => void;
}

/**
 * Runs a chapter: loads the corpus and bert-base-uncased, trains each of its plan's runs from a
 * fresh model on the lesson's engine, then hands everything to the chapter's result function.
 * Resolves null for a chapter that does not exist.
 */
export async function runChapter(chapter: string, deps: ChapterRunDeps): Promise<LessonRunData | null> {
  if (!isLessonChapterId(chapter)) return null;
  deps.onStart();
  const { plan } = lessonChapter(chapter);
  const { store, signal } = deps;
  const started = performance.now();
  const total = planWork(plan);
  let done = 0;
  const say = (label: string) => deps.onProgress({ done: Math.min(done, total), total, label });
  const advance = (label: string) => {
    done++;
    say(label);
  };
  say('Loading the corpus and the vocabulary…');
  const corpus = await fetchCorpus(store.getState().assetBase);
  await until(store, (s) => s.vocab.kind !== 'loading');
  const vocab = store.getState().vocab;
  if (vocab.kind !== 'ready')
    throw new Error('The lesson needs the bert-base-uncased vocabulary, which has not loaded.');
  advance('Corpus and vocabulary loaded');
  const runs: LessonEngineRun[] = [];
  const pair = plan.kind === 'engine' ? (plan.pair ?? null) : null;
  for (const run of runsOf(plan)) {
    check(signal);
    say(`${run.label}: starting the model…`);
    const ctx = { engine: deps.engine(), vocab: vocab.tokens, corpus, signal, reports: deps.reports };
    const onStep = (step: number) => advance(`${run.label}: step ${step} of ${run.steps}`);
    runs.push(await runEnginePlan(run, pair, { ...ctx, onStep }));
    advance(`${run.label}: done`);
  }
  check(signal);
  say(plan.kind === 'engine' ? 'Reading the numbers…' : 'Training WordPiece on the corpus…');
  const gathered = { chapter, plan, engine: runs, corpus, bertVocab: vocab.tokens };
  const outcome = await lessonOutcome(gathered, workerCompute(signal));
  return { chapter, engine: runs, outcome, ms: performance.now() - started };
}
