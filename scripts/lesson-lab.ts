/**
 * Runs every Lesson chapter as the page would, on the real engine session (src/engine/session.ts)
 * with tfjs's wasm backend in Node, and prints each chapter's time, whether its claim held, and its
 * sentences; then times the two pure computations (chapters 1 and 7) over REPEAT runs (medians).
 *
 *   npx tsx scripts/lesson-lab.ts            # all chapters
 *   CHAPTERS=wordpiece,vocab-size REPEAT=7 npx tsx scripts/lesson-lab.ts
 *
 * Needs public/vocab/bert-base-uncased.txt (npm run vocab).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  adamResult,
  adamRunsFrom,
  compareVocabularies,
  jointTrainingResult,
  learnedResult,
  LESSON_CHAPTERS,
  lookupsByFrequency,
  onlyBatchRowsResult,
  randomStartResult,
  rowSnapshot,
  tiedOutputResult,
  vocabSizeResult,
  wordpieceLesson,
  type EngineRunPlan,
  type LessonChapter,
  type LessonResult,
  type RowSnapshot,
} from '../src/core/lesson';
import { configForPreset } from '../src/core/model/config';
import { createBertTokenizer, parseVocabText } from '../src/core/tokenizer';
import { accumulateRows, createRowStats } from '../src/core/train/rowCauses';
import type { StepReport } from '../src/core/train/stepReport';
import { createSession } from '../src/engine/session';

const root = join(import.meta.dirname, '..');
const VOCAB = parseVocabText(readFileSync(join(root, 'public', 'vocab', 'bert-base-uncased.txt'), 'utf8'));
const CORPUS = readFileSync(join(root, 'public', 'corpus', 'everyday.txt'), 'utf8');
const REPEAT = Number(process.env.REPEAT ?? 5);
const only = process.env.CHAPTERS?.split(',');

/** Runs one plan run; `each` sees the session after step 0 and after every step. */
async function runEngine(
  run: EngineRunPlan,
  each?: (session: ReturnType<typeof createSession>) => Promise<void>,
): Promise<StepReport[]> {
  const session = createSession({ ...run.settings, backend: 'wasm' }, VOCAB, CORPUS);
  try {
    await each?.(session);
    const reports: StepReport[] = [];
    for (let i = 0; i < run.steps; i++) {
      reports.push(await session.step());
      await each?.(session);
    }
    return reports;
  } finally {
    session.dispose();
  }
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Wall and CPU milliseconds of REPEAT calls: on a shared machine the CPU time is the steadier. */
function timed<T>(f: () => T): { value: T; ms: number[]; cpu: number[] } {
  const ms: number[] = [];
  const cpu: number[] = [];
  let value!: T;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    value = f();
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { value, ms, cpu };
}

function report(name: string, t: { ms: number[]; cpu: number[] }): string {
  return `${name} median ${median(t.ms).toFixed(0)} ms wall, ${median(t.cpu).toFixed(0)} ms CPU`;
}

async function chapterResult(chapter: LessonChapter): Promise<LessonResult<{ holds: boolean }>> {
  const { plan } = chapter;
  if (plan.kind === 'wordpiece') {
    const t = timed(() => wordpieceLesson(CORPUS, VOCAB, plan));
    console.log(`  compute: ${report('wordpieceLesson', t)} (${REPEAT} runs)`);
    return t.value;
  }
  if (plan.kind === 'vocab-size') {
    const run = plan.runs[0]!;
    const reports = await runEngine(run);
    let stats = createRowStats(VOCAB.length);
    for (const r of reports) stats = accumulateRows(stats, r);
    const comparison = timed(() => compareVocabularies(CORPUS, plan));
    const lookups = timed(() => lookupsByFrequency(CORPUS, VOCAB, stats.frequency, stats.steps));
    console.log(
      `  compute: ${report('compareVocabularies', comparison)}; ${report('lookupsByFrequency', lookups)} (${REPEAT} runs)`,
    );
    return vocabSizeResult(comparison.value, lookups.value);
  }
  const [first] = plan.runs;
  switch (chapter.id) {
    case 'random-start': {
      const pair = plan.pair!;
      let tables = null as Awaited<ReturnType<ReturnType<typeof createSession>['tables']>> | null;
      await runEngine(first!, async (s) => void (tables ??= await s.tables()));
      const config = configForPreset(
        first!.settings.preset,
        VOCAB.length,
        first!.settings.tieOutputEmbeddings,
      );
      const words = pair.words.map((token) => ({ token, id: VOCAB.indexOf(token) }));
      return randomStartResult({
        tables: tables!,
        pair: createBertTokenizer(VOCAB).encodePair(pair.a, pair.b),
        words: [words[0]!, words[1]!],
        initStd: config.initStd,
        layerNormEps: config.layerNormEps,
      });
    }
    case 'joint-training': {
      const tokens = first!.watch!.tables!.tokenRows;
      const ids = tokens.map((t) => VOCAB.indexOf(t));
      const snapshots: RowSnapshot[] = [];
      const reports = await runEngine(
        first!,
        async (s) => void snapshots.push(rowSnapshot(await s.tables(), ids)),
      );
      return jointTrainingResult({ tokens, snapshots, reports });
    }
    case 'only-batch-rows':
      return onlyBatchRowsResult((await runEngine(first!))[0]!, first!.settings);
    case 'tied-output':
      return tiedOutputResult((await runEngine(first!))[0]!, first!.settings);
    case 'learned': {
      const every = first!.watch!.positions!.every;
      const snapshots: { step: number; position: Float32Array }[] = [];
      let shape = { positions: 0, hidden: 0 };
      const reports = await runEngine(first!, async (s) => {
        const step = s.state.step;
        if (step % every !== 0 && step !== first!.steps) return;
        const t = await s.tables();
        shape = { positions: t.maxPositions, hidden: t.hidden };
        snapshots.push({ step, position: t.position });
      });
      return learnedResult({
        snapshots,
        ...shape,
        seqLength: first!.settings.seqLength,
        lastUpdateRowNorm: reports.at(-1)!.positionUpdateRowNorm,
        weightDecay: first!.settings.optimizer === 'adamw',
      });
    }
    case 'adam': {
      const runs: Record<string, StepReport[]> = {};
      for (const run of plan.runs) runs[run.id] = await runEngine(run);
      return adamResult(adamRunsFrom(runs));
    }
  }
  throw new Error(`No runner for ${chapter.id}.`);
}

setWasmPaths(resolve(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm');
for (const chapter of LESSON_CHAPTERS) {
  if (only && !only.includes(chapter.id)) continue;
  console.log(`\n${chapter.number}. ${chapter.id}`);
  const t0 = performance.now();
  const result = await chapterResult(chapter);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `  ${s} s; claim holds: ${result.claim.holds}; answer ${result.answer} (right: ${chapter.question.correct})`,
  );
  for (const sentence of result.sentences) console.log(`  - ${sentence}`);
}
