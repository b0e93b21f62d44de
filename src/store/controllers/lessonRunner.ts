/**
 * How a chapter of the Lesson view runs: training runs on the lesson's own engine (its own Worker,
 * so the Training view's model is never touched) and vocabularies learned by the lesson's own
 * WordPiece trainer (its own Worker, not the Vocabulary view's). Each piece takes an AbortSignal,
 * checked between engine calls, so leaving the view or starting again stops a run at its next step.
 */
import type { EngineSettings } from '../../core/domain/settings';
import type { EngineRunPlan } from '../../core/lesson/chapters';
import type { StepReport } from '../../core/train/pure';
import type { MergeStep } from '../../core/tokenizer/train';
import type { TrainEngineClient } from '../../engine/trainClient';
import { createVocabTrainerClient } from '../../engine/vocabTrainerClient';
import type { FromTrainer, TrainerSettings } from '../../engine/vocabProtocol';
import type { LessonEngineRun, LessonVocabRun } from '../lessonTypes';
import { BUILTIN_CORPUS } from '../vocabTrainerSlice';

/** The lesson trains on wasm: the same numbers on every machine, ~0.1 s a step of the lab preset. */
export const LESSON_BACKEND = 'wasm' as const;

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
  const ids = (watch?.tokenRows ?? []).map((w) => tokens.indexOf(w)).filter((id) => id >= 0);
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
    watched: watch ? { ids, values } : null,
    positions: watch ? positions : null,
    start,
  };
}

/**
 * Learns WordPiece vocabularies of the given sizes from the built-in corpus in a trainer Worker of
 * the lesson's own, one after another, and ends the Worker.
 */
export function learnVocabularies(
  assetBase: string,
  sizes: readonly number[],
  signal: AbortSignal,
  onVocab: (done: number) => void,
): Promise<LessonVocabRun[]> {
  return new Promise((resolve, reject) => {
    const out: LessonVocabRun[] = [];
    let current: { vocab: string[]; initial: number; steps: MergeStep[] } | null = null;
    const settingsFor = (vocabSize: number): TrainerSettings => ({
      vocabSize,
      score: 'likelihood',
      minCharFrequency: 1,
    });
    const finish = (error?: Error) => {
      client.dispose();
      signal.removeEventListener('abort', aborted);
      if (error) reject(error);
      else resolve(out);
    };
    const aborted = () => finish(new LessonCancelled());
    const begin = (vocab: readonly string[]) => {
      current = { vocab: [...vocab], initial: vocab.length, steps: [] };
      // A merge whose token already exists adds nothing, so ask for more merges than tokens.
      client.send({ type: 'run', steps: 4 * sizes[out.length]! });
    };
    const receive = (message: FromTrainer) => {
      if (signal.aborted) return;
      if (message.type === 'error') return finish(new Error(message.message));
      if (message.type === 'loaded' || message.type === 'reset') return begin(message.reset.vocab);
      if (message.type !== 'steps' || !current) return;
      for (const step of message.steps) {
        current.steps.push(step);
        if (step.vocabSize > current.vocab.length) current.vocab.push(step.token);
      }
      if (message.running) return;
      out.push({
        targetSize: sizes[out.length]!,
        vocab: current.vocab,
        initialVocabSize: current.initial,
        steps: current.steps,
      });
      onVocab(out.length);
      current = null;
      if (out.length === sizes.length) return finish();
      client.send({ type: 'configure', settings: settingsFor(sizes[out.length]!) });
    };
    const client = createVocabTrainerClient(receive);
    signal.addEventListener('abort', aborted);
    if (sizes.length === 0) return finish();
    const url = new URL(BUILTIN_CORPUS.path, assetBase).href;
    client.send({
      type: 'load',
      source: { kind: 'url', url, name: BUILTIN_CORPUS.name },
      settings: settingsFor(sizes[0]!),
    });
  });
}
