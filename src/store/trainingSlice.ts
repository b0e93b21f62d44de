import { errorMessage } from '../core/errorMessage';
import type { StateCreator } from 'zustand';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/domain/settings';
import { createRowStats } from '../core/train/pure';
import type { TrainEngineClient } from '../engine/trainClient';
import { connectTrainEngine, loadInputs, routePush } from './controllers/trainingEngine';
import { runRowFacts, stepRowFacts } from './rowFacts';
import type { LabState, PredictionRound, TrainingSlice, TrainingView } from './types';

const NO_PREDICTION: PredictionRound = { on: false, rows: new Set(), reveal: null };

const INITIAL_TRAINING: TrainingView = {
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
};

/** The actions that drive a running model: steps, play and pause, backend, learning rate. */
function runActions(
  engine: () => TrainEngineClient,
  get: () => LabState,
  update: (patch: Partial<TrainingView>) => void,
): Pick<
  TrainingSlice,
  'stepTraining' | 'playTraining' | 'pauseTraining' | 'setTrainingBackend' | 'setTrainingLearningRate'
> {
  return {
    stepTraining: async (steps) => {
      try {
        await engine().step(steps);
      } catch (error) {
        update({ error: errorMessage(error) });
      }
    },
    playTraining: (stepsPerSecond) => engine().play(stepsPerSecond),
    pauseTraining: () => engine().pause(),
    setTrainingBackend: async (backend) => {
      try {
        await engine().setBackend(backend);
        update({ settings: { ...get().training.settings, backend } });
      } catch (error) {
        update({ error: errorMessage(error) });
      }
    },
    setTrainingLearningRate: async (learningRate) => {
      try {
        await engine().setLearningRate(learningRate);
        update({ settings: { ...get().training.settings, learningRate } });
      } catch (error) {
        update({ error: errorMessage(error) });
      }
    },
  };
}

/** "Predict, then reveal": marking rows before a step and comparing them with it after. */
function predictionActions(
  get: () => LabState,
  update: (patch: Partial<TrainingView>) => void,
): Pick<TrainingSlice, 'setPredicting' | 'togglePrediction'> {
  return {
    setPredicting: (on) => update({ prediction: { ...NO_PREDICTION, on } }),
    togglePrediction: (row) => {
      const p = get().training.prediction;
      if (!p.on) return;
      if (p.reveal !== null) return update({ prediction: { on: true, rows: new Set([row]), reveal: null } });
      const rows = new Set(p.rows);
      if (!rows.delete(row)) rows.add(row);
      update({ prediction: { ...p, rows } });
    },
  };
}

export const createTrainingSlice: StateCreator<LabState, [], [], TrainingSlice> = (set, get, store) => {
  /**
   * Starts run one after another in the Worker; only the latest one may say how the start went.
   * (The view's own start on first show may still be timing backends when the learner submits
   * other settings: its success must not mark the view ready while the learner's start waits.)
   */
  let latestStart = 0;
  const update = (patch: Partial<TrainingView>) => set({ training: { ...get().training, ...patch } });

  const engine = connectTrainEngine(routePush(get, update));
  const inputs = (settings: EngineSettings) => loadInputs(settings, store, update);

  return {
    training: INITIAL_TRAINING,
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
        update({
          status: running ? 'ready' : 'error',
          error: errorMessage(error),
          phase: null,
          starting: null,
        });
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
    setTrainingViewStep: (viewStep) => update({ viewStep }),
    ...runActions(engine, get, update),
    ...predictionActions(get, update),
    trainingEngine: engine,
    currentTraining: () => get().training,
  };
};
