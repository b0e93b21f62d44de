import type { StateCreator } from 'zustand';
import type { LabState } from './labStore';

export type VocabStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly name: string; readonly tokens: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

export interface VocabSlice {
  vocab: VocabStatus;
  setVocab(vocab: VocabStatus): void;
}

export const createVocabSlice: StateCreator<LabState, [], [], VocabSlice> = (set) => ({
  vocab: { kind: 'loading' },
  setVocab: (vocab) => set({ vocab }),
});
