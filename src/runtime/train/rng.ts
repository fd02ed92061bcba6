// Seedable PRNG (xoshiro128**) whose whole state is four uint32s, so a checkpoint can store and restore it exactly.

export type RngState = readonly [number, number, number, number];

export class Rng {
  private s: Uint32Array;

  constructor(seed: number | RngState) {
    this.s = new Uint32Array(4);
    if (typeof seed === "number") {
      // splitmix32 expands one seed into a well-mixed state (an all-zero state would be stuck).
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (z ^ (z >>> 16)) >>> 0;
      }
    } else {
      this.s.set(seed);
    }
  }

  state(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  setState(state: RngState): void {
    this.s.set(state);
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = this.next();
    while (u <= 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal(0, std) truncated to [-2std, 2std] by resampling (lavisc's `init_std`; cutoffs relative to std). */
  truncNormal(std: number): number {
    for (;;) {
      const z = this.normal();
      if (z >= -2 && z <= 2) return z * std;
    }
  }

  /** Normal(0, std) truncated to the absolute range [lo, hi] by resampling: timm's trunc_normal_(std=std, a=lo, b=hi). */
  truncNormalWithin(std: number, lo: number, hi: number): number {
    for (;;) {
      const x = this.normal() * std;
      if (x >= lo && x <= hi) return x;
    }
  }

  /** Uniform in [-bound, bound): PyTorch's uniform_(-bound, bound). */
  uniform(bound: number): number {
    return (2 * this.next() - 1) * bound;
  }

  /** Index drawn with probability proportional to weights (torch.multinomial with one sample); -1 when all weights are 0. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]!);
    if (!(total > 0)) return -1;
    let r = this.next() * total;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = Math.max(0, weights[i]!);
      if (w <= 0) continue;
      last = i;
      if (r < w) return i;
      r -= w;
    }
    return last;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** An independent generator derived from this seed and a label (e.g. per-epoch shuffling). */
  static derive(seed: number, ...labels: number[]): Rng {
    let h = seed >>> 0;
    for (const l of labels) h = Math.imul(h ^ (l >>> 0), 0x9e3779b1) + 0x7f4a7c15;
    return new Rng(h >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * LAVIS's setup_seeds: data-parallel rank r seeds its random streams with run.seed + r (rank 0, and a run of one
 * replica, with run.seed). Parameter initialisation and the DistributedSampler's order use run.seed on every rank.
 */
export function rankSeed(seed: number, rank: number): number {
  return seed + rank;
}

/** The stream a training step draws from (ITM's hard negatives, ...): one per replica, checkpointed. */
export function stepRng(seed: number, rank = 0): Rng {
  return new Rng(Rng.derive(rankSeed(seed, rank), 0x7a11).nextUint32());
}
