import type { StateCreator } from 'zustand';
import { trainingPointOf } from '../core/domain/history';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';
import { accumulateRows, comparePrediction, createRowStats, type RowFrame } from '../core/train/pure';
import { createTrainEngineClient, type TrainEngineClient } from '../engine/trainClient';
import { runRowFacts, stepRowFacts } from './rowFacts';
import { BUILTIN_CORPUS } from './vocabTrainerSlice';
import { until } from './until';
import type { LabState, PredictionRound, TrainingSlice, TrainingView } from './types';

/** Points of the loss curves the page keeps. */
const HISTORY_LIMIT = 2000;
/**
 * Steps the scrubber can rewind the map to. A frame holds V causes and V norms (5 bytes a row):
 * 200 frames are 1 MB for the micro preset and 30 MB for the 30,522 rows of lab and bert-tiny.
 */
export const FRAME_LIMIT = 200;

const NO_PREDICTION: PredictionRound = { on: false, rows: new Set(), reveal: null };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createTrainingSlice: StateCreator<LabState, [], [], TrainingSlice> = (set, get, store) => {
  let client: TrainEngineClient | null = null;
  /**
   * Starts run one after another in the Worker; only the latest one may say how the start went.
   * (The view's own start on first show may still be timing backends when the learner submits
   * other settings: its success must not mark the view ready while the learner's start waits.)
   */
  let latestStart = 0;
  const update = (patch: Partial<TrainingView>) => set({ training: { ...get().training, ...patch } });

  const engine = (): TrainEngineClient => {
    client ??= createTrainEngineClient((push) => {
      const training = get().training;
      switch (push.type) {
        case 'snapshot':
          return update({ snapshot: push.snapshot });
        case 'report': {
          const r = push.report;
          const point = trainingPointOf(r);
          const V = r.updateRowNorm.length;
          const rows = accumulateRows(training.rows ?? createRowStats(V), r);
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
          return update({
            lastReport: r,
            history: [...training.history, point].slice(-HISTORY_LIMIT),
            rows,
            stepFacts: stepRowFacts(r),
            runFacts: runRowFacts(rows),
            frames: [...training.frames, frame].slice(-FRAME_LIMIT),
            prediction,
            comparison: push.comparison,
            snapshot: push.snapshot,
          });
        }
        case 'phase':
          return update({ phase: push.phase });
        case 'notice':
          return update({ notices: [...training.notices, push.message].slice(-5) });
      }
    });
    return client;
  };

  /** The vocabulary and corpus the engine trains on: lab and bert-tiny need bert-base-uncased's. */
  const inputs = async (
    settings: EngineSettings,
  ): Promise<{ vocab: readonly string[] | null; corpus: string }> => {
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
  };

  return {
    training: {
      status: 'idle',
      settings: DEFAULT_ENGINE_SETTINGS,
      snapshot: null,
      lastReport: null,
      history: [],
      notices: [],
      error: null,
      vocab: null,
      rows: null,
      stepFacts: null,
      runFacts: null,
      frames: [],
      viewStep: null,
      prediction: NO_PREDICTION,
      comparison: null,
      phase: null,
      starting: null,
      autoStartHolds: 0,
    },
    autoStartTraining: () => {
      const { status, autoStartHolds } = get().training;
      // startTraining sets 'starting' before its first await, so a second view shown in the same
      // render finds the engine starting and leaves it alone.
      if (status === 'idle' && autoStartHolds === 0) void get().startTraining();
    },
    holdAutoStart: (work) => {
      update({ autoStartHolds: get().training.autoStartHolds + 1 });
      const release = () => update({ autoStartHolds: get().training.autoStartHolds - 1 });
      work.then(release, release);
    },
    startTraining: async (patch = {}) => {
      const settings = { ...get().training.settings, ...patch };
      const ticket = ++latestStart;
      update({ status: 'starting', error: null, starting: settings });
      // The Worker's script loads while the page fetches the corpus, not after.
      engine();
      try {
        const { vocab, corpus } = await inputs(settings);
        const tokens = await engine().init(settings, vocab, corpus);
        // A newer start is queued behind this one: the view shows what runs now, still starting,
        // and the newer start says how it went.
        const superseded = ticket !== latestStart;
        // Counters start afresh only once the new model exists.
        const rows = createRowStats(tokens.length);
        update({
          status: superseded ? 'starting' : 'ready',
          starting: superseded ? get().training.starting : null,
          settings,
          vocab: tokens,
          lastReport: null,
          history: [],
          notices: [],
          rows,
          stepFacts: null,
          runFacts: runRowFacts(rows),
          frames: [],
          viewStep: null,
          prediction: { ...NO_PREDICTION, on: get().training.prediction.on },
          comparison: null,
        });
        if (!superseded) get().beginSession();
      } catch (error) {
        if (ticket !== latestStart) return;
        // The engine refuses bad settings before it drops the running model; if a model is
        // still there (its snapshot has a config), it keeps its settings, step and counters.
        const running = get().training.snapshot?.config != null;
        update({ status: running ? 'ready' : 'error', error: message(error), phase: null, starting: null });
      }
    },
    resumeTraining: async (sessionId) => {
      const before = get().training.status;
      const noticesBefore = get().training.notices.length;
      // A start still running before this resume no longer says how things went.
      latestStart++;
      update({ status: 'starting', error: null, starting: null });
      try {
        const restored = await engine().restore(sessionId);
        const { page } = restored;
        const rows = page.rows ?? createRowStats(restored.vocab.length);
        update({
          status: 'ready',
          settings: restored.settings,
          vocab: restored.vocab,
          lastReport: page.lastReport,
          history: page.history,
          // What the engine said while restoring (e.g. another backend) stays; older notices go.
          notices: get().training.notices.slice(noticesBefore),
          rows,
          stepFacts: page.lastReport ? stepRowFacts(page.lastReport) : null,
          runFacts: runRowFacts(rows),
          frames: page.frames,
          viewStep: null,
          prediction: { ...NO_PREDICTION, on: get().training.prediction.on },
          comparison: page.comparison,
        });
        return restored;
      } catch (error) {
        // Refused before the engine touched the running model, unless it failed while rebuilding.
        const running = get().training.snapshot?.config != null;
        update({ status: running ? 'ready' : before === 'ready' ? 'error' : before, phase: null });
        throw error;
      }
    },
    stepTraining: async (steps) => {
      try {
        await engine().step(steps);
      } catch (error) {
        update({ error: message(error) });
      }
    },
    playTraining: (stepsPerSecond) => engine().play(stepsPerSecond),
    pauseTraining: () => engine().pause(),
    setTrainingBackend: async (backend) => {
      try {
        await engine().setBackend(backend);
        update({ settings: { ...get().training.settings, backend } });
      } catch (error) {
        update({ error: message(error) });
      }
    },
    setTrainingLearningRate: async (learningRate) => {
      try {
        await engine().setLearningRate(learningRate);
        update({ settings: { ...get().training.settings, learningRate } });
      } catch (error) {
        update({ error: message(error) });
      }
    },
    setTrainingViewStep: (viewStep) => update({ viewStep }),
    setPredicting: (on) => update({ prediction: { ...NO_PREDICTION, on } }),
    togglePrediction: (row) => {
      const p = get().training.prediction;
      if (!p.on) return;
      if (p.reveal !== null) return update({ prediction: { on: true, rows: new Set([row]), reveal: null } });
      const rows = new Set(p.rows);
      if (!rows.delete(row)) rows.add(row);
      update({ prediction: { ...p, rows } });
    },
    trainingEngine: engine,
    currentTraining: () => get().training,
  };
};
