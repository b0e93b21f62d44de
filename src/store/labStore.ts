/**
 * One zustand store made of typed slices. `createLabStore` is a factory, not a singleton, so each
 * embedded instance of the lab gets a store of its own and two widgets never share state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createPackSlice, type PackSlice } from './packSlice';
import { createSessionsSlice, type SessionsSlice } from './sessionsSlice';
import { createSumSlice, type SumSlice } from './sumSlice';
import { createTrainerSlice, type TrainerSlice } from './trainerSlice';
import { createTrainingSlice, type TrainingSlice } from './trainingSlice';
import { createVocabSlice, type VocabSlice } from './vocabSlice';

export type LabView = 'pack' | 'vocab' | 'train' | 'sum';

export interface ViewSlice {
  view: LabView;
  setView(view: LabView): void;
}

/**
 * Where the lab's static files (the vocabulary, the corpus) are fetched from. The full page uses
 * its document's base URL; the web component passes its own module's URL, because on a course
 * page the document belongs to the host, not to the lab.
 */
export interface AssetSlice {
  assetBase: string;
}

const defaultAssetBase = () => (typeof document === 'undefined' ? 'http://localhost/' : document.baseURI);

export type LabState = PackSlice &
  VocabSlice &
  TrainerSlice &
  TrainingSlice &
  SumSlice &
  ViewSlice &
  AssetSlice &
  SessionsSlice;
export type LabStore = StoreApi<LabState>;

export function createLabStore(
  initial: Partial<Pick<LabState, 'sentenceA' | 'sentenceB' | 'maxLengthInput' | 'assetBase'>> = {},
): LabStore {
  return createStore<LabState>()((...args) => ({
    ...createPackSlice(...args),
    ...createVocabSlice(...args),
    ...createTrainerSlice(...args),
    ...createTrainingSlice(...args),
    ...createSumSlice(...args),
    ...createSessionsSlice(...args),
    view: 'pack',
    setView: (view) => args[0]({ view }),
    assetBase: defaultAssetBase(),
    ...initial,
  }));
}
