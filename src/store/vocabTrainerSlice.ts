import type { StateCreator } from 'zustand';
import type { TrainerSettings } from '../engine/vocabProtocol';
import { connectVocabTrainer, trainerPatchFor } from './controllers/vocabTrainer';
import type { LabState, VocabTrainerSlice, VocabTrainerView } from './types';

export const BUILTIN_CORPUS = { name: 'Everyday documents (built in)', path: 'corpus/everyday.txt' } as const;
export const DEFAULT_TRAINER_SETTINGS: TrainerSettings = {
  vocabSize: 2000,
  score: 'likelihood',
  minCharFrequency: 1,
};

export const createVocabTrainerSlice: StateCreator<LabState, [], [], VocabTrainerSlice> = (set, get) => {
  const update = (patch: Partial<VocabTrainerView>) => set({ trainer: { ...get().trainer, ...patch } });
  const send = connectVocabTrainer((message) => update(trainerPatchFor(get().trainer, message)));

  return {
    trainer: {
      status: 'idle',
      progress: 0,
      corpus: null,
      settings: DEFAULT_TRAINER_SETTINGS,
      vocab: [],
      initialVocabSize: 0,
      initialPiecesPerWord: 0,
      steps: [],
      stopped: null,
      droppedChars: [],
      droppedWords: 0,
      wordCount: 0,
      error: null,
    },
    loadCorpus: (source) => {
      update({ status: 'loading', progress: 0, error: null });
      send({ type: 'load', source, settings: get().trainer.settings });
    },
    runMerges: (steps) => {
      if (!get().trainer.corpus) return;
      update({ status: 'running' });
      send({ type: 'run', steps });
    },
    pauseMerges: () => send({ type: 'pause' }),
    configureTrainer: (settings) => {
      update({ settings });
      if (get().trainer.corpus) send({ type: 'configure', settings });
    },
    dismissTrainerError: () => update({ error: null }),
  };
};
