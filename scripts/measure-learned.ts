/**
 * What the rows learned on the default model (lab preset, seed 42, AdamW, tied, batch 8×32, the
 * built-in corpus), trained by the engine's own session (src/engine/session.ts) on tfjs's wasm
 * backend in Node: at each measured step, the position band, the segment rows, the top-5 centred
 * neighbours of a few words, and the centred cosine within vs across 7 kinds of words. The numbers
 * come from session.learned (core/learned/report.ts), the code the Worker runs for the view.
 * Then the per-step cost of the view's report (median of REPEAT calls) beside a step's.
 *
 *   nice npx tsx scripts/measure-learned.ts
 *   MEASURE_STEPS=0,300,1000 REPEAT=15 npx tsx scripts/measure-learned.ts
 *
 * Needs public/vocab/bert-base-uncased.txt (npm run vocab).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../src/core/domain/settings';
import { rankCorrelationWithOrder } from '../src/components/learned/learnedText';
import { pca2d } from '../src/core/learned/pca';
import type { LearnedRequest } from '../src/core/learned/types';
import { parseVocabText } from '../src/core/tokenizer';
import { createSession, type Session } from '../src/engine/session';
import { median } from './lib/stats';

const root = join(import.meta.dirname, '..');
const STEPS = (process.env.MEASURE_STEPS ?? '0,300,1000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 15);
const WORDS = ['the', 'he', 'two', 'monday', 'red', 'was', ','];
/** The issue's 7 kinds, 5 words each. */
const KINDS: Record<string, string[]> = {
  pronouns: ['he', 'she', 'they', 'we', 'it'],
  numbers: ['one', 'two', 'three', 'four', 'five'],
  weekdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  colours: ['red', 'blue', 'green', 'black', 'white'],
  punctuation: [',', '.', '!', '?', ';'],
  be: ['is', 'was', 'are', 'were', 'be'],
  determiners: ['the', 'a', 'an', 'this', 'that'],
};
/** What the view asks for while training plays: the focus, the default picks, k 10, 300 map pieces. */
const VIEW_REQUEST: LearnedRequest = {
  pieces: ['the'],
  mapPieces: ['the', 'he', 'two', '##s'],
  k: 10,
  centred: true,
  mapSize: 300,
};

const f = (x: number) => (Number.isNaN(x) ? 'NaN' : x.toFixed(3));

/** cos(x_a − m, x_b − m). */
function cosineAbout(E: Float32Array, H: number, a: number, b: number, m: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < H; c++) {
    const x = E[a * H + c]! - m[c]!;
    const y = E[b * H + c]! - m[c]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Mean cosine of the pairs of words of one kind, and of words of different kinds, about a centre:
 * the 35 rows' own mean (the issue's measure: at random rows it is −1/34 ≈ −0.03), or the mean of
 * all V rows (the centring the view's neighbour lists use).
 */
function kindCosines(E: Float32Array, H: number, ids: Map<string, number>, centre: 'words' | 'all') {
  const words = Object.entries(KINDS).flatMap(([kind, list]) => list.map((w) => ({ kind, id: ids.get(w)! })));
  const rows =
    centre === 'words' ? words.map((w) => w.id) : Array.from({ length: E.length / H }, (_, i) => i);
  const m = new Float64Array(H);
  for (const r of rows) for (let c = 0; c < H; c++) m[c]! += E[r * H + c]! / rows.length;
  const sums = { within: [0, 0], across: [0, 0] };
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const s = words[i]!.kind === words[j]!.kind ? sums.within : sums.across;
      s[0]! += cosineAbout(E, H, words[i]!.id, words[j]!.id, m);
      s[1]!++;
    }
  return `within ${f(sums.within[0]! / sums.within[1]!)}, across ${f(sums.across[0]! / sums.across[1]!)}`;
}

/**
 * The same within/across cosines once the frequency direction is gone too: each row minus the mean
 * of the corpus's 300 most frequent rows, with its part along their first principal axis removed
 * (the direction those rows differ most along). What is left of a kind's cohesion is not frequency.
 */
