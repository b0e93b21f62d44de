import type { StateCreator } from 'zustand';
import { createVocabTrainerClient, type VocabTrainerClient } from '../engine/vocabTrainerClient';
import type { FromTrainer, TrainerSettings } from '../engine/vocabProtocol';
import type { LabState, VocabTrainerSlice, VocabTrainerView } from './types';

export const BUILTIN_CORPUS = { name: 'Everyday documents (built in)', path: 'corpus/everyday.txt' } as const;
export const DEFAULT_TRAINER_SETTINGS: TrainerSettings = {
  vocabSize: 2000,
  score: 'likelihood',
  minCharFrequency: 1,
};

export const createVocabTrainerSlice: StateCreator<LabState, [], [], VocabTrainerSlice> = (set, get) => {
  let client: VocabTrainerClient | null = null;
  const send: VocabTrainerClient['send'] = (message) => {
    client ??= createVocabTrainerClient(receive);
    client.send(message);
  };
  const update = (patch: Partial<VocabTrainerView>) => set({ trainer: { ...get().trainer, ...patch } });

  function receive(message: FromTrainer): void {
    const trainer = get().trainer;
    switch (message.type) {
      case 'progress':
        return update({ progress: message.fraction });
      case 'loaded':
      case 'reset': {
        const { reset } = message;
        return update({
          status: 'ready',
          progress: 1,
          ...(message.type === 'loaded' ? { corpus: message.corpus } : {}),
          vocab: reset.vocab,
          initialVocabSize: reset.initialVocabSize,
          initialPiecesPerWord: reset.initialPiecesPerWord,
          droppedChars: reset.droppedChars,
          droppedWords: reset.droppedWords,
          wordCount: reset.wordCount,
          stopped: reset.stopped,
          steps: [],
          error: null,
        });
      }
      case 'steps': {
        // A merge whose token already exists changes the splits but adds nothing to the vocabulary.
        const added = message.steps.filter(
          (s, i) => s.vocabSize > (message.steps[i - 1]?.vocabSize ?? trainer.vocab.length),
        );
        return update({
          status: message.running ? 'running' : 'ready',
          steps: message.steps.length ? [...trainer.steps, ...message.steps] : trainer.steps,
          vocab: added.length ? [...trainer.vocab, ...added.map((s) => s.token)] : trainer.vocab,
          stopped: message.stopped,
        });
      }
      case 'error':
        return update({
          status: message.during === 'load' && !trainer.corpus ? 'error' : trainer.corpus ? 'ready' : 'idle',
          error: message.message,
          progress: 0,
        });
    }
  }

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
