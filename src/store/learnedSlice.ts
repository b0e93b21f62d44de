import type { StateCreator } from 'zustand';
import type { LabState } from './types';
import type { LearnedSlice } from './learnedTypes';
import { LEARNED_LIMITS } from '../core/learned/report';

/** The most pieces a learner keeps picked: each is a labelled dot on the map and a neighbour list. */
export const MAX_PICKS = LEARNED_LIMITS.pieces;
/** The engine's bound on k (core/learned/report.ts), so the slice never asks for what it refuses. */
export const MAX_NEIGHBOURS = LEARNED_LIMITS.k;
export const DEFAULT_NEIGHBOURS = 10;

/** The pieces new visitors see first: a word that stays whole, a pronoun, a number, a suffix. */
export const DEFAULT_PICKS: readonly string[] = ['the', 'he', 'two', '##s'];

/** The vocabulary a pick is checked against: the running model's, else bert-base-uncased once loaded. */
function vocabularyOf(state: LabState): readonly string[] | null {
  if (state.training.vocab) return state.training.vocab;
  return state.vocab.kind === 'ready' ? state.vocab.tokens : null;
}

export const createLearnedSlice: StateCreator<LabState, [], [], LearnedSlice> = (set, get) => ({
  learned: null,
  learnedError: null,
  learnedPicks: [...DEFAULT_PICKS],
  learnedFocus: DEFAULT_PICKS[0]!,
  learnedK: DEFAULT_NEIGHBOURS,
  learnedCentred: true,
  pickPiece(raw) {
    const piece = raw.trim();
    if (piece === '') return 'Type a word piece, for example “the” or “##ing”.';
    const vocabulary = vocabularyOf(get());
    if (vocabulary && !vocabulary.includes(piece)) {
      const lower = piece.toLowerCase();
      const hint =
        lower !== piece && vocabulary.includes(lower) ? ` Try “${lower}”: this vocabulary is uncased.` : '';
      return `“${piece.slice(0, 40)}” is not a piece of this model's vocabulary, so it has no row of its own.${hint} Tokenize & Pack shows the pieces a word splits into.`;
    }
    const picks = [...get().learnedPicks.filter((p) => p !== piece), piece].slice(-MAX_PICKS);
    set({ learnedPicks: picks, learnedFocus: piece });
    return null;
  },
  unpickPiece(piece) {
    const picks = get().learnedPicks.filter((p) => p !== piece);
    const focus = get().learnedFocus;
    set({ learnedPicks: picks, learnedFocus: focus === piece ? (picks[picks.length - 1] ?? null) : focus });
  },
  setLearnedK(k) {
    set({
      learnedK: Math.min(
        MAX_NEIGHBOURS,
        Math.max(1, Math.round(Number.isFinite(k) ? k : DEFAULT_NEIGHBOURS)),
      ),
    });
  },
  setLearnedCentred(centred) {
    set({ learnedCentred: centred });
  },
  showLearned(report) {
    set({ learned: report, learnedError: null });
  },
  setLearnedError(message) {
    set({ learnedError: message });
  },
});
