/**
 * One zustand store made of typed slices. `createLabStore` is a factory, not a singleton, so each
 * embedded instance of the lab gets a store of its own and two widgets never share state.
 */
import { createStore } from 'zustand/vanilla';
import { createLearnedSlice } from './learnedSlice';
import { createLessonSlice } from './lessonSlice';
import { createPackSlice } from './packSlice';
import { createSessionsSlice } from './sessionsSlice';
import { createSumSlice } from './sumSlice';
import { createVocabTrainerSlice } from './vocabTrainerSlice';
import { createTrainingSlice } from './trainingSlice';
import { createVocabSlice } from './vocabSlice';
import type { LabState, LabStore } from './types';

const defaultAssetBase = () => (typeof document === 'undefined' ? 'http://localhost/' : document.baseURI);

export function createLabStore(
  initial: Partial<Pick<LabState, 'sentenceA' | 'sentenceB' | 'maxLengthInput' | 'assetBase'>> = {},
): LabStore {
  return createStore<LabState>()((...args) => ({
    ...createPackSlice(...args),
    ...createVocabSlice(...args),
    ...createVocabTrainerSlice(...args),
    ...createTrainingSlice(...args),
    ...createSumSlice(...args),
    ...createSessionsSlice(...args),
    ...createLessonSlice(...args),
    ...createLearnedSlice(...args),
    view: 'pack',
    setView: (view) => args[0]({ view }),
    assetBase: defaultAssetBase(),
    theme: 'auto',
    background: 'page',
    setTheme: (theme) => args[0]({ theme }),
    setBackground: (background) => args[0]({ background }),
    ...initial,
  }));
}
