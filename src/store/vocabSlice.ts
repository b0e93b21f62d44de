import type { StateCreator } from 'zustand';
import { MERGE_SCORE_NAMES } from '../core/tokenizer/train';
import type { LabState } from './labStore';

export type VocabStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly name: string; readonly tokens: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** A vocabulary the lab trained, frozen at the moment the learner chose to use it. */
export interface LearnedVocab {
  readonly name: string;
  readonly tokens: readonly string[];
}

export interface VocabSlice {
  /** bert-base-uncased, fetched from public/vocab/. */
  vocab: VocabStatus;
  learnedVocab: LearnedVocab | null;
  /** Which vocabulary the Tokenize & Pack view tokenizes with. */
  packVocab: 'bert' | 'learned';
  setVocab(vocab: VocabStatus): void;
  /** Freezes the trainer's current vocabulary and makes it the Tokenize & Pack vocabulary. */
  adoptLearnedVocab(): void;
  setPackVocab(choice: 'bert' | 'learned'): void;
}

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
