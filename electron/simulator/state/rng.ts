// Seeded pseudo-random numbers (SFC32 seeded through SplitMix32). A given seed yields the
// same stock ids, coupon codes and receipt ids every run, and the generator's four words are
// saved with the state so a restored simulator continues the same sequence.

export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s: RngState;

  private constructor(state: RngState) {
    this.s = [...state];
  }

  static fromSeed(seed: number): Rng {
    const next = splitmix32(seed);
    const rng = new Rng([next(), next(), next(), next()]);
    // The first outputs of a freshly seeded SFC32 are weakly mixed: discard some.
    for (let i = 0; i < 12; i++) rng.nextUint32();
    return rng;
  }

  static fromState(state: RngState): Rng {
    return new Rng(state);
  }

  state(): RngState {
    return [...this.s];
  }

  nextUint32(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a, b, c, d];
    return t >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError('n must be a positive integer');
    // Rejection sampling keeps the distribution exact for any n.
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** `length` decimal digits, the first one non-zero. */
  digits(length: number): string {
    let out = String(1 + this.int(9));
    while (out.length < length) out += String(this.int(10));
    return out;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('cannot pick from an empty list');
    return item;
  }
}
