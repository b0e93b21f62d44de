import type { StateCreator } from 'zustand';
import { MERGE_SCORE_NAMES } from '../core/tokenizer/train';
import type { LabState, VocabSlice } from './types';

export const createVocabSlice: StateCreator<LabState, [], [], VocabSlice> = (set, get) => ({
  vocab: { kind: 'loading' },
  learnedVocab: null,
  packVocab: 'bert',
  setVocab: (vocab) => set({ vocab }),
  adoptLearnedVocab: () => {
    const { vocab, corpus, settings } = get().trainer;
    if (vocab.length === 0) return;
    const scoring = MERGE_SCORE_NAMES[settings.score];
    set({
      learnedVocab: { name: `learned from ${corpus?.name ?? 'your corpus'} (${scoring})`, tokens: vocab },
      packVocab: 'learned',
    });
  },
  setPackVocab: (packVocab) =>
    set({ packVocab: packVocab === 'learned' && !get().learnedVocab ? 'bert' : packVocab }),
});
