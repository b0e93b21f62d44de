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
 */

const PAIR_BASE = 2 ** 26;

/** Symbol ids must stay below 2^26 (67 million) for keys to be exact doubles (< 2^52). */
export const MAX_SYMBOLS = PAIR_BASE;

export const pairKey = (left: number, right: number): number => left * PAIR_BASE + right;

/** The slot arrays as they are now; a slot whose count is 0 is free. Valid until the next change. */
export interface PairSlots {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly count: Float64Array;
  /** Slots in use are all below this. */
  readonly end: number;
}

export class PairTable {
  private readonly slotOf = new Map<number, number>();
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  private count = new Float64Array(1024);
  private end = 0;
  /** Slots freed by pairs whose count fell to 0, reused before the arrays grow. */
  private readonly free: number[] = [];
  /**
   * Words that contain each live pair. The lists are allowed to go stale: a word stays listed after
   * a merge elsewhere in it removes the pair, and whoever visits the list checks the word again.
   * Taking a word off every list it left would cost more than the few extra visits.
   */
  private readonly words = new Map<number, Set<number>>();

  /** Live pairs: those with count(ab) > 0. */
  get size(): number {
    return this.slotOf.size;
  }

  slots(): PairSlots {
    return { left: this.left, right: this.right, count: this.count, end: this.end };
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
    }
    this.count[slot]! += weight;
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
    if (next === 0) {
      this.slotOf.delete(key);
      this.words.delete(key);
      this.free.push(slot);
    }
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
      this.left = grow(this.left, (n) => new Int32Array(n));
      this.right = grow(this.right, (n) => new Int32Array(n));
      this.count = grow(this.count, (n) => new Float64Array(n));
    }
    return this.end++;
  }
}
