import type { StateCreator } from 'zustand';
import type { LabState, PackSlice } from './types';

export const DEFAULT_SENTENCE_A = 'The lab shows how BERT turns unaffable words into embeddings.';
export const DEFAULT_SENTENCE_B = 'Rare words like “naïveté” split into pieces; frequent ones stay whole.';
export const DEFAULT_MAX_LENGTH = 128;

export const createPackSlice: StateCreator<LabState, [], [], PackSlice> = (set) => ({
  sentenceA: DEFAULT_SENTENCE_A,
  sentenceB: DEFAULT_SENTENCE_B,
  maxLengthInput: String(DEFAULT_MAX_LENGTH),
  padToMaxLength: false,
  inspected: null,
  setSentenceA: (sentenceA) => set({ sentenceA }),
  setSentenceB: (sentenceB) => set({ sentenceB }),
  setMaxLengthInput: (maxLengthInput) => set({ maxLengthInput }),
  setPadToMaxLength: (padToMaxLength) => set({ padToMaxLength }),
  setInspected: (inspected) => set({ inspected }),
});
