/**
 * The "What the rows learned" view's state: the learner's picks and options, and the Worker's last
 * LearnedReport. learnedSlice.ts implements it; a controller (controllers/learnedWatch.ts) asks
 * the training Worker for a report after every step while the view is open.
 */
import type { LearnedReport } from '../core/learned/types';

export interface LearnedSlice {
  /** The Worker's last report for the current picks and options; null before the first. */
  learned: LearnedReport | null;
  /** Why the last read failed, in words for the page; null when it did not. */
  learnedError: string | null;
  /** Pieces the learner picked, oldest first (at most 12): their neighbours and their dots on the map. */
  learnedPicks: string[];
  /** The pick whose neighbours are listed; null when there are no picks. */
  learnedFocus: string | null;
  /** Neighbours listed: 1..50, default 10. */
  learnedK: number;
  /** Centred cosine (the rows' mean taken out; the default) or the raw cosine. */
  learnedCentred: boolean;
  /**
   * Makes `piece` the focus and adds it to the picks (the oldest pick goes past 12). A piece not in
   * the model's vocabulary is refused: the returned string says why, for the page to show.
   */
  pickPiece(piece: string): string | null;
  unpickPiece(piece: string): void;
  setLearnedK(k: number): void;
  setLearnedCentred(centred: boolean): void;
  showLearned(report: LearnedReport): void;
  setLearnedError(message: string | null): void;
}
