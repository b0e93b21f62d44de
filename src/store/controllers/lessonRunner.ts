/**
 * How a chapter of the Lesson view trains: on the lesson's own engine (its own Worker, so the
 * Training view's model is never touched), from a fresh model each time. A run takes an
 * AbortSignal, checked between engine calls, so leaving the view stops it at its next step.
 */
import type { EngineSettings } from '../../core/domain/settings';
import type { EngineRunPlan } from '../../core/lesson/chapters';
import type { StepReport } from '../../core/train/pure';
import type { TrainEngineClient } from '../../engine/trainClient';
import type { LessonEngineRun } from '../lessonTypes';
import { BUILTIN_CORPUS } from '../vocabTrainerSlice';

/** The lesson trains on wasm: the same numbers on every machine, ~0.1 s a step of the lab preset. */
const LESSON_BACKEND = 'wasm' as const;

export class LessonCancelled extends Error {
  constructor() {
    super('The lesson run was stopped.');
  }
}

const check = (signal: AbortSignal) => {
  if (signal.aborted) throw new LessonCancelled();
};

/** Fetches the built-in corpus the engine and the trainer learn from. */
export async function fetchCorpus(assetBase: string): Promise<string> {
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
export async function runEnginePlan(
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
  await read();
  const reports: StepReport[] = [];
  for (let s = 0; s < plan.steps; s++) {
    check(ctx.signal);
    await ctx.engine.step(1);
    reports.push(...ctx.reports.take());
    await read();
    ctx.onStep(reports.at(-1)?.step ?? s + 1);
  }
  return {
    id: plan.id,
    label: plan.label,
    settings,
    reports,
    watched: watch ? { tokens: words, ids, values } : null,
    positions: watch ? positions : null,
    start,
  };
}
