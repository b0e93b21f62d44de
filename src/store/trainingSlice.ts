import type { StateCreator } from 'zustand';
import type { StepReport } from '../core/train';
import { createTrainEngineClient, type TrainEngineClient } from '../engine/trainClient';
import {
  DEFAULT_ENGINE_SETTINGS,
  type BackendName,
  type EngineSettings,
  type EngineSnapshot,
} from '../engine/trainProtocol';
import type { LabState } from './labStore';
import { BUILTIN_CORPUS } from './trainerSlice';

/** One point of the loss curves; the page keeps the last HISTORY_LIMIT of them. */
export interface TrainingPoint {
  readonly step: number;
  readonly mlm: number;
  readonly nsp: number;
  readonly total: number;
  readonly mlmAccuracy: number;
  readonly nspAccuracy: number;
  readonly learningRate: number;
  readonly ms: number;
}

export const HISTORY_LIMIT = 2000;

export interface TrainingView {
  status: 'idle' | 'starting' | 'ready' | 'error';
  settings: EngineSettings;
  snapshot: EngineSnapshot | null;
  lastReport: StepReport | null;
  history: readonly TrainingPoint[];
  notices: readonly string[];
  error: string | null;
}

export interface TrainingSlice {
  training: TrainingView;
  /** (Re)starts the engine with these settings: same seed, same initial weights and batches. */
  startTraining(settings?: Partial<EngineSettings>): Promise<void>;
  stepTraining(steps: number): Promise<void>;
  playTraining(stepsPerSecond: number): void;
  pauseTraining(): void;
  setTrainingBackend(backend: BackendName): Promise<void>;
  setTrainingLearningRate(learningRate: number): Promise<void>;
  /** The engine itself, for the test facade's gradient probes. */
  trainingEngine(): TrainEngineClient;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createTrainingSlice: StateCreator<LabState, [], [], TrainingSlice> = (set, get) => {
  let client: TrainEngineClient | null = null;
  const update = (patch: Partial<TrainingView>) => set({ training: { ...get().training, ...patch } });

  const engine = (): TrainEngineClient => {
    client ??= createTrainEngineClient((push) => {
      const training = get().training;
      switch (push.type) {
        case 'snapshot':
          return update({ snapshot: push.snapshot });
        case 'report': {
          const r = push.report;
          const point: TrainingPoint = {
            step: r.step,
            mlm: r.loss.mlm,
            nsp: r.loss.nsp,
            total: r.loss.total,
            mlmAccuracy: r.mlmAccuracy,
            nspAccuracy: r.nspAccuracy,
            learningRate: r.learningRate,
            ms: r.ms.forwardBackward + r.ms.optimizer + r.ms.report,
          };
          return update({ lastReport: r, history: [...training.history, point].slice(-HISTORY_LIMIT) });
        }
        case 'notice':
          return update({ notices: [...training.notices, push.message].slice(-5) });
      }
    });
    return client;
  };

  /** The vocabulary and corpus the engine trains on: bert-tiny needs bert-base-uncased's. */
  const inputs = async (
    settings: EngineSettings,
  ): Promise<{ vocab: readonly string[] | null; corpus: string }> => {
    const response = await fetch(new URL(BUILTIN_CORPUS.path, document.baseURI));
    if (!response.ok) throw new Error(`Could not load the corpus: ${response.status}`);
    const corpus = await response.text();
    if (settings.preset === 'bert-tiny') {
      const vocab = get().vocab;
      if (vocab.kind !== 'ready')
        throw new Error('bert-tiny needs the bert-base-uncased vocabulary, which has not loaded.');
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
    },
    startTraining: async (patch = {}) => {
      const settings = { ...get().training.settings, ...patch };
      update({ status: 'starting', settings, error: null, lastReport: null, history: [], notices: [] });
      try {
        const { vocab, corpus } = await inputs(settings);
        await engine().init(settings, vocab, corpus);
        update({ status: 'ready' });
      } catch (error) {
        update({ status: 'error', error: message(error) });
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
    trainingEngine: engine,
  };
};
