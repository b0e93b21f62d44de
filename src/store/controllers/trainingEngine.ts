/**
 * What the training slice needs from outside the store: the engine's Worker, made on first use;
 * its pushes turned into state (a pure reduction, so each report is counted once, here); and the
 * corpus and vocabulary a run trains on, fetched from the lab's own files.
 */
import { trainingPointOf } from '../../core/domain/history';
import type { EngineSettings } from '../../core/domain/settings';
import { accumulateRows, comparePrediction, createRowStats, type RowFrame } from '../../core/train/pure';
import { createTrainEngineClient, type TrainEngineClient } from '../../engine/trainClient';
import type { FromEngine } from '../../engine/trainProtocol';
import { runRowFacts, stepRowFacts } from '../rowFacts';
import type { LabState, LabStore, TrainingView } from '../types';
import { until } from '../until';
import { BUILTIN_CORPUS } from '../vocabTrainerSlice';

/** Points of the loss curves the page keeps. */
const HISTORY_LIMIT = 2000;
/**
 * Steps the scrubber can rewind the map to. A frame holds V causes and V norms (5 bytes a row):
 * 200 frames are 1 MB for the micro preset and 30 MB for the 30,522 rows of lab and bert-tiny.
 */
export const FRAME_LIMIT = 200;

/** A message the engine pushes unasked (not a reply). */
type EnginePush = Exclude<FromEngine, { type: 'reply' }>;

/**
 * The engine, made on the first call: its Worker starts loading tfjs then, not with the page.
 * Pushes (reports, snapshots, phases, notices) go to `onPush`.
 */
export function connectTrainEngine(onPush: (push: EnginePush) => void): () => TrainEngineClient {
  let client: TrainEngineClient | null = null;
  return () => (client ??= createTrainEngineClient(onPush));
}

/**
 * Where each push goes: a learned report to the "What the rows learned" slice, the rest to the
 * Training view's state through `patchFor`.
 */
export function routePush(
  get: () => LabState,
  update: (patch: Partial<TrainingView>) => void,
): (push: EnginePush) => void {
  return (push) => {
    if (push.type === 'learned') get().showLearned(push.report);
    else update(patchFor(get().training, push));
  };
}

/** The change to the Training view's state that one push from the engine makes. */
export function patchFor(training: TrainingView, push: EnginePush): Partial<TrainingView> {
  switch (push.type) {
    case 'snapshot':
      return { snapshot: push.snapshot };
    case 'phase':
      return { phase: push.phase };
    case 'notice':
      return { notices: [...training.notices, push.message].slice(-5) };
    case 'learned':
      return {}; // the learned slice's (routePush)
    case 'report': {
      const r = push.report;
      const rows = accumulateRows(training.rows ?? createRowStats(r.updateRowNorm.length), r);
      // The report's arrays were transferred to the page and are never written again: the
      // frame can share them instead of copying V numbers.
      const frame: RowFrame = {
        step: r.step,
        causes: rows.last!.causes,
        updateNorm: r.updateRowNorm,
        counts: rows.last!.counts,
      };
      const p = training.prediction;
      const prediction =
        p.on && p.reveal === null
          ? { ...p, reveal: { step: r.step, ...comparePrediction(p.rows, r.updateRowNorm) } }
          : p;
      return {
        lastReport: r,
        history: [...training.history, trainingPointOf(r)].slice(-HISTORY_LIMIT),
        rows,
        stepFacts: stepRowFacts(r),
        runFacts: runRowFacts(rows),
        frames: [...training.frames, frame].slice(-FRAME_LIMIT),
        prediction,
        comparison: push.comparison,
        snapshot: push.snapshot,
      };
    }
  }
}

/** The vocabulary and corpus the engine trains on: lab and bert-tiny need bert-base-uncased's. */
export async function loadInputs(
  settings: EngineSettings,
  store: LabStore,
  update: (patch: Partial<TrainingView>) => void,
): Promise<{ vocab: readonly string[] | null; corpus: string }> {
  const get = store.getState;
  update({ phase: { name: 'corpus', detail: 'Loading the corpus…' } });
  const response = await fetch(new URL(BUILTIN_CORPUS.path, get().assetBase));
  if (!response.ok) throw new Error(`Could not load the corpus: ${response.status}`);
  const corpus = await response.text();
  if (settings.preset !== 'micro') {
    // The default model starts as soon as a view shows it, which may be before the download ends.
    if (get().vocab.kind === 'loading') {
      update({ phase: { name: 'vocab', detail: 'Loading the bert-base-uncased vocabulary…' } });
      await until(store, (s) => s.vocab.kind !== 'loading');
    }
    const vocab = get().vocab;
    if (vocab.kind !== 'ready')
      throw new Error(`${settings.preset} needs the bert-base-uncased vocabulary, which has not loaded.`);
    return { vocab: vocab.tokens, corpus };
  }
  return { vocab: get().learnedVocab?.tokens ?? null, corpus };
}
