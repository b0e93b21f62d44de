/**
 * Turns a chapter's run into what the page states: core/lesson's result function for the chapter,
 * fed with the engine's own reports, tables and traces (or, for the vocabulary chapters, the lab's
 * WordPiece trainer run on the built-in corpus). Nothing here computes a number of its own.
 */
import type { ChapterPlan, LessonChapterId } from '../core/lesson/chapters';
import { adamResult, adamRunsFrom } from '../core/lesson/adam';
import { jointTrainingResult } from '../core/lesson/jointTraining';
import { learnedResult } from '../core/lesson/learned';
import { randomStartResult } from '../core/lesson/randomStart';
import { onlyBatchRowsResult, tiedOutputResult } from '../core/lesson/rowChapters';
import { lookupsByFrequency, vocabSizeResult, type VocabularyComparison } from '../core/lesson/vocabSize';
import type { WordpieceOptions, WordpieceResult } from '../core/lesson/wordpiece';
import { configForPreset } from '../core/model/config';
import { accumulateRows, createRowStats } from '../core/train/pure';
import type { LessonEngineRun, LessonOutcome } from './lessonTypes';

/**
 * The two computations that train WordPiece on the corpus (a second or more each): the runner
 * does them in a Worker of their own, so the page stays live.
 */
export interface LessonCompute {
  wordpiece(
    corpus: string,
    bertVocab: readonly string[],
    options: WordpieceOptions,
  ): Promise<WordpieceResult>;
  compare(
    corpus: string,
    options: { readonly vocabSize: number; readonly factor: number; readonly rareBelow: number },
  ): Promise<VocabularyComparison>;
}

/** What the run gathered, before the result function reads it. */
export interface GatheredRun {
  readonly chapter: LessonChapterId;
  readonly plan: ChapterPlan;
  readonly engine: readonly LessonEngineRun[];
  readonly corpus: string;
  readonly bertVocab: readonly string[];
}

const runById = (runs: readonly LessonEngineRun[], id: string): LessonEngineRun => {
  const run = runs.find((r) => r.id === id);
  if (!run) throw new Error(`The lesson's run ${id} is missing.`);
  return run;
};

const lastReport = (run: LessonEngineRun) => {
  const report = run.reports.at(-1);
  if (!report) throw new Error(`The lesson's run ${run.id} took no step.`);
  return report;
};

function randomStart(run: LessonEngineRun, vocab: readonly string[]): LessonOutcome {
  const start = run.start;
  if (!start?.trace) throw new Error('The random-start run read no step-0 tables or trace.');
  const word = (token: string) => ({ token, id: vocab.indexOf(token) });
  return randomStartResult({
    tables: start.tables,
    pair: start.trace,
    words: [word('cat'), word('train')],
    initStd: configForPreset(run.settings.preset, vocab.length, run.settings.tieOutputEmbeddings).initStd,
    layerNormEps: start.trace.layerNormEps,
  });
}

function jointTraining(run: LessonEngineRun): LessonOutcome {
  const watched = run.watched;
  if (!watched || !run.positions) throw new Error('The joint-training run watched no rows.');
  const hidden = watched.values[0]?.[0]?.length ?? 0;
  return jointTrainingResult({
    tokens: watched.tokens,
    snapshots: watched.values.map((tokenRows, step) => ({
      step,
      hidden,
      tokenRows,
      position: run.positions![step]!,
    })),
    reports: run.reports,
  });
}

function learned(run: LessonEngineRun): LessonOutcome {
  const tables = run.positionTables;
  const first = tables?.[0];
  if (!tables || !first) throw new Error('The learned run read no position tables.');
  return learnedResult({
    snapshots: tables,
    positions: first.count,
    hidden: first.hidden,
    seqLength: run.settings.seqLength,
    lastUpdateRowNorm: lastReport(run).positionUpdateRowNorm,
    weightDecay: run.settings.optimizer === 'adamw',
  });
}

async function vocabSize(
  gathered: GatheredRun,
  plan: Extract<ChapterPlan, { kind: 'vocab-size' }>,
  compute: LessonCompute,
): Promise<LessonOutcome> {
  const comparison = await compute.compare(gathered.corpus, plan);
  const run = gathered.engine[0];
  if (!run) throw new Error('The vocab-size chapter ran no model.');
  const rows = run.reports.reduce(accumulateRows, createRowStats(gathered.bertVocab.length));
  const lookups = lookupsByFrequency(gathered.corpus, gathered.bertVocab, rows.frequency, rows.steps);
  return vocabSizeResult(comparison, lookups);
}

/** The chapter's result: sentences with the run's numbers, the choice it bears out, and its claim. */
export async function lessonOutcome(gathered: GatheredRun, compute: LessonCompute): Promise<LessonOutcome> {
  const { plan, engine } = gathered;
  switch (gathered.chapter) {
    case 'wordpiece': {
      if (plan.kind !== 'wordpiece') break;
      const { sentences, answer, claim, steps } = await compute.wordpiece(
        gathered.corpus,
        gathered.bertVocab,
        plan,
      );
      return { chapter: 'wordpiece', sentences, answer, claim, mergeSteps: steps.length };
    }
    case 'random-start':
      return randomStart(runById(engine, 'step-0'), gathered.bertVocab);
    case 'joint-training':
      return jointTraining(runById(engine, 'default'));
    case 'only-batch-rows': {
      const run = runById(engine, 'untied-sgd');
      return onlyBatchRowsResult(lastReport(run), run.settings);
    }
    case 'tied-output': {
      const run = runById(engine, 'tied-sgd');
      return tiedOutputResult(lastReport(run), run.settings);
    }
    case 'adam':
      return adamResult(adamRunsFrom(Object.fromEntries(engine.map((run) => [run.id, run.reports]))));
    case 'vocab-size':
      if (plan.kind === 'vocab-size') return vocabSize(gathered, plan, compute);
      break;
    case 'learned':
      return learned(runById(engine, 'default'));
  }
  throw new Error(`Chapter ${gathered.chapter} has a plan of another kind (${plan.kind}).`);
}
