/**
 * One zustand store made of typed slices. `createLabStore` is a factory, not a singleton, so each
 * embedded instance of the lab gets a store of its own and two widgets never share state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createPackSlice, type PackSlice } from './packSlice';
import { createSumSlice, type SumSlice } from './sumSlice';
import { createTrainerSlice, type TrainerSlice } from './trainerSlice';
import { createTrainingSlice, type TrainingSlice } from './trainingSlice';
import { createVocabSlice, type VocabSlice } from './vocabSlice';

export type LabView = 'pack' | 'vocab' | 'train' | 'sum';

export interface ViewSlice {
  view: LabView;
  setView(view: LabView): void;
}

export type LabState = PackSlice & VocabSlice & TrainerSlice & TrainingSlice & SumSlice & ViewSlice;
export type LabStore = StoreApi<LabState>;

export function createLabStore(
  initial: Partial<Pick<LabState, 'sentenceA' | 'sentenceB' | 'maxLengthInput'>> = {},
): LabStore {
  return createStore<LabState>()((...args) => ({
    ...createPackSlice(...args),
    ...createVocabSlice(...args),
    ...createTrainerSlice(...args),
    ...createTrainingSlice(...args),
    ...createSumSlice(...args),
    view: 'pack',
    setView: (view) => args[0]({ view }),
    ...initial,
  }));
}
