/**
 * What the rows learned: the shapes the training Worker computes from the embedding tables after a
 * step (core/learned/*.ts) and the "What the rows learned" view draws. Plain numbers and typed
 * arrays, so a report crosses from the Worker to the page without tfjs.
 */

/** What the page asks the Worker to compute from the tables. */
export interface LearnedRequest {
  /**
   * Word pieces (as the vocabulary spells them, e.g. "the", "##ing") whose neighbours to list. The
   * page sends only the piece in focus while training plays: each costs a pass over all V rows.
   */
  readonly pieces: readonly string[];
  /** Pieces drawn on the vocabulary map besides the most frequent ones (the learner's picks). */
  readonly mapPieces: readonly string[];
  /** How many nearest rows to list for each piece: 1..50. */
  readonly k: number;
  /**
   * Cosine of the rows with the column means of E_token taken out (every row minus the mean row),
   * so the drift all rows share under a tied output does not make every row look alike.
   */
  readonly centred: boolean;
  /** How many of the corpus's most frequent pieces the vocabulary map projects, besides `mapPieces`: 0..500. */
  readonly mapSize: number;
}

/** One row of E_token near another, by cosine. */
export interface Neighbour {
  readonly piece: string;
  readonly id: number;
  readonly cosine: number;
  /** How often the piece occurs in the training corpus. */
  readonly count: number;
}

/** A requested piece and its nearest rows; `id` null (and no neighbours) when it is not in the vocabulary. */
export interface PieceNeighbours {
  readonly piece: string;
  readonly id: number | null;
  /** How often the piece occurs in the training corpus (0 when it is not in the vocabulary). */
  readonly count: number;
  /** The k nearest other rows, highest cosine first (the piece's own row left out). */
  readonly neighbours: readonly Neighbour[];
}

/** A 2-D principal-component projection of some rows of a table. */
export interface Projection2D {
  /** The projected rows' ids (token ids, or position indices for the position table). */
  readonly ids: readonly number[];
  /** Their coordinates on the first two principal axes: [n, 2], row-major. */
  readonly coords: Float32Array;
  /** The fraction of the rows' total variance along each axis. */
  readonly explained: readonly [number, number];
}

/** How the learned position rows are arranged: their cosines, and the band along the diagonal. */
export interface PositionCosines {
  /** P, the position table's rows. */
  readonly count: number;
  /** The training sequence length T: rows 0..T−1 are looked up by training, rows T..P−1 never. */
  readonly lookedUp: number;
  /** cos(E_position[i], E_position[j]): [P, P], row-major, symmetric, 1 on the diagonal. */
  readonly cosines: Float32Array;
  /** Mean cosine of neighbouring rows i, i+1 with both below T (excluding row 0, [CLS]'s slot). */
  readonly adjacent: number;
  /** Mean cosine of rows i, i+10 with both below T (excluding row 0). */
  readonly tenApart: number;
  /** Mean cosine of neighbouring rows i, i+1 with both at or past T (never looked up); NaN when none. */
  readonly beyondAdjacent: number;
}

/** How far the two segment rows have moved apart. */
export interface SegmentDistance {
  /** ‖E_segment[A] − E_segment[B]‖ now, and at step 0. */
  readonly distance: number;
  readonly distanceAtStart: number;
  /** cos(E_segment[A], E_segment[B]) now, and at step 0. */
  readonly cosine: number;
  readonly cosineAtStart: number;
}

/** Everything the view draws for one step, computed in the Worker from the tables of that step. */
export interface LearnedReport {
  readonly step: number;
  readonly vocabSize: number;
  readonly hidden: number;
  /** As requested. */
  readonly centred: boolean;
  readonly k: number;
  readonly neighbours: readonly PieceNeighbours[];
  /** How many of the vocabulary's pieces occur in the training corpus at all (specials left out). */
  readonly corpusPieces: number;
  readonly positions: PositionCosines;
  /** The `mapSize` most frequent pieces of the training corpus (specials left out), then `mapPieces`. */
  readonly vocabMap: Projection2D;
  /** Every position row. */
  readonly positionMap: Projection2D;
  readonly segments: SegmentDistance;
}
