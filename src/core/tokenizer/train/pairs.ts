/**
 * The trainer's bookkeeping of adjacent symbol pairs, kept up to date merge by merge instead of
 * recounted over the whole corpus (as Hugging Face's `BpeTrainer` does with `where_to_update`):
 * - count(ab): how often symbol b directly follows symbol a, over all words, weighted by word count;
 * - for each pair, the words that contain it, so a merge visits only those words.
 *
 * A pair is a number, a · 2^26 + b, so the maps hash doubles rather than build strings. Each live
 * pair also has a slot in flat typed arrays (left, right, count): finding the best pair scans
 * every live pair once per merge, and a scan over typed arrays is several times faster than one
 * over a Map.
 *
 * For the likelihood score (likelihood.ts, scoring.ts) each slot also records when its count last
 * changed, which symbol its merge would make if that symbol already exists, and the scorer's
 * memo of the pair's last score.
 */

const PAIR_BASE = 2 ** 26;

/** Symbol ids must stay below 2^26 (67 million) for keys to be exact doubles (< 2^52). */
export const MAX_SYMBOLS = PAIR_BASE;

const pairKey = (left: number, right: number): number => left * PAIR_BASE + right;

/** The slot arrays as they are now; a slot whose count is 0 is free. Valid until the next change. */
export interface PairSlots {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly count: Float64Array;
  /** The epoch of the last change to the slot's count (or of its creation, or of `setMakes`). */
  readonly changed: Int32Array;
  /** The symbol the pair's merge makes when it already exists, else -1 (only with `makesOf`). */
  readonly makes: Int32Array;
  /** Free for the scorer: a score it computed, and the epoch it computed it in (0: never). */
  readonly memo: Float64Array;
  readonly memoAt: Int32Array;
  /** Slots in use are all below this. */
  readonly end: number;
}

/** The symbol a merge of (left, right) would make if that symbol exists, else -1. */
export type MakesOf = (left: number, right: number) => number;

export class PairTable {
  private readonly slotOf = new Map<number, number>();
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  private count = new Float64Array(1024);
  private changed = new Int32Array(1024);
  private makes = new Int32Array(1024);
  private memo = new Float64Array(1024);
  private memoAt = new Int32Array(1024);
  private end = 0;
  /** Stamped on every slot that changes; the trainer sets it to the merge being made. */
  epoch = 0;
  /** Slots freed by pairs whose count fell to 0, reused before the arrays grow. */
  private readonly free: number[] = [];
  /**
   * Words that contain each live pair. The lists are allowed to go stale: a word stays listed after
   * a merge elsewhere in it removes the pair, and whoever visits the list checks the word again.
   * Taking a word off every list it left would cost more than the few extra visits.
   */
  private readonly words = new Map<number, Set<number>>();

  /** Without `makesOf`, every slot's `makes` is -1: only the likelihood score needs it. */
  constructor(private readonly makesOf: MakesOf = () => -1) {}

  /** Live pairs: those with count(ab) > 0. */
  get size(): number {
    return this.slotOf.size;
  }

  slots(): PairSlots {
    const { left, right, count, changed, makes, memo, memoAt, end } = this;
    return { left, right, count, changed, makes, memo, memoAt, end };
  }

  /** Adds every adjacent pair of one word, `weight` times each. */
  addWord(word: number, symbols: readonly number[], weight: number): void {
    for (let i = 0; i + 1 < symbols.length; i++) this.add(symbols[i]!, symbols[i + 1]!, word, weight);
  }

  /** Adds `weight` to count(ab) and lists the word as containing the pair. */
  add(left: number, right: number, word: number, weight: number): void {
    const key = pairKey(left, right);
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.newSlot();
      this.slotOf.set(key, slot);
      this.left[slot] = left;
      this.right[slot] = right;
      this.makes[slot] = this.makesOf(left, right);
    }
    this.count[slot]! += weight;
    this.changed[slot] = this.epoch;
    let words = this.words.get(key);
    if (words === undefined) {
      words = new Set<number>();
      this.words.set(key, words);
    }
    words.add(word);
  }

  /**
   * Subtracts `weight` from count(ab). At zero no word holds the pair, so its slot and word list
   * go: that keeps both to the live pairs, and a word that makes the pair again is listed again.
   */
  subtract(left: number, right: number, weight: number): void {
    const key = pairKey(left, right);
    const slot = this.slotOf.get(key);
    if (slot === undefined) throw new Error(`Trainer bookkeeping: pair (${left}, ${right}) is not live.`);
    const next = this.count[slot]! - weight;
    this.count[slot] = next;
    this.changed[slot] = this.epoch;
    if (next === 0) {
      this.slotOf.delete(key);
      this.words.delete(key);
      this.free.push(slot);
    }
  }

  /** A live pair's merge now makes an existing symbol (one a merge just created). */
  setMakes(left: number, right: number, symbol: number): void {
    const slot = this.slotOf.get(pairKey(left, right));
    if (slot === undefined) return;
    this.makes[slot] = symbol;
    this.changed[slot] = this.epoch;
  }

  /** Hands over the (possibly stale) list of words containing a pair, and forgets it. */
  takeWords(left: number, right: number): Iterable<number> {
    const key = pairKey(left, right);
    const words = this.words.get(key) ?? new Set<number>();
    this.words.delete(key);
    return words;
  }

  private newSlot(): number {
    if (this.end === this.count.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const grown = make(old.length * 2);
        grown.set(old);
        return grown;
      };
      const ints = (n: number) => new Int32Array(n);
      const doubles = (n: number) => new Float64Array(n);
      this.left = grow(this.left, ints);
      this.right = grow(this.right, ints);
      this.count = grow(this.count, doubles);
      this.changed = grow(this.changed, ints);
      this.makes = grow(this.makes, ints);
      this.memo = grow(this.memo, doubles);
      this.memoAt = grow(this.memoAt, ints);
    }
    return this.end++;
  }
}