function kindCosinesWithoutTopAxis(
  E: Float32Array,
  H: number,
  ids: Map<string, number>,
  top: readonly number[],
) {
  const rows = new Float32Array(top.length * H);
  top.forEach((r, i) => rows.set(E.subarray(r * H, (r + 1) * H), i * H));
  const axis = pca2d(rows, top.length, H).axes.subarray(0, H);
  const m = new Float64Array(H);
  for (const r of top) for (let c = 0; c < H; c++) m[c]! += E[r * H + c]! / top.length;
  const words = Object.entries(KINDS).flatMap(([kind, list]) => list.map((w) => ({ kind, id: ids.get(w)! })));
  const vec = (r: number) => {
    const x = Array.from({ length: H }, (_, c) => E[r * H + c]! - m[c]!);
    const along = x.reduce((sum, v, c) => sum + v * axis[c]!, 0);
    return x.map((v, c) => v - along * axis[c]!);
  };
  const cos = (a: number[], b: number[]) =>
    a.reduce((s, v, c) => s + v * b[c]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
  const sums = { within: [0, 0], across: [0, 0] };
  const vecs = words.map((w) => vec(w.id));
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const s = words[i]!.kind === words[j]!.kind ? sums.within : sums.across;
      s[0]! += cos(vecs[i]!, vecs[j]!);
      s[1]!++;
    }
  return `within ${f(sums.within[0]! / sums.within[1]!)}, across ${f(sums.across[0]! / sums.across[1]!)}`;
}

async function measureAt(session: Session, ids: Map<string, number>): Promise<void> {
  const report = await session.learned({ pieces: WORDS, mapPieces: [], k: 5, centred: true, mapSize: 0 });
  const { positions: p, segments: s } = report;
  const tables = await session.tables();
  console.log(`\n## step ${report.step}`);
  console.log(
    `positions (T=${p.lookedUp} of ${p.count}): adjacent ${f(p.adjacent)}, ten apart ${f(p.tenApart)}, beyond T adjacent ${f(p.beyondAdjacent)}`,
  );
  console.log(
    `segments: ‖A−B‖ ${f(s.distance)} (step 0: ${f(s.distanceAtStart)}), cos ${f(s.cosine)} (step 0: ${f(s.cosineAtStart)})`,
  );
  const { token, hidden } = tables;
  console.log(`kinds, about the 35 rows' mean: ${kindCosines(token, hidden, ids, 'words')}`);
  console.log(`kinds, about all V rows' mean: ${kindCosines(token, hidden, ids, 'all')}`);
  const frequent = await session.learned({ pieces: [], mapPieces: [], k: 1, centred: true, mapSize: 300 });
  console.log(
    `kinds, about the 300 most frequent rows' mean, their top axis removed: ${kindCosinesWithoutTopAxis(token, hidden, ids, frequent.vocabMap.ids)}`,
  );
  const map = frequent.vocabMap;
  const pc1 = Array.from({ length: map.ids.length }, (_, i) => map.coords[2 * i]!);
  console.log(
    `vocabulary map: PC1 holds ${(100 * map.explained[0]).toFixed(1)}% of the variance; rank correlation of PC1 with the frequency order ${f(rankCorrelationWithOrder(pc1))}`,
  );
  console.log('| piece | top-5 centred neighbours |\n|---|---|');
  for (const n of report.neighbours)
    console.log(
      `| ${n.piece} | ${n.neighbours.map((x) => `${x.piece} ${x.cosine.toFixed(2)}`).join(', ')} |`,
    );
}

/** Median ms of the view's report and of a training step, in the same run. */
async function timing(session: Session): Promise<void> {
  const learned: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    let t0 = performance.now();
    await session.step();
    steps.push(performance.now() - t0);
    t0 = performance.now();
    await session.learned(VIEW_REQUEST);
    learned.push(performance.now() - t0);
  }
  console.log(
    `\nper step (wasm, Node, median of ${REPEAT}): training step ${median(steps).toFixed(1)} ms; the view's learned report ${median(learned).toFixed(1)} ms`,
  );
}

setWasmPaths(resolve(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm');
const vocab = parseVocabText(readFileSync(join(root, 'public', 'vocab', 'bert-base-uncased.txt'), 'utf8'));
const corpus = readFileSync(join(root, 'public', 'corpus', 'everyday.txt'), 'utf8');
const settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, backend: 'wasm' };
const session = createSession(settings, vocab, corpus);
const ids = new Map(vocab.map((piece, id) => [piece, id]));
console.log(
  `# What the rows learned: ${settings.preset}, seed ${settings.seed}, ${settings.optimizer}, batch ${settings.batchSize}×${settings.seqLength}, wasm in Node`,
);
for (const target of STEPS) {
  const t0 = performance.now();
  while (session.state.step < target) await session.step();
  if (target > 0)
    console.log(`\n(${target} steps reached in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  await measureAt(session, ids);
}
await timing(session);
session.dispose();
