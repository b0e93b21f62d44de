import type { StateCreator } from 'zustand';
import type { LabState } from './labStore';

/** The Tokenize & Pack view's inputs. Everything it shows is derived from these and the vocabulary. */
export interface PackSlice {
  sentenceA: string;
  sentenceB: string;
  /** The raw text of the max-length field, kept as typed so a half-typed number is not lost. */
  maxLengthInput: string;
  padToMaxLength: boolean;
  /** The piece under the pointer or keyboard focus, shown in the inspector. */
  inspected: InspectedPiece | null;
  setSentenceA(text: string): void;
  setSentenceB(text: string): void;
  setMaxLengthInput(text: string): void;
  setPadToMaxLength(pad: boolean): void;
  setInspected(piece: InspectedPiece | null): void;
}

/** What the inspector describes: a word piece of sentence A or B, or a slot of the packed input. */
export type InspectedPiece =
  | { readonly source: 'stage'; readonly side: 'a' | 'b'; readonly pieceIndex: number }
  | { readonly source: 'packed'; readonly position: number };

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
