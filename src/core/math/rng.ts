/**
 * The one seeded random number generator of the lab. Every random choice (initial weights,
 * sentence pairs, masks, dropout) draws from an `Rng` made from the shareable seed, so the same
 * seed gives the same numbers in Node, a Worker and the page, on every tfjs backend.
 *
 * The generator is Chris Doty-Humphrey's sfc32 ("small fast chaotic", PractRand-clean, 128-bit
 * state); its state is filled from a 32-bit seed with splitmix32, as the sfc authors suggest.
 */

/** splitmix32: a well-mixed 32-bit output for each 32-bit input. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A 32-bit seed from a seed and a label (FNV-1a over the label, then mixed), so that independent
 * streams — one per parameter, per dropout site, per step — are named rather than counted, and
 * adding a stream never shifts the numbers of another.
 */
export function deriveSeed(seed: number, label: string | number): number {
  let h = 0x811c9dc5 ^ splitmix32(seed >>> 0);
  const text = String(label);
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return splitmix32(h >>> 0);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller makes normals in pairs; the second one waits here. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`A seed must be a finite number, not ${seed}.`);
    let s = seed >>> 0;
    this.a = splitmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.b = splitmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.c = splitmix32(s);
    this.d = 1;
    // Discard the first outputs: sfc32 needs a few rounds to mix a fresh state.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), by rejection so that no value is favoured. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`int(n) needs a whole n in [1, 2^32], not ${n}.`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Uniform integer in [lo, hi], both ends included, like Python's `random.randint`. */
  intInclusive(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`intInclusive needs lo <= hi, got ${lo} > ${hi}.`);
    return lo + this.int(hi - lo + 1);
  }

  /** Standard normal N(0, 1) by the Box-Muller transform. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    // 1 - u is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.float()));
    const angle = 2 * Math.PI * this.float();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /**
   * TensorFlow's `truncated_normal`, which BERT initializes every weight with: N(0, std²),
   * redrawing any value more than two standard deviations from the mean.
   */
  truncatedNormal(std: number): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z * std;
    }
  }

  /** Fisher-Yates in place, walking down from the end as Python's `random.shuffle` does. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}
